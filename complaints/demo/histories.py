"""Plausible case histories for the demo council, played forward from receipt to today.

Each history follows the path its procedure's timescales describe (docs/workflows.md): timers start
on the events that start them and stop when answered, some late, so the demo has overdue work,
escalations to stage 2 and 3, and closed cases with findings and remedies. A history writes the
rows its case ends up with into a batch (rows.py), whichever way the batch is then saved.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from complaints.calendar import WorkingCalendar
from complaints.config import Settings
from complaints.deadlines import due_on_for
from complaints.demo import words
from complaints.demo.rows import (
    ACTIONS,
    CASES,
    COSTS,
    DEADLINES,
    ESCALATIONS,
    EXTENSIONS,
    LESSONS,
    OMBUDSMAN,
    OUTCOMES,
    POINTS,
    REMEDIES,
    DemoBatch,
    DemoIds,
    Row,
)
from complaints.models import (
    ActionKind,
    ActionStatus,
    CostKind,
    DeadlineStatus,
    EscalationReason,
    FeedbackType,
    LgscoDecision,
    Outcome,
    Procedure,
    RemedyKind,
)
from workflows import WORKFLOWS

T = TypeVar("T")

FINDINGS = (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD)
STAGE2_REASONS = (
    EscalationReason.DISSATISFIED_WITH_RESPONSE,
    EscalationReason.DISSATISFIED_WITH_RESPONSE,
    EscalationReason.NO_RESPONSE,
    EscalationReason.NO_FOLLOW_UP_ACTION,
    EscalationReason.DISSATISFIED_AFTER_MEDIATION,
    EscalationReason.REQUESTED_NEXT_STAGE_DIRECTLY,
)
FURTHER_REMEDIES = (RemedyKind.SERVICE_PROVIDED, RemedyKind.CHANGE_IN_PROCESS, RemedyKind.FINANCIAL)
FINANCIAL_REMEDIES = tuple(Decimal(amount) for amount in (50, 100, 150, 250, 500))
ACTION_KINDS = (ActionKind.ACTION, ActionKind.RECOMMENDATION)
DECISIONS = tuple(LgscoDecision)
UPHELD_DECISIONS = (
    LgscoDecision.UPHELD_FAULT_AND_INJUSTICE,
    LgscoDecision.UPHELD_FAULT_NO_INJUSTICE,
)
ENDED = ("closed", "withdrawn", "redirected")


class Dice:
    """Uniform random choices from one seeded stream, made with `random()` alone: a demo council
    takes millions of small choices, and these cost a third of `random.Random`'s own."""

    __slots__ = ("random",)

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed).random

    def chance(self, probability: float) -> bool:
        return self.random() < probability

    def between(self, low: int, high: int) -> int:
        """A whole number from `low` to `high`, both included."""
        return low + int(self.random() * (high - low + 1))

    def pick(self, options: Sequence[T]) -> T:
        return options[int(self.random() * len(options))]

    def some(self, options: Sequence[T], fewest: int, most: int) -> list[T]:
        """Between `fewest` and `most` different options, in random order."""
        pool = list(options)
        count = min(self.between(fewest, most), len(pool))
        for index in range(count):
            other = index + int(self.random() * (len(pool) - index))
            pool[index], pool[other] = pool[other], pool[index]
        return pool[:count]


class Timeline:
    """Today, the working-day calendar and the timescales, shared by every history of a load.
    A demo has few distinct days, so each due date is worked out once and remembered."""

    def __init__(
        self, settings: Settings, calendar: WorkingCalendar, today: date, now: datetime
    ) -> None:
        self.settings = settings
        self.calendar = calendar
        self.today = today
        self.now = now
        self._due: dict[tuple[str, str, date], date] = {}

    def due_on(self, procedure: Procedure, step: str, counted_from: date) -> date:
        key = (procedure.value, step, counted_from)
        due = self._due.get(key)
        if due is None:
            workflow = WORKFLOWS[procedure.value]
            due = self._due[key] = due_on_for(
                self.settings, self.calendar, workflow, step, counted_from
            )
        return due


