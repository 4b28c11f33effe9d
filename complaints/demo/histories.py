"""Plausible case histories for the demo council, played forward from receipt to today.

Each history follows the path its procedure's timescales describe (DESIGN.md 4a): timers start
on the events that start them and stop when answered, some late, so the demo has overdue work,
escalations to stage 2 and 3, and closed cases with findings and remedies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import SQLModel

from complaints.calendar import WorkingCalendar
from complaints.config import Settings
from complaints.deadlines import compute_due_on
from complaints.demo import words
from complaints.models import (
    Action,
    ActionKind,
    ActionStatus,
    ComplaintPoint,
    CostKind,
    Deadline,
    DeadlineStatus,
    Escalation,
    EscalationReason,
    FeedbackCase,
    LessonLearned,
    LgscoDecision,
    LgscoRecord,
    Outcome,
    PointOutcome,
    Procedure,
    Remedy,
    RemedyKind,
    StageCost,
)

FINDINGS = (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD)
STAGE2_REASONS = (
    EscalationReason.DISSATISFIED_WITH_RESPONSE,
    EscalationReason.DISSATISFIED_WITH_RESPONSE,
    EscalationReason.NO_RESPONSE,
    EscalationReason.NO_FOLLOW_UP_ACTION,
    EscalationReason.DISSATISFIED_AFTER_MEDIATION,
    EscalationReason.REQUESTED_NEXT_STAGE_DIRECTLY,
)


@dataclass(frozen=True)
class PendingExtension:
    deadline: Deadline
    previous_due_on: date
    working_days: int
    reason: str


@dataclass
class CaseHistory:
    """One case being played forward; it collects the rows the case ends up with."""

    case: FeedbackCase
    settings: Settings
    calendar: WorkingCalendar
    today: date
    now: datetime
    rng: random.Random
    officer_id: int | None
    investigator_id: int | None
    points: list[ComplaintPoint] = field(default_factory=list)
    deadlines: dict[str, Deadline] = field(default_factory=dict)
    rows: list[SQLModel] = field(default_factory=list)
    stages_found: set[int] = field(default_factory=set)
    # Extensions are saved once their deadlines have ids: (deadline, previous due, days, why).
    extensions: list[PendingExtension] = field(default_factory=list)

    @property
    def case_id(self) -> int:
        assert self.case.id is not None, "cases are saved before they are played forward"
        return self.case.id

    def reached(self, day: date) -> bool:
        return day <= self.today

    def after(self, day: date, working_days: int) -> date:
        return self.calendar.add_working_days(day, working_days)

    def start(
        self, step: str, on: date, *, owner_id: int | None, counted_from: date | None = None
    ) -> Deadline:
        timescale = self.settings.timescale(self.case.procedure.value, step)
        due_on = compute_due_on(self.calendar, timescale, counted_from or on)
        deadline = Deadline(
            case_id=self.case_id,
            name=step,
            stage=self.case.stage,
            started_on=on,
            counted_from_on=counted_from or on,
            original_due_on=due_on,
            due_on=due_on,
            status=DeadlineStatus.RUNNING,
            owner_id=owner_id,
            created_at=self.now,
        )
        self.deadlines[step] = deadline
        self.rows.append(deadline)
        return deadline

    def stop(self, step: str, on: date) -> None:
        deadline = self.deadlines[step]
        deadline.stopped_on = on
        deadline.status = DeadlineStatus.STOPPED

    def extend(self, step: str, working_days: int) -> None:
        """An extension the complainant agreed to, moving the step's due date on."""
        deadline = self.deadlines[step]
        reason = self.rng.choice(words.EXTENSION_REASONS)
        self.extensions.append(PendingExtension(deadline, deadline.due_on, working_days, reason))
        deadline.due_on = self.after(deadline.due_on, working_days)

    def cost(self, stage: int, kind: CostKind, low: int, high: int, on: date) -> None:
        amount = Decimal(self.rng.randint(low, high) * 10)
        self.rows.append(
            StageCost(
                case_id=self.case_id, stage=stage, kind=kind, amount=amount,
                incurred_on=on, created_at=self.now,
            )
        )  # fmt: skip

    def follow_up(self, stage: int, on: date) -> None:
        """Some upheld complaints lead to an action and a lesson learned."""
        if self.rng.random() < 0.4:
            due_on = self.after(on, self.rng.randint(10, 40))
            done_on = self.after(due_on, self.rng.randint(-8, 12))
            completed = done_on if self.reached(done_on) else None
            self.rows.append(
                Action(
                    case_id=self.case_id,
                    stage=stage,
                    kind=self.rng.choice([ActionKind.ACTION, ActionKind.RECOMMENDATION]),
                    description=self.rng.choice(words.ACTIONS),
                    owner_id=self.investigator_id,
                    due_on=due_on,
                    status=ActionStatus.COMPLETED if completed else ActionStatus.OPEN,
                    completed_on=completed,
                    evidence="Confirmed by the service manager" if completed else None,
                    created_at=self.now,
                )
            )
        if self.rng.random() < 0.3:
            self.rows.append(
                LessonLearned(
                    case_id=self.case_id,
                    text=self.rng.choice(words.LESSONS),
                    recorded_on=on,
                    recorded_by_id=self.investigator_id,
                    created_at=self.now,
                )
            )

    def ombudsman(self, closed_on: date) -> None:
        """A few closed complaints go on to the Ombudsman."""
        received = self.after(closed_on, self.rng.randint(10, 60))
        if self.rng.random() >= 0.08 or not self.reached(received):
            return
        responded = self.after(received, self.rng.randint(10, 25))
        decided = self.after(responded, self.rng.randint(20, 80))
        decision = self.rng.choice(list(LgscoDecision)) if self.reached(decided) else None
        upheld = decision in (
            LgscoDecision.UPHELD_FAULT_AND_INJUSTICE,
            LgscoDecision.UPHELD_FAULT_NO_INJUSTICE,
        )
        compliance_due = self.after(decided, 30) if upheld else None
        complied = self.after(decided, self.rng.randint(10, 40)) if upheld else None
        self.rows.append(
            LgscoRecord(
                case_id=self.case_id,
                ombudsman_reference=f"{received.year % 100} {self.rng.randint(0, 999):03d} "
                f"{self.rng.randint(0, 999):03d}",
                enquiry_received_on=received,
                response_due_on=self.after(received, 20),
                responded_on=responded if self.reached(responded) else None,
                decision=decision,
                decision_on=decided if decision else None,
                remedy_agreed="An apology and £150 for time and trouble" if upheld else None,
                compliance_due_on=compliance_due,
                complied_on=complied if complied and self.reached(complied) else None,
                closed_on=decided if decision and not upheld else None,
                created_at=self.now,
            )
        )

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
            for point in self.points:
                self._finding(point, stage, Outcome.WITHDRAWN, on)

    def escalate(self, to_stage: int, on: date) -> None:
        self.case.stage = to_stage
        reason = self.rng.choice(STAGE2_REASONS)
        self.rows.append(
            Escalation(
                case_id=self.case_id,
                to_stage=to_stage,
                requested_on=on,
                reason=reason,
                created_at=self.now,
            )
        )

    def record_findings(self, stage: int, on: date) -> None:
        """A finding on every point and the remedies that follow from them."""
        self.stages_found.add(stage)
        findings = [self.rng.choice(FINDINGS) for _ in self.points]
        for point, finding in zip(self.points, findings, strict=True):
            self._finding(point, stage, finding, on)
        kinds = [RemedyKind.EXPLANATION]
        if any(finding is not Outcome.NOT_UPHELD for finding in findings):
            self.follow_up(stage, on)
            kinds.append(RemedyKind.APOLOGY)
            kinds += self.rng.sample(
                [RemedyKind.SERVICE_PROVIDED, RemedyKind.CHANGE_IN_PROCESS, RemedyKind.FINANCIAL],
                k=self.rng.randint(0, 2),
            )
        for kind in kinds:
            amount = (
                Decimal(self.rng.choice([50, 100, 150, 250, 500]))
                if kind is RemedyKind.FINANCIAL
                else None
            )
            self.rows.append(
                Remedy(
                    case_id=self.case_id,
                    stage=stage,
                    kind=kind,
                    amount=amount,
                    recorded_on=on,
                    created_at=self.now,
                )
            )

    def _finding(self, point: ComplaintPoint, stage: int, outcome: Outcome, on: date) -> None:
        self.stages_found.add(stage)
        assert point.id is not None, "points are saved before the case is played forward"
        self.rows.append(
            PointOutcome(
                point_id=point.id, stage=stage, outcome=outcome, recorded_on=on, created_at=self.now
            )
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
    if history.case.state not in ("closed", "withdrawn") and history.rng.random() < 0.03:
        history.withdraw(history.today)


def _statutory_children(h: CaseHistory) -> None:
    received = h.case.received_on
    h.move_to("received")
    h.start("acknowledgement", received, owner_id=h.officer_id)
    h.start("stage1_response", received, owner_id=h.investigator_id)
    acknowledged = h.after(received, h.rng.choice([0, 1, 1, 2, 2, 2, 4, 8]))
    if not h.reached(acknowledged):
        return
    h.stop("acknowledgement", acknowledged)
    h.move_to("stage1_investigating")
    h.start("first_contact", acknowledged, owner_id=h.investigator_id)
    contacted = h.after(acknowledged, h.rng.choice([1, 2, 2, 3]))
    if h.reached(contacted):
        h.stop("first_contact", contacted)
    if not _stage1_answered(h, h.after(received, h.rng.randint(5, 24))):
        return
    h.start(
        "stage2_request_window",
        h.deadlines["stage1_response"].stopped_on or received,
        owner_id=None,
    )
    if h.rng.random() < 0.15:
        _statutory_stage2(
            h, h.after(h.deadlines["stage2_request_window"].started_on, h.rng.randint(2, 19))
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
    late_by = h.calendar.working_days_between(h.due("stage1_response"), sent)
    if late_by > 0 and h.case.procedure is Procedure.STATUTORY_CHILDREN and h.rng.random() < 0.6:
        h.extend("stage1_response", min(10, late_by + h.rng.randint(0, 2)))
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
    agreed = h.after(requested, h.rng.randint(3, 12))
    if not h.reached(agreed):
        return
    h.move_to("stage2_investigating")
    h.start("stage2_investigation", agreed, owner_id=h.investigator_id)
    reported = h.after(agreed, h.rng.randint(18, 45))
    if not h.reached(reported):
        return
    late_by = h.calendar.working_days_between(h.due("stage2_investigation"), reported)
    if late_by > 0 and h.rng.random() < 0.8:
        h.extend("stage2_investigation", min(40, late_by + h.rng.randint(0, 5)))
    h.stop("stage2_investigation", reported)
    h.cost(2, CostKind.INVESTIGATING_OFFICER, 80, 300, reported)
    h.cost(2, CostKind.INDEPENDENT_PERSON, 40, 120, reported)
    h.move_to("stage2_adjudication")
    h.start("adjudication", reported, owner_id=h.investigator_id)
    adjudicated = h.after(reported, h.rng.randint(5, 24))
    if not h.reached(adjudicated):
        return
    h.stop("adjudication", adjudicated)
    h.move_to("stage2_responded")
    h.record_findings(2, adjudicated)
    h.start("stage3_request_window", adjudicated, owner_id=None)
    if h.rng.random() < 0.3:
        _statutory_stage3(h, h.after(adjudicated, h.rng.randint(3, 18)))
    elif h.reached(h.due("stage3_request_window")):
        h.close(h.due("stage3_request_window"))


def _statutory_stage3(h: CaseHistory, requested: date) -> None:
    if not h.reached(requested):
        return
    h.stop("stage3_request_window", requested)
    h.escalate(3, requested)
    h.move_to("stage3_panel_pending")
    h.start("panel_meeting", requested, owner_id=h.officer_id)
    met = h.after(requested, h.rng.randint(15, 34))
    if not h.reached(met):
        return
    h.stop("panel_meeting", met)
    h.cost(3, CostKind.PANEL, 60, 150, met)
    h.move_to("stage3_panel_held")
    h.start("panel_report", met, owner_id=h.officer_id)
    reported = h.after(met, h.rng.randint(2, 6))
    if not h.reached(reported):
        return
    h.stop("panel_report", reported)
    h.move_to("stage3_response")
    h.start("panel_response", reported, owner_id=h.investigator_id)
    answered = h.after(reported, h.rng.randint(8, 17))
    if h.reached(answered):
        h.stop("panel_response", answered)
        h.record_findings(3, answered)
        h.close(answered)


def _corporate(h: CaseHistory) -> None:
    received = h.case.received_on
    h.move_to("received")
    h.start("acknowledgement", received, owner_id=h.officer_id)
    acknowledged = h.after(received, h.rng.choice([1, 2, 3, 4, 5, 7]))
    if not h.reached(acknowledged):
        return
    h.stop("acknowledgement", acknowledged)
    h.move_to("stage1_investigating")
    h.start("stage1_response", acknowledged, owner_id=h.investigator_id)
    if not _stage1_answered(h, h.after(acknowledged, h.rng.randint(4, 16))):
        return
    answered = h.deadlines["stage1_response"].stopped_on or acknowledged
    requested = h.after(answered, h.rng.randint(2, 25))
    if h.rng.random() < 0.15 and h.reached(requested):
        _corporate_stage2(h, requested)
    elif h.reached(h.after(answered, 20)):
        h.close(h.after(answered, 20))


def _corporate_stage2(h: CaseHistory, requested: date) -> None:
    h.escalate(2, requested)
    h.move_to("stage2_received")
    h.start("stage2_acknowledgement", requested, owner_id=h.officer_id)
    acknowledged = h.after(requested, h.rng.randint(1, 6))
    if not h.reached(acknowledged):
        return
    h.stop("stage2_acknowledgement", acknowledged)
    h.move_to("stage2_investigating")
    h.start("stage2_response", acknowledged, owner_id=h.investigator_id)
    answered = h.after(acknowledged, h.rng.randint(10, 28))
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
    acknowledged = h.after(received, h.rng.choice([1, 2, 3, 3, 5]))
    if not h.reached(acknowledged):
        return
    h.stop("acknowledgement", acknowledged)
    h.move_to("investigating")
    h.start("response", received, owner_id=h.investigator_id)
    answered = h.after(received, h.rng.randint(15, 140))
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
    closed = h.after(h.case.received_on, h.rng.randint(1, 5))
    if h.reached(closed):
        h.close(closed)
        if h.case.procedure is Procedure.REDIRECTION:
            h.case.state = "redirected"
    else:
        h.move_to("received")
