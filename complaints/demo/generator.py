"""The demo council's cases, batch by batch: who complains about what, to which team and when,
and how far each case has come by today (histories.py), as rows ready to write.

Both ways of loading a demo (through the ORM, or in bulk) take their rows from here, so a seed
gives the same council whichever is used.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta

from sqlmodel import Session, select

from complaints.context import Context
from complaints.demo import words
from complaints.demo.histories import CaseHistory, DemoCase, Dice, Timeline, play_forward
from complaints.demo.rows import CASES, CATEGORIES, EVENTS, DemoBatch, DemoIds
from complaints.models import Category, FeedbackType, MadeBy, Procedure, Role, Team, User
from complaints.services.references import format_reference, reserve_numbers

# Cases made (and held in memory) at a time, whichever way they are written. A bulk load makes
# the next batch while the database stores the last, so smaller batches start that sooner.
BATCH_CASES = 10_000
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
# Most demo work is recent, as in a real queue; the rest fills the year and more for reports.
RECENT_SHARE, RECENT_DAYS, OLDEST_DAYS = 0.45, 90, 420
ADULTS_MADE_BY = (MadeBy.COMPLAINANT, MadeBy.COMPLAINANT, MadeBy.REPRESENTATIVE)
# Every name a demo complainant may have, with the e-mail address made from it, and every address.
COMPLAINANTS = tuple(
    (f"{first} {last}", f"{first.lower()}.{last.lower()}@example.net")
    for first in words.FIRST_NAMES
    for last in words.SURNAMES
)
ADDRESSES = tuple(f"{number} High Street\nExampletown\nEX1 2AB" for number in range(1, 121))
LATE_REASON = "Accepted late: the complainant only recently learned of the matter"
MATTERS: dict[Procedure, Sequence[tuple[str, list[str]]]] = {
    Procedure.STATUTORY_CHILDREN: words.CHILDREN_MATTERS,
    Procedure.ADULT_SOCIAL_CARE: words.ADULT_MATTERS,
    Procedure.CORPORATE: words.CORPORATE_MATTERS,
}
OTHER_FEEDBACK = {
    FeedbackType.COMPLIMENT: words.COMPLIMENTS,
    FeedbackType.COMMENT: words.COMMENTS,
    FeedbackType.QUESTION: words.QUESTIONS,
}


class DemoGenerator:
    """`count` demo cases and everything they end up with, for the database `session` is in:
    its teams, staff and categories, its next ids and references (taken here, so making the
    batches needs the database no more). One seeded stream of choices makes them, so the same
    seed and count give the same council."""

    def __init__(self, ctx: Context, session: Session, seed: int, count: int) -> None:
        self.count = count
        self.prefix = ctx.settings.council.reference_prefix
        self.contact_methods = tuple(ctx.settings.lists.contact_methods)
        self.dice = Dice(seed)
        self.timeline = Timeline(ctx.settings, ctx.calendar, ctx.clock.today(), ctx.clock.now())
        self.ids = DemoIds(session.connection())
        self.states: Counter[str] = Counter()
        teams = {team.name: team.id for team in session.exec(select(Team)).all()}
        users = list(session.exec(select(User)).all())
        self.category_ids = [category.id for category in session.exec(select(Category)).all()]
        self.teams = {
            Procedure.STATUTORY_CHILDREN: _found(teams, CHILDREN_TEAMS),
            Procedure.ADULT_SOCIAL_CARE: _found(teams, ("Adult Social Care",)),
        }
        self.other_teams = _found(teams, CORPORATE_TEAMS)
        self.any_team = list(teams.values())
        staff = {user.username: user.id for user in users}
        self.loggers = _found(staff, ("officer.patel", "officer.hughes"))
        self.children_investigators = _found(staff, ("qa.jones", "qa.okafor", "qa.wright"))
        self.adults_officers = _found(staff, ("officer.clarke",))
        self.team_officers: dict[int | None, list[int | None]] = {}
        for user in users:
            if user.role is Role.OFFICER and user.team_id is not None:
                self.team_officers.setdefault(user.team_id, []).append(user.id)
        self.mix = tuple((procedure, kind) for procedure, kind, _ in PROCEDURE_MIX)
        self.mix_weights = tuple(itertools.accumulate(weight for *_, weight in PROCEDURE_MIX))
        self.received_per_day = self._draw_received(count)
        by_year: Counter[int] = Counter()
        for day, cases in self._days_received():
            by_year[day.year] += cases
        self.numbers = {
            year: iter(reserve_numbers(session, self.prefix, year, cases))
            for year, cases in by_year.items()
        }

    def batches(self) -> Iterator[DemoBatch]:
        """The rows of the cases, `BATCH_CASES` cases at a time, oldest received first."""
        received = self._received_dates()
        for start in range(0, self.count, BATCH_CASES):
            days = itertools.islice(received, min(BATCH_CASES, self.count - start))
            yield self._batch(days)

    def _batch(self, received: Iterable[date]) -> DemoBatch:
        # Each case is made and played through before the next, so how the cases are split
        # into batches makes no difference to the council.
        batch = DemoBatch()
        for day in received:
            self._play(self._new_case(day), batch)
        return batch

    def _play(self, case: DemoCase, batch: DemoBatch) -> None:
        """Play `case` through to today, writing its rows into `batch`."""
        officer_id, investigator_id = self._people_for(case)
        case.officer_id = investigator_id
        history = CaseHistory(
            case,
            timeline=self.timeline,
            dice=self.dice,
            ids=self.ids,
            batch=batch,
            officer_id=officer_id,
            investigator_id=investigator_id,
        )
        history.add_points(case.point_descriptions)
        play_forward(history)
        history.finish()
        self._file(case, batch)
        self.states[case.state] += 1

    def _draw_received(self, count: int) -> list[int]:
        """How many of the cases were received on each day, by days before today: the days are
        drawn first and only counted, so the cases can then be made oldest first (references
        and ids in the order they came in) without holding them all."""
        received_per_day = [0] * (OLDEST_DAYS + 1)
        for _ in range(count):
            recent = self.dice.chance(RECENT_SHARE)
            received_per_day[self.dice.between(0, RECENT_DAYS if recent else OLDEST_DAYS)] += 1
        return received_per_day

    def _days_received(self) -> Iterator[tuple[date, int]]:
        """Each day cases were received, oldest first, with how many."""
        today = self.timeline.today
        for days_back in range(OLDEST_DAYS, -1, -1):
            if self.received_per_day[days_back]:
                yield today - timedelta(days=days_back), self.received_per_day[days_back]

    def _received_dates(self) -> Iterator[date]:
        for day, cases in self._days_received():
            yield from itertools.repeat(day, cases)

    def _new_case(self, received: date) -> DemoCase:
        dice = self.dice
        procedure, feedback_type = self._procedure()
        summary, points = self._matter(procedure, feedback_type)
        is_child = procedure is Procedure.STATUTORY_CHILDREN and dice.chance(0.2)
        name, email = dice.pick(COMPLAINANTS)
        matter_date = received - timedelta(days=dice.between(3, 200))
        late = feedback_type is FeedbackType.COMPLAINT and dice.chance(0.03)
        if late:
            matter_date = received - timedelta(days=dice.between(380, 700))
        team_id = self._team_for(procedure)
        now = self.timeline.now
        details = (
            feedback_type, procedure, received, team_id, dice.pick(self.contact_methods),
            MadeBy.CHILD if is_child else dice.pick(ADULTS_MADE_BY), name, email,
            f"07700 900{dice.between(0, 999):03d}", dice.pick(ADDRESSES), is_child,
            "Jordan Lee (advocacy service)" if is_child and dice.chance(0.5) else None, True,
            summary, matter_date, not late, LATE_REASON if late else None, 1, now, now,
        )  # fmt: skip
        reference = format_reference(self.prefix, received.year, next(self.numbers[received.year]))
        return DemoCase(
            self.ids.take(CASES), procedure, feedback_type, received, team_id, details, points,
            reference,
        )  # fmt: skip

    def _procedure(self) -> tuple[Procedure, FeedbackType]:
        drawn = self.dice.random() * self.mix_weights[-1]
        return next(
            kinds
            for kinds, weight in zip(self.mix, self.mix_weights, strict=True)
            if drawn < weight
        )

    def _matter(self, procedure: Procedure, feedback_type: FeedbackType) -> tuple[str, list[str]]:
        """What the feedback is about and, for a complaint, its points (at least one)."""
        if feedback_type is not FeedbackType.COMPLAINT:
            return self.dice.pick(OTHER_FEEDBACK[feedback_type]), []
        summary, points = self.dice.pick(MATTERS[procedure])
        return summary, self.dice.some(points, 1, len(points))

    def _team_for(self, procedure: Procedure) -> int | None:
        # A council without the demo's usual teams still gets its cases spread over its own.
        teams = self.teams.get(procedure, self.other_teams) or self.any_team
        return self.dice.pick(teams) if teams else None

    def _people_for(self, case: DemoCase) -> tuple[int | None, int | None]:
        """Who logs the case and who investigates it."""
        if case.procedure is Procedure.ADULT_SOCIAL_CARE:
            return self._one_of(self.adults_officers), self._one_of(self.adults_officers)
        officer = self._one_of(self.loggers)
        if case.procedure is Procedure.STATUTORY_CHILDREN:
            return officer, self._one_of(self.children_investigators)
        return officer, self._one_of(self.team_officers.get(case.team_id)) or officer

    def _one_of(self, people: Sequence[int | None] | None) -> int | None:
        return self.dice.pick(people) if people else None

    def _file(self, case: DemoCase, batch: DemoBatch) -> None:
        """The case's categories, and the audit event that says how it came to be."""
        for category_id in self.dice.some(self.category_ids, 1, 2):
            batch[CATEGORIES].append((case.id, category_id))
        after = {"reference": case.reference, "state": case.state, "stage": case.stage}
        batch[EVENTS].append((
            self.ids.take(EVENTS), case.id, self.timeline.now, "demo_case_loaded",
            f"Demo case loaded in state {case.state}", after,
        ))  # fmt: skip


def _found(ids: dict[str, int | None], names: Sequence[str]) -> list[int | None]:
    return [ids[name] for name in names if name in ids]