@dataclass(slots=True)
class DemoCase:
    """A demo case as it is played forward: what its history changes, and the rest of its row
    (`details`, the CASES columns from `feedback_type` on) as it was received."""

    id: int
    procedure: Procedure
    feedback_type: FeedbackType
    received_on: date
    team_id: int | None
    details: Row
    point_descriptions: Sequence[str]
    reference: str = ""
    state: str = "received"
    stage: int = 1
    officer_id: int | None = None
    closed_on: date | None = None

    def row(self) -> Row:
        changed = (self.id, self.reference, self.state, self.stage, self.officer_id)
        return (*changed, self.closed_on, *self.details)


@dataclass(slots=True)
class DemoDeadline:
    """One timer of a demo case as it is played forward."""

    id: int
    name: str
    stage: int
    started_on: date
    counted_from_on: date
    original_due_on: date
    due_on: date
    owner_id: int | None
    status: DeadlineStatus = DeadlineStatus.RUNNING
    extended_to: date | None = None
    stopped_on: date | None = None

    def row(self, case_id: int, now: datetime) -> Row:
        return (
            self.id, case_id, self.name, self.stage, self.started_on, self.counted_from_on,
            self.original_due_on, self.due_on, self.extended_to, self.stopped_on, 0,
            self.status, self.owner_id, now,
        )  # fmt: skip


