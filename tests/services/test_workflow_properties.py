"""A hypothesis state machine fires random triggers, and writes, puts forward, signs off and
sends the response letters, as random people, on random days, at cases of every complaint
procedure, and checks after each step what must always hold: the case is in a declared state;
each running deadline falls on a working day; a stopped deadline never runs again; every open
due date is its Day 0 plus its extensions plus its days on hold; every accepted change has
exactly one audit event; a refused change changes nothing (but for an approval it found stale
and withdrew, which is recorded); a letter is only ever sent as it was approved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlmodel import col, select

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError
from complaints.letters.kinds import RESPONSES
from complaints.models import AuditEvent, Deadline, Extension, FeedbackCase, Letter
from complaints.services.calendar_changes import recomputed_due_on
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback, show_case
from complaints.services.letters import approve_letter, draft_letter, send_letter, submit_letter
from complaints.services.points import add_complaint_point, record_finding
from complaints.services.views import CaseView
from tests.support import version_of
from workflows import WORKFLOWS
from workflows.definition import FieldKind, FieldSpec

PROCEDURES = ("statutory_children", "corporate", "adult_social_care")
PEOPLE = ("off", "qa", "mgr", "admin")
ENDED = {"stopped", "cancelled", "superseded"}


def field_value(spec: FieldSpec, today: date, data: st.DataObject) -> str:
    if spec.kind is FieldKind.DATE:
        return (today + timedelta(days=data.draw(st.integers(20, 60)))).isoformat()
    if spec.kind is FieldKind.BOOLEAN:
        return data.draw(st.sampled_from(["yes", "yes", "no"]))
    if spec.kind is FieldKind.CHOICE:
        return data.draw(st.sampled_from(spec.choices))
    if spec.kind is FieldKind.USER:
        return "qa"
    if spec.kind is FieldKind.WHOLE_NUMBER:
        return str(data.draw(st.integers(-1, 12)))
    return "recorded by the state machine"


def run_machine(ctx: Context, clock: SettableClock) -> None:
    class CaseLife(RuleBasedStateMachine):
        """One case's life; each example starts a new case in the same database."""

        @initialize(
            procedure=st.sampled_from(PROCEDURES),
            received=st.dates(date(2025, 1, 1), date(2026, 10, 31)),
        )
        def log(self, procedure: str, received: date) -> None:
            clock.set(received)
            feedback = NewFeedback(
                procedure=procedure,
                feedback_type="complaint",
                received_on=received,
                summary="A complaint from the state machine",
                complainant_name="Hypothesis Jones",
            )
            self.case = log_feedback(ctx, feedback, by="off")
            self.workflow = WORKFLOWS[procedure]
            self.accepted = 1  # logging it
            self.ended: set[int] = set()  # positions (in id order) of deadlines that ended
            self.letter: int | None = None  # the response letter being written

        @rule(
            days=st.integers(0, 12),
            trigger=st.sampled_from(
                sorted({t for w in WORKFLOWS.values() for t in w.triggers} | {"fly"})
            ),
            by=st.sampled_from(PEOPLE),
            data=st.data(),
        )
        def fire(self, days: int, trigger: str, by: str, data: st.DataObject) -> None:
            clock.advance(timedelta(days=days))
            candidates = self.workflow.transitions_for(trigger)
            fitting = [t for t in candidates if self.case.state in t.source] or list(candidates)
            values = {}
            if fitting:
                for spec in fitting[0].fields:
                    if spec.required or data.draw(st.booleans()):
                        values[spec.name] = field_value(spec, clock.today(), data)
            self._attempt(
                lambda: fire_trigger(
                    ctx,
                    self.case.reference,
                    trigger,
                    by=by,
                    values=values,
                    expected_version=version_of(ctx, self.case.reference),
                )
            )

        @rule(by=st.sampled_from(PEOPLE))
        def write_the_response(self, by: str) -> None:
            templates = sorted(
                {
                    t.letter
                    for t in self.workflow.transitions
                    if t.letter in RESPONSES and self.case.state in t.source
                }
                | {"stage1_response"}
            )
            drafted = self._attempt(
                lambda: draft_letter(
                    ctx,
                    self.case.reference,
                    templates[0],
                    by=by,
                    expected_version=version_of(ctx, self.case.reference),
                )
            )
            if drafted is not None:
                self.letter = drafted.id

        @rule(
            move=st.sampled_from(["submit", "approve", "send"]),
            by=st.sampled_from(PEOPLE),
            days=st.integers(0, 1),
        )
        def move_the_letter(self, move: str, by: str, days: int) -> None:
            clock.advance(timedelta(days=days))
            if self.letter is None:
                return
            reference, letter = self.case.reference, self.letter
            calls = {
                "submit": lambda: submit_letter(
                    ctx, reference, letter, by=by, expected_version=version_of(ctx, reference)
                ),
                "approve": lambda: approve_letter(
                    ctx, reference, letter, by=by, expected_version=version_of(ctx, reference)
                ),
                "send": lambda: send_letter(
                    ctx, reference, letter, by=by, expected_version=version_of(ctx, reference)
                ),
            }
            self._attempt(calls[move])

        @rule(days=st.integers(0, 3), by=st.sampled_from(PEOPLE), restart=st.booleans())
        def add_point(self, days: int, by: str, restart: bool) -> None:
            clock.advance(timedelta(days=days))
            self._attempt(
                lambda: add_complaint_point(
                    ctx,
                    self.case.reference,
                    "A point",
                    by=by,
                    restart=restart,
                    expected_version=version_of(ctx, self.case.reference),
                )
            )

        @rule(
            point=st.integers(1, 3),
            outcome=st.sampled_from(["upheld", "partially_upheld", "not_upheld"]),
        )
        def find(self, point: int, outcome: str) -> None:
            self._attempt(
                lambda: record_finding(
                    ctx,
                    self.case.reference,
                    point,
                    outcome,
                    by="qa",
                    expected_version=version_of(ctx, self.case.reference),
                )
            )

        def _attempt(self, change: object) -> object:
            """Make the change; the number of audit events it wrote is the number of changes
            accepted, and the case's version moves on by as many. A refused change changes
            nothing, except an approval found stale on the way and withdrawn."""
            before = show_case(ctx, self.case.reference, by="admin")
            audits = self._audit_count()
            try:
                result = change()  # type: ignore[operator]
            except DomainError:
                current = show_case(ctx, self.case.reference, by="admin")
                withdrawn = self._audit_count() - audits
                assert (
                    self._actions()[len(self._actions()) - withdrawn :]
                    == ["letters_checked"] * withdrawn
                )
                assert current.version == before.version + withdrawn
                assert (current.state, current.deadlines, current.points) == (
                    before.state,
                    before.deadlines,
                    before.points,
                )
                self.accepted += withdrawn
                return None
            current = show_case(ctx, self.case.reference, by="admin")
            written = self._audit_count() - audits
            assert written >= 1
            self.accepted += written
            assert current.version == before.version + written
            self.case = current
            return result

        def _actions(self) -> list[str]:
            with ctx.database.reader() as session:
                case_id = session.exec(
                    select(FeedbackCase.id).where(FeedbackCase.reference == self.case.reference)
                ).one()
                return list(
                    session.exec(
                        select(AuditEvent.action)
                        .where(AuditEvent.case_id == case_id)
                        .order_by(col(AuditEvent.id))
                    ).all()
                )

        def _audit_count(self) -> int:
            with ctx.database.reader() as session:
                case_id = session.exec(
                    select(FeedbackCase.id).where(FeedbackCase.reference == self.case.reference)
                ).one()
                return session.exec(
                    select(sa.func.count())
                    .select_from(AuditEvent)
                    .where(AuditEvent.case_id == case_id)
                ).one()

        @invariant()
        def letters_are_sent_as_approved(self) -> None:
            with ctx.database.reader() as session:
                for letter in session.exec(select(Letter)).all():
                    if letter.status.value == "sent" and letter.template in RESPONSES:
                        assert letter.sha256 is not None
                        assert letter.sha256 == letter.approved_sha256 or letter.sent_outside_reason

        @invariant()
        def state_is_declared(self) -> None:
            assert self.case.state in self.workflow.states

        @invariant()
        def running_deadlines_fall_on_working_days(self) -> None:
            for deadline in self._deadlines():
                if deadline.status == "running":
                    assert ctx.calendar.is_working_day(deadline.due_on), deadline

        @invariant()
        def stopped_deadlines_stay_stopped(self) -> None:
            for position, deadline in enumerate(self._deadlines()):
                if position in self.ended:
                    assert deadline.status in ENDED, f"{deadline.name} ran again after it ended"
                if deadline.status in ENDED:
                    assert deadline.stopped_on is not None
                    assert deadline.stopped_on >= deadline.started_on
                    self.ended.add(position)

        @invariant()
        def open_due_dates_follow_from_day_zero_extensions_and_holds(self) -> None:
            with ctx.database.reader() as session:
                case = session.exec(
                    select(FeedbackCase).where(FeedbackCase.reference == self.case.reference)
                ).one()
                for deadline in session.exec(
                    select(Deadline).where(
                        Deadline.case_id == case.id, col(Deadline.counted_from_on).is_not(None)
                    )
                ).all():
                    unit = ctx.settings.timescale(case.procedure.value, deadline.name).unit
                    if deadline.status.value not in ("running", "paused") or unit != "working_days":
                        continue
                    extensions = list(
                        session.exec(select(Extension).where(Extension.deadline_id == deadline.id))
                    )
                    expected = recomputed_due_on(
                        ctx.settings, ctx.calendar, case, deadline, extensions
                    )
                    assert deadline.due_on == expected, deadline

        @invariant()
        def audit_counts_accepted_changes(self) -> None:
            assert self._audit_count() == self.accepted

        def _deadlines(self) -> tuple:  # type: ignore[type-arg]
            current: CaseView = show_case(ctx, self.case.reference, by="admin")
            return current.deadlines

    CaseLife.TestCase.settings = settings(
        max_examples=20,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    CaseLife.TestCase().runTest()


@pytest.mark.usefixtures("council")
def test_random_lives_of_cases_keep_every_invariant(ctx: Context, clock: SettableClock) -> None:
    run_machine(ctx, clock)
