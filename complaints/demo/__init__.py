"""The demo council: staff of every role and several hundred cases across procedures, states and
dates, some of them overdue, so the product can be tried and shown on a fresh install."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, func, select

from complaints.context import Context
from complaints.demo import words
from complaints.demo.histories import CaseHistory, play_forward
from complaints.demo.staff import DEMO_PASSWORD, DEMO_STAFF, ensure_demo_staff
from complaints.errors import DomainError
from complaints.models import (
    AuditEvent,
    CaseCategory,
    Category,
    ComplaintPoint,
    Extension,
    FeedbackCase,
    FeedbackType,
    MadeBy,
    Procedure,
    Team,
    User,
)
from complaints.services.people import seed_reference_data
from complaints.services.references import reserve_references

DEFAULT_CASES = 400
PROCEDURE_MIX = (
    (Procedure.STATUTORY_CHILDREN, FeedbackType.COMPLAINT, 34),
    (Procedure.CORPORATE, FeedbackType.COMPLAINT, 40),
    (Procedure.ADULT_SOCIAL_CARE, FeedbackType.COMPLAINT, 12),
    (Procedure.FEEDBACK, FeedbackType.COMPLIMENT, 10),
    (Procedure.FEEDBACK, FeedbackType.COMMENT, 2),
    (Procedure.REDIRECTION, FeedbackType.QUESTION, 2),
)
CHILDREN_TEAMS = ("Children and Families", "Children with Disabilities")
CORPORATE_TEAMS = (
    "Highways",
    "Waste and Recycling",
    "Council Tax and Benefits",
    "Planning",
    "Libraries",
    "Customer Service",
)


@dataclass(frozen=True)
class DemoSummary:
    cases: int
    by_state: dict[str, int]
    staff: tuple[str, ...]
    password: str


def load_demo_data(ctx: Context, *, cases: int = DEFAULT_CASES, seed: int = 2026) -> DemoSummary:
    """Load the demo council into an empty database (refused if it already holds cases)."""
    if cases < 1:
        raise DomainError("the number of demo cases must be at least 1")
    with ctx.database.reader() as session:
        existing = session.exec(select(func.count()).select_from(FeedbackCase)).one()
    if existing:
        raise DomainError(f"the database already holds {existing} cases; demo data not loaded")
    seed_reference_data(ctx)
    ensure_demo_staff(ctx)
    rng = random.Random(seed)
    with ctx.database.unit_of_work() as session:
        generator = _Generator(ctx, session, rng)
        states = generator.generate(cases)
    return DemoSummary(
        cases=cases,
        by_state=dict(sorted(states.items())),
        staff=tuple(person.username for person in DEMO_STAFF),
        password=DEMO_PASSWORD,
    )


class _Generator:
    def __init__(self, ctx: Context, session: Session, rng: random.Random) -> None:
        self.ctx = ctx
        self.session = session
        self.rng = rng
        self.today = ctx.clock.today()
        self.now = ctx.clock.now()
        self.teams = {team.name: team for team in session.exec(select(Team)).all()}
        self.users = {user.username: user for user in session.exec(select(User)).all()}
        self.categories = list(session.exec(select(Category)).all())

    def generate(self, count: int) -> Counter[str]:
        # Rows are added kind by kind and flushed together, so each kind is one batched INSERT.
        cases = [self._new_case() for _ in range(count)]
        self._give_references(cases)
        self.session.add_all(cases)
        self.session.flush()
        histories = [self._history(case) for case in cases]
        self.session.add_all(point for history in histories for point in history.points)
        self.session.flush()
        for history in histories:
            play_forward(history)
            self._save_rows(history)
        self.session.flush()  # the deadlines' ids, for their extensions
        for history in histories:
            self.session.add_all(self._extensions(history))
        return Counter(case.state for case in cases)

    def _extensions(self, history: CaseHistory) -> list[Extension]:
        return [
            Extension(
                deadline_id=_saved_id(pending.deadline.id),
                case_id=history.case_id,
                previous_due_on=pending.previous_due_on,
                new_due_on=history.after(pending.previous_due_on, pending.working_days),
                working_days=pending.working_days,
                reason=pending.reason,
                agreed_by_id=history.officer_id,
                complainant_agreed=True,
                complainant_agreed_on=pending.previous_due_on,
                created_at=self.now,
            )
            for pending in history.extensions
        ]

    def _new_case(self) -> FeedbackCase:
        procedure, feedback_type = self._procedure()
        received = self._received_on()
        summary, _ = self._matter(procedure, feedback_type)
        is_child = procedure is Procedure.STATUTORY_CHILDREN and self.rng.random() < 0.2
        name = f"{self.rng.choice(words.FIRST_NAMES)} {self.rng.choice(words.SURNAMES)}"
        matter_date = received - timedelta(days=self.rng.randint(3, 200))
        late = feedback_type is FeedbackType.COMPLAINT and self.rng.random() < 0.03
        if late:
            matter_date = received - timedelta(days=self.rng.randint(380, 700))
        return FeedbackCase(
            reference="",
            feedback_type=feedback_type,
            procedure=procedure,
            state="received",
            stage=1,
            received_on=received,
            contact_method=self.rng.choice(self.ctx.settings.lists.contact_methods),
            made_by=MadeBy.CHILD
            if is_child
            else self.rng.choice([MadeBy.COMPLAINANT, MadeBy.COMPLAINANT, MadeBy.REPRESENTATIVE]),
            complainant_name=name,
            complainant_email=f"{name.lower().replace(' ', '.')}@example.net",
            complainant_phone=f"07700 9{self.rng.randint(0, 99999):05d}",
            complainant_address=f"{self.rng.randint(1, 120)} High Street\nExampletown\nEX1 2AB",
            is_child=is_child,
            advocate_name="Jordan Lee (advocacy service)"
            if is_child and self.rng.random() < 0.5
            else None,
            consent_recorded=True,
            summary=summary,
            team_id=self._team_for(procedure).id,
            matter_date=matter_date,
            in_time=not late,
            late_reason="Accepted late: the complainant only recently learned of the matter"
            if late
            else None,
            created_at=self.now,
            updated_at=self.now,
        )

    def _procedure(self) -> tuple[Procedure, FeedbackType]:
        weights = [weight for _, _, weight in PROCEDURE_MIX]
        procedure, feedback_type, _ = self.rng.choices(PROCEDURE_MIX, weights=weights)[0]
        return procedure, feedback_type

    def _received_on(self) -> date:
        # Most demo work is recent, as in a real queue; the rest fills the year for reports.
        days_back = (
            self.rng.randint(0, 90) if self.rng.random() < 0.45 else self.rng.randint(0, 420)
        )
        return self.today - timedelta(days=days_back)

    def _matter(self, procedure: Procedure, feedback_type: FeedbackType) -> tuple[str, list[str]]:
        if feedback_type is FeedbackType.COMPLIMENT:
            return self.rng.choice(words.COMPLIMENTS), []
        if feedback_type is FeedbackType.COMMENT:
            return self.rng.choice(words.COMMENTS), []
        if feedback_type is FeedbackType.QUESTION:
            return self.rng.choice(words.QUESTIONS), []
        matters = {
            Procedure.STATUTORY_CHILDREN: words.CHILDREN_MATTERS,
            Procedure.ADULT_SOCIAL_CARE: words.ADULT_MATTERS,
        }.get(procedure, words.CORPORATE_MATTERS)
        summary, points = self.rng.choice(matters)
        return summary, self.rng.sample(points, k=self.rng.randint(1, len(points)))

    def _team_for(self, procedure: Procedure) -> Team:
        if procedure is Procedure.STATUTORY_CHILDREN:
            names: tuple[str, ...] = CHILDREN_TEAMS
        elif procedure is Procedure.ADULT_SOCIAL_CARE:
            names = ("Adult Social Care",)
        else:
            names = CORPORATE_TEAMS
        available = [self.teams[name] for name in names if name in self.teams]
        return self.rng.choice(available or list(self.teams.values()))

    def _give_references(self, cases: list[FeedbackCase]) -> None:
        prefix = self.ctx.settings.council.reference_prefix
        by_year: dict[int, list[FeedbackCase]] = {}
        for case in sorted(cases, key=lambda case: case.received_on):
            by_year.setdefault(case.received_on.year, []).append(case)
        for year, year_cases in by_year.items():
            references = reserve_references(self.session, prefix, year, len(year_cases))
            for case, reference in zip(year_cases, references, strict=True):
                case.reference = reference

    def _history(self, case: FeedbackCase) -> CaseHistory:
        assert case.id is not None
        officer, investigator = self._people_for(case)
        case.officer_id = investigator.id if investigator else None
        history = CaseHistory(
            case=case,
            settings=self.ctx.settings,
            calendar=self.ctx.calendar,
            today=self.today,
            now=self.now,
            rng=self.rng,
            officer_id=officer.id if officer else None,
            investigator_id=case.officer_id,
        )
        _, point_texts = self._matter(case.procedure, case.feedback_type)
        history.points = [
            ComplaintPoint(
                case_id=case.id,
                number=number,
                description=text,
                team_id=case.team_id,
                officer_id=case.officer_id,
                added_on=case.received_on,
                created_at=self.now,
            )
            for number, text in enumerate(point_texts, start=1)
        ]
        return history

    def _save_rows(self, history: CaseHistory) -> None:
        case_id = history.case_id
        self.session.add_all(history.rows)
        for category in self.rng.sample(self.categories, k=self.rng.randint(1, 2)):
            assert category.id is not None
            self.session.add(CaseCategory(case_id=case_id, category_id=category.id))
        self.session.add(
            AuditEvent(
                case_id=case_id,
                occurred_at=self.now,
                action="demo_case_loaded",
                summary=f"Demo case loaded in state {history.case.state}",
                after={
                    "reference": history.case.reference,
                    "state": history.case.state,
                    "stage": history.case.stage,
                },
            )
        )

    def _people_for(self, case: FeedbackCase) -> tuple[User | None, User | None]:
        def pick(*usernames: str) -> User | None:
            found = [self.users[name] for name in usernames if name in self.users]
            return self.rng.choice(found) if found else None

        officer = pick("officer.patel", "officer.hughes")
        if case.procedure is Procedure.STATUTORY_CHILDREN:
            return officer, pick("qa.jones", "qa.okafor", "qa.wright")
        if case.procedure is Procedure.ADULT_SOCIAL_CARE:
            return pick("officer.clarke"), pick("officer.clarke")
        team_officers = [
            user
            for user in self.users.values()
            if user.team_id == case.team_id and user.role.value == "officer"
        ]
        return officer, self.rng.choice(team_officers) if team_officers else officer


def _saved_id(row_id: int | None) -> int:
    assert row_id is not None, "rows are flushed before their ids are used"
    return row_id