class CaseHistory:
    """One case being played forward; it writes the rows the case ends up with into `batch`."""

    def __init__(
        self,
        case: DemoCase,
        *,
        timeline: Timeline,
        dice: Dice,
        ids: DemoIds,
        batch: DemoBatch,
        officer_id: int | None,
        investigator_id: int | None,
    ) -> None:
        self.case = case
        self.timeline = timeline
        self.today = timeline.today
        self.now = timeline.now
        self.dice = dice
        self.ids = ids
        self.batch = batch
        self.officer_id = officer_id
        self.investigator_id = investigator_id
        self.points: list[int] = []  # the ids of the case's complaint points
        self.deadlines: dict[str, DemoDeadline] = {}
        self.stages_found: set[int] = set()

    def add_points(self, descriptions: Sequence[str]) -> None:
        case = self.case
        rows = self.batch[POINTS]
        for number, description in enumerate(descriptions, start=1):
            point_id = self.ids.take(POINTS)
            self.points.append(point_id)
            rows.append((
                point_id, case.id, number, description, case.team_id, self.investigator_id, 1,
                case.received_on, self.now,
            ))  # fmt: skip

    def finish(self) -> None:
        """Write the case's deadlines and the case itself as they stand today."""
        rows = self.batch[DEADLINES]
        for deadline in self.deadlines.values():
            rows.append(deadline.row(self.case.id, self.now))
        self.batch[CASES].append(self.case.row())

    def reached(self, day: date) -> bool:
        return day <= self.today

    def after(self, day: date, working_days: int) -> date:
        return self.timeline.calendar.add_working_days(day, working_days)

    def start(
        self, step: str, on: date, *, owner_id: int | None, counted_from: date | None = None
    ) -> DemoDeadline:
        day_0 = counted_from or on
        due_on = self.timeline.due_on(self.case.procedure, step, day_0)
        deadline = DemoDeadline(
            self.ids.take(DEADLINES), step, self.case.stage, on, day_0, due_on, due_on, owner_id
        )
        self.deadlines[step] = deadline
        return deadline

    def stop(self, step: str, on: date) -> None:
        deadline = self.deadlines[step]
        deadline.stopped_on = on
        deadline.status = DeadlineStatus.STOPPED

    def extend(self, step: str, working_days: int) -> None:
        """An extension the complainant agreed to, moving the step's due date on."""
        deadline = self.deadlines[step]
        previous = deadline.due_on
        deadline.due_on = deadline.extended_to = self.after(previous, working_days)
        self.batch[EXTENSIONS].append((
            self.ids.take(EXTENSIONS), deadline.id, self.case.id, previous, deadline.due_on,
            working_days, self.dice.pick(words.EXTENSION_REASONS), self.officer_id, True,
            previous, self.now,
        ))  # fmt: skip

    def cost(self, stage: int, kind: CostKind, low: int, high: int, on: date) -> None:
        amount = Decimal(self.dice.between(low, high) * 10)
        self.batch[COSTS].append(
            (self.ids.take(COSTS), self.case.id, stage, kind, amount, on, self.now)
        )

    def follow_up(self, stage: int, on: date) -> None:
        """Some upheld complaints lead to an action and a lesson learned."""
        dice = self.dice
        if dice.chance(0.4):
            due_on = self.after(on, dice.between(10, 40))
            done_on = self.after(due_on, dice.between(-8, 12))
            completed = done_on if self.reached(done_on) else None
            self.batch[ACTIONS].append((
                self.ids.take(ACTIONS), self.case.id, stage, dice.pick(ACTION_KINDS),
                dice.pick(words.ACTIONS), self.investigator_id, due_on,
                ActionStatus.COMPLETED if completed else ActionStatus.OPEN, completed,
                "Confirmed by the service manager" if completed else None, self.now,
            ))  # fmt: skip
        if dice.chance(0.3):
            self.batch[LESSONS].append((
                self.ids.take(LESSONS), self.case.id, dice.pick(words.LESSONS), on,
                self.investigator_id, self.now,
            ))  # fmt: skip

    def ombudsman(self, closed_on: date) -> None:
        """A few closed complaints go on to the Ombudsman."""
        dice = self.dice
        received = self.after(closed_on, dice.between(10, 60))
        if not dice.chance(0.08) or not self.reached(received):
            return
        responded = self.after(received, dice.between(10, 25))
        decided = self.after(responded, dice.between(20, 80))
        decision = dice.pick(DECISIONS) if self.reached(decided) else None
        upheld = decision in UPHELD_DECISIONS
        compliance_due = self.after(decided, 30) if upheld else None
        complied = self.after(decided, dice.between(10, 40)) if upheld else None
        reference = f"{received.year % 100} {dice.between(0, 999):03d} {dice.between(0, 999):03d}"
        self.batch[OMBUDSMAN].append((
            self.ids.take(OMBUDSMAN), self.case.id, reference, received,
            self.after(received, 20), responded if self.reached(responded) else None, decision,
            decided if decision else None,
            "An apology and £150 for time and trouble" if upheld else None, compliance_due,
            complied if complied and self.reached(complied) else None,
            decided if decision and not upheld else None, self.now,
        ))  # fmt: skip

    def due(self, step: str) -> date:
        return self.deadlines[step].due_on

    def move_to(self, state: str) -> None:
        self.case.state = state

    def close(self, on: date) -> None:
        self.case.state = "closed"
        self.case.closed_on = on
        for deadline in self.deadlines.values():
            if deadline.status is DeadlineStatus.RUNNING:
                deadline.status = DeadlineStatus.STOPPED
                deadline.stopped_on = on
        if self.stages_found:
            self.ombudsman(on)

    def withdraw(self, on: date) -> None:
        self.case.state = "withdrawn"
        self.case.closed_on = on
        for deadline in self.deadlines.values():
            if deadline.status is DeadlineStatus.RUNNING:
                deadline.status = DeadlineStatus.CANCELLED
                deadline.stopped_on = on
        stage = self.case.stage or 1
        if stage not in self.stages_found:
            for point_id in self.points:
                self._finding(point_id, stage, Outcome.WITHDRAWN, on)

    def escalate(self, to_stage: int, on: date) -> None:
        self.case.stage = to_stage
        self.batch[ESCALATIONS].append((
            self.ids.take(ESCALATIONS), self.case.id, to_stage, on,
            self.dice.pick(STAGE2_REASONS), self.now,
        ))  # fmt: skip

    def record_findings(self, stage: int, on: date) -> None:
        """A finding on every point and the remedies that follow from them."""
        self.stages_found.add(stage)
        findings = [self.dice.pick(FINDINGS) for _ in self.points]
        for point_id, finding in zip(self.points, findings, strict=True):
            self._finding(point_id, stage, finding, on)
        kinds = [RemedyKind.EXPLANATION]
        if any(finding is not Outcome.NOT_UPHELD for finding in findings):
            self.follow_up(stage, on)
            kinds.append(RemedyKind.APOLOGY)
            kinds += self.dice.some(FURTHER_REMEDIES, 0, 2)
        rows = self.batch[REMEDIES]
        for kind in kinds:
            amount = self.dice.pick(FINANCIAL_REMEDIES) if kind is RemedyKind.FINANCIAL else None
            rows.append((self.ids.take(REMEDIES), self.case.id, stage, kind, amount, on, self.now))

    def _finding(self, point_id: int, stage: int, outcome: Outcome, on: date) -> None:
        self.stages_found.add(stage)
        self.batch[OUTCOMES].append(
            (self.ids.take(OUTCOMES), point_id, stage, outcome, on, self.now)
        )


def play_forward(history: CaseHistory) -> None:
    """Move the case along its procedure's path as far as today allows."""
    paths = {
        Procedure.STATUTORY_CHILDREN: _statutory_children,
        Procedure.CORPORATE: _corporate,
        Procedure.ADULT_SOCIAL_CARE: _adult_social_care,
        Procedure.FEEDBACK: _feedback,
        Procedure.REDIRECTION: _feedback,
    }
    paths[history.case.procedure](history)
    if history.case.state not in ENDED and history.dice.chance(0.03):
        history.withdraw(history.today)


def _statutory_children(h: CaseHistory) -> None:
    received = h.case.received_on
    h.move_to("received")
    h.start("acknowledgement", received, owner_id=h.officer_id)
    h.start("stage1_response", received, owner_id=h.investigator_id)
    acknowledged = h.after(received, h.dice.pick((0, 1, 1, 2, 2, 2, 4, 8)))
    if not h.reached(acknowledged):
        return
    h.stop("acknowledgement", acknowledged)
    h.move_to("stage1_investigating")
    h.start("first_contact", acknowledged, owner_id=h.investigator_id)
    contacted = h.after(acknowledged, h.dice.pick((1, 2, 2, 3)))
    if h.reached(contacted):
        h.stop("first_contact", contacted)
    if not _stage1_answered(h, h.after(received, h.dice.between(5, 24))):
        return
    h.start(
        "stage2_request_window",
        h.deadlines["stage1_response"].stopped_on or received,
        owner_id=None,
    )
    if h.dice.chance(0.15):
        _statutory_stage2(
            h, h.after(h.deadlines["stage2_request_window"].started_on, h.dice.between(2, 19))
        )
    elif h.reached(h.due("stage2_request_window")):
        h.close(h.due("stage2_request_window"))


def _stage1_answered(h: CaseHistory, sent: date) -> bool:
    """Stage 1 is answered on `sent` if that day has come; otherwise it may be at QA."""
    if not h.reached(sent):
        qa_from = h.after(sent, -2)
        if h.reached(qa_from):
            h.move_to("stage1_qa")
            h.start(
                "qa_signoff",
                qa_from,
                owner_id=h.investigator_id,
                counted_from=h.due("stage1_response"),
            )
        return False
    late_by = h.timeline.calendar.working_days_between(h.due("stage1_response"), sent)
    if late_by > 0 and h.case.procedure is Procedure.STATUTORY_CHILDREN and h.dice.chance(0.6):
        h.extend("stage1_response", min(10, late_by + h.dice.between(0, 2)))
    h.stop("stage1_response", sent)
    h.move_to("stage1_responded")
    h.record_findings(1, sent)
    return True


def _statutory_stage2(h: CaseHistory, requested: date) -> None:
    if not h.reached(requested):
        return
    h.stop("stage2_request_window", requested)
    h.escalate(2, requested)
    h.move_to("stage2_statement")
    agreed = h.after(requested, h.dice.between(3, 12))
    if not h.reached(agreed):
        return
    h.move_to("stage2_investigating")
    h.start("stage2_investigation", agreed, owner_id=h.investigator_id)
    reported = h.after(agreed, h.dice.between(18, 45))
    if not h.reached(reported):
        return
    late_by = h.timeline.calendar.working_days_between(h.due("stage2_investigation"), reported)
    if late_by > 0 and h.dice.chance(0.8):
        h.extend("stage2_investigation", min(40, late_by + h.dice.between(0, 5)))
    h.stop("stage2_investigation", reported)
    h.cost(2, CostKind.INVESTIGATING_OFFICER, 80, 300, reported)
    h.cost(2, CostKind.INDEPENDENT_PERSON, 40, 120, reported)
    h.move_to("stage2_adjudication")
    h.start("adjudication", reported, owner_id=h.investigator_id)
    adjudicated = h.after(reported, h.dice.between(5, 24))
    if not h.reached(adjudicated):
        return
    h.stop("adjudication", adjudicated)
    h.move_to("stage2_responded")
    h.record_findings(2, adjudicated)
    h.start("stage3_request_window", adjudicated, owner_id=None)
    if h.dice.chance(0.3):
        _statutory_stage3(h, h.after(adjudicated, h.dice.between(3, 18)))
    elif h.reached(h.due("stage3_request_window")):
        h.close(h.due("stage3_request_window"))


def _statutory_stage3(h: CaseHistory, requested: date) -> None:
    if not h.reached(requested):
        return
    h.stop("stage3_request_window", requested)
    h.escalate(3, requested)
    h.move_to("stage3_panel_pending")
    h.start("panel_meeting", requested, owner_id=h.officer_id)
    met = h.after(requested, h.dice.between(15, 34))
    if not h.reached(met):
        return
    h.stop("panel_meeting", met)
    h.cost(3, CostKind.PANEL, 60, 150, met)
    h.move_to("stage3_panel_held")
    h.start("panel_report", met, owner_id=h.officer_id)
    reported = h.after(met, h.dice.between(2, 6))
    if not h.reached(reported):
        return
    h.stop("panel_report", reported)
    h.move_to("stage3_response")
    h.start("panel_response", reported, owner_id=h.investigator_id)
    answered = h.after(reported, h.dice.between(8, 17))
    if h.reached(answered):
        h.stop("panel_response", answered)
        h.record_findings(3, answered)
        h.close(answered)


def _corporate(h: CaseHistory) -> None:
    received = h.case.received_on
    h.move_to("received")
    h.start("acknowledgement", received, owner_id=h.officer_id)
    acknowledged = h.after(received, h.dice.pick((1, 2, 3, 4, 5, 7)))
    if not h.reached(acknowledged):
        return
    h.stop("acknowledgement", acknowledged)
    h.move_to("stage1_investigating")
    h.start("stage1_response", acknowledged, owner_id=h.investigator_id)
    if not _stage1_answered(h, h.after(acknowledged, h.dice.between(4, 16))):
        return
    answered = h.deadlines["stage1_response"].stopped_on or acknowledged
    requested = h.after(answered, h.dice.between(2, 25))
    if h.dice.chance(0.15) and h.reached(requested):
        _corporate_stage2(h, requested)
    elif h.reached(h.after(answered, 20)):
        h.close(h.after(answered, 20))


def _corporate_stage2(h: CaseHistory, requested: date) -> None:
    h.escalate(2, requested)
    h.move_to("stage2_received")
    h.start("stage2_acknowledgement", requested, owner_id=h.officer_id)
    acknowledged = h.after(requested, h.dice.between(1, 6))
    if not h.reached(acknowledged):
        return
    h.stop("stage2_acknowledgement", acknowledged)
    h.move_to("stage2_investigating")
    h.start("stage2_response", acknowledged, owner_id=h.investigator_id)
    answered = h.after(acknowledged, h.dice.between(10, 28))
    if not h.reached(answered):
        return
    h.stop("stage2_response", answered)
    h.move_to("stage2_responded")
    h.record_findings(2, answered)
    if h.reached(h.after(answered, 10)):
        h.close(h.after(answered, 10))


def _adult_social_care(h: CaseHistory) -> None:
    received = h.case.received_on
    h.move_to("received")
    h.start("acknowledgement", received, owner_id=h.officer_id)
    acknowledged = h.after(received, h.dice.pick((1, 2, 3, 3, 5)))
    if not h.reached(acknowledged):
        return
    h.stop("acknowledgement", acknowledged)
    h.move_to("investigating")
    h.start("response", received, owner_id=h.investigator_id)
    answered = h.after(received, h.dice.between(15, 140))
    if not h.reached(answered):
        return
    h.stop("response", answered)
    h.move_to("responded")
    h.case.stage = 1
    h.record_findings(1, answered)
    if h.reached(h.after(answered, 20)):
        h.close(h.after(answered, 20))


def _feedback(h: CaseHistory) -> None:
    h.case.stage = 0
    closed = h.after(h.case.received_on, h.dice.between(1, 5))
    if h.reached(closed):
        h.close(closed)
        if h.case.procedure is Procedure.REDIRECTION:
            h.case.state = "redirected"
    else:
        h.move_to("received")
