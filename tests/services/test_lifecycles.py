"""Whole lives of cases through the service layer, with every deadline checked by hand against
the calendar (bank holidays of England 2025-26 named where they matter)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.models import AuditEvent, Escalation, FeedbackCase, LgscoRecord
from complaints.services.cases import fire_trigger, show_case
from complaints.services.holds import resume_expired_holds
from complaints.services.points import add_complaint_point, add_remedy, record_finding
from complaints.services.views import CaseView
from tests.support import LogCase, audit_count, send_response, version_of

SENT_BY_LETTER = ("send_response", "adjudicate", "respond_to_panel")


def due(view: CaseView, name: str) -> date:
    (deadline,) = [
        d for d in view.deadlines if d.name == name and d.status in ("running", "paused")
    ]
    return deadline.due_on


def status(view: CaseView, name: str) -> list[str]:
    return [d.status for d in view.deadlines if d.name == name]


class Step:
    """Fire triggers on one case as the days go by."""

    def __init__(self, ctx: Context, clock: SettableClock, reference: str) -> None:
        self.ctx, self.clock, self.reference = ctx, clock, reference

    def __call__(self, day: date, trigger: str, by: str, **values: str) -> CaseView:
        self.clock.set(day)
        if trigger in SENT_BY_LETTER:  # a response: its signed-off letter is sent, by `by`
            return send_response(self.ctx, self.reference, sender=by)
        return fire_trigger(
            self.ctx,
            self.reference,
            trigger,
            by=by,
            values=values,
            expected_version=version_of(self.ctx, self.reference),
        )

    def finding(self, day: date, point: int, outcome: str, by: str = "qa") -> CaseView:
        self.clock.set(day)
        return record_finding(
            self.ctx,
            self.reference,
            point,
            outcome,
            by=by,
            expected_version=version_of(self.ctx, self.reference),
        )


def test_statutory_complaint_through_all_three_stages_across_christmas_and_easter(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    # Day 0: Friday 19 December 2025; 25, 26 December and 1 January are bank holidays.
    case = log_case("statutory_children", date(2025, 12, 19))
    assert case.reference == "CF-2025-000001" and case.state == "received"
    assert due(case, "acknowledgement") == date(2025, 12, 23)
    assert due(case, "stage1_response") == date(2026, 1, 7)
    step = Step(council, clock, case.reference)

    view = step(date(2025, 12, 22), "acknowledge", "off")
    assert view.state == "stage1_investigating" and status(view, "acknowledgement") == ["stopped"]
    view = step(date(2025, 12, 22), "allocate", "off", officer="qa")
    assert due(view, "first_contact") == date(2025, 12, 24)
    view = step(date(2025, 12, 24), "contact_complainant", "qa")
    assert status(view, "first_contact") == ["stopped"]

    clock.set(date(2026, 1, 5))
    add_complaint_point(
        council,
        case.reference,
        "Visits were missed",
        by="qa",
        expected_version=version_of(council, case.reference),
    )
    step.finding(date(2026, 1, 5), 1, "upheld")
    add_remedy(
        council,
        case.reference,
        "apology",
        by="qa",
        expected_version=version_of(council, case.reference),
    )
    # Extended by the most reg 14 allows: 10 more working days, to Wednesday 21 January.
    view = step(
        date(2026, 1, 5),
        "extend",
        "mgr",
        working_days="10",
        reason="complex",
        complainant_agreed="yes",
    )
    assert due(view, "stage1_response") == date(2026, 1, 21)
    view = step(date(2026, 1, 19), "submit_draft", "qa")
    assert view.state == "stage1_qa" and due(view, "qa_signoff") == date(2026, 1, 19)
    view = step(date(2026, 1, 19), "approve", "mgr")
    view = step(date(2026, 1, 20), "send_response", "off")
    assert view.state == "stage1_responded"
    assert status(view, "stage1_response") == ["stopped"]
    assert due(view, "stage2_request_window") == date(2026, 2, 17)

    view = step(date(2026, 2, 10), "request_stage2", "off", reason="dissatisfied_with_response")
    assert (view.state, view.stage) == ("stage2_statement", 2)
    view = step(date(2026, 2, 16), "agree_statement", "off")
    assert due(view, "stage2_investigation") == date(2026, 3, 23)
    # The adjudication's 20 working days run over Good Friday 3 and Easter Monday 6 April 2026.
    view = step(date(2026, 3, 20), "receive_report", "off")
    assert view.state == "stage2_adjudication" and due(view, "adjudication") == date(2026, 4, 21)
    step.finding(date(2026, 4, 14), 1, "not_upheld")
    view = step(date(2026, 4, 15), "adjudicate", "mgr")
    # Early May bank holiday, Monday 4 May 2026.
    assert view.state == "stage2_responded" and due(view, "stage3_request_window") == date(
        2026, 5, 14
    )

    view = step(date(2026, 5, 1), "request_review", "off", reason="dissatisfied_with_response")
    # Spring bank holiday, Monday 25 May 2026.
    assert (view.state, view.stage) == ("stage3_panel_pending", 3)
    assert due(view, "panel_meeting") == date(2026, 6, 16)
    view = step(date(2026, 6, 10), "hold_panel", "off")
    assert due(view, "panel_report") == date(2026, 6, 17)
    view = step(date(2026, 6, 16), "receive_panel_report", "off")
    assert due(view, "panel_response") == date(2026, 7, 7)
    step.finding(date(2026, 7, 2), 1, "upheld")
    view = step(date(2026, 7, 3), "respond_to_panel", "mgr")
    assert view.state == "closed"
    assert all(d.status in ("stopped", "superseded") for d in view.deadlines)

    assert show_case(council, case.reference, by="admin").outcomes == {
        1: "upheld",
        2: "not_upheld",
        3: "upheld",
    }
    with council.database.reader() as session:
        stored = session.exec(select(FeedbackCase)).one()
        reasons = [(e.to_stage, e.reason.value) for e in session.exec(select(Escalation)).all()]
    assert stored.closed_on == date(2026, 7, 3)
    assert reasons == [(2, "dissatisfied_with_response"), (3, "dissatisfied_with_response")]


def test_corporate_complaint_through_two_stages(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    # Received Wednesday 24 December 2025: acknowledgement due 5 WD later, Monday 5 January.
    case = log_case("corporate", date(2025, 12, 24))
    assert due(case, "acknowledgement") == date(2026, 1, 5)
    assert status(case, "stage1_response") == []
    step = Step(council, clock, case.reference)
    view = step(date(2026, 1, 5), "acknowledge", "off")
    assert due(view, "stage1_response") == date(2026, 1, 19)
    clock.set(date(2026, 1, 12))
    add_complaint_point(
        council,
        case.reference,
        "Bins missed",
        by="off",
        expected_version=version_of(council, case.reference),
    )
    step.finding(date(2026, 1, 12), 1, "partially_upheld", by="off")
    view = step(date(2026, 1, 14), "submit_draft", "off")
    assert due(view, "qa_signoff") == date(2026, 1, 15)
    step(date(2026, 1, 15), "approve", "mgr")
    view = step(date(2026, 1, 16), "send_response", "off")
    assert view.state == "stage1_responded"

    view = step(date(2026, 1, 20), "request_stage2", "off", reason="dissatisfied_with_response")
    assert view.state == "stage2_received" and due(view, "stage2_acknowledgement") == date(
        2026, 1, 27
    )
    view = step(date(2026, 1, 22), "acknowledge", "off")
    assert view.state == "stage2_investigating" and due(view, "stage2_response") == date(
        2026, 2, 19
    )
    with pytest.raises(Exception, match="complaint point 1 has no finding"):
        step(date(2026, 2, 16), "submit_draft", "off")
    step.finding(date(2026, 2, 16), 1, "upheld", by="off")
    step(date(2026, 2, 16), "submit_draft", "off")
    step(date(2026, 2, 17), "approve", "mgr")
    view = step(date(2026, 2, 18), "send_response", "off")
    assert view.state == "stage2_responded"
    view = step(date(2026, 3, 2), "close", "off")
    assert view.state == "closed" and not [d for d in view.deadlines if d.status == "running"]


def test_adult_social_care_response_is_six_months_or_the_agreed_date(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    # Received Sunday 30 November 2025: acknowledgement within 3 WD, Wednesday 3 December.
    first = log_case("adult_social_care", date(2025, 11, 30))
    assert due(first, "acknowledgement") == date(2025, 12, 3)
    view = Step(council, clock, first.reference)(date(2025, 12, 2), "acknowledge", "off")
    # Six months from receipt is Saturday 30 May 2026, so Monday 1 June.
    assert view.state == "investigating" and due(view, "response") == date(2026, 6, 1)

    second = log_case("adult_social_care", date(2025, 12, 1))
    view = Step(council, clock, second.reference)(
        date(2025, 12, 2), "acknowledge", "off", agreed_response_on="2026-03-02"
    )
    assert due(view, "response") == date(2026, 3, 2)


def test_a_hold_pauses_the_timers_and_resuming_moves_them_on(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    case = log_case("statutory_children", date(2026, 11, 2))
    step = Step(council, clock, case.reference)
    step(date(2026, 11, 3), "acknowledge", "off")
    view = step(date(2026, 11, 4), "hold", "off", reason="awaiting consent from the young person")
    assert status(view, "stage1_response") == ["paused"]
    with pytest.raises(Exception, match="already on hold"):
        step(date(2026, 11, 5), "hold", "off", reason="again")
    view = step(date(2026, 11, 11), "resume", "off")
    # Held from Wednesday 4 to Wednesday 11 November: 5 working days; due 16 -> 23 November.
    assert due(view, "stage1_response") == date(2026, 11, 23)
    assert [d.paused_working_days for d in view.deadlines if d.name == "stage1_response"] == [5]
    with pytest.raises(Exception, match="not on hold"):
        step(date(2026, 11, 12), "resume", "off")


def test_a_new_point_restarts_the_stage1_clock_only_with_a_manager(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    case = log_case("statutory_children", date(2026, 11, 2))
    Step(council, clock, case.reference)(date(2026, 11, 3), "acknowledge", "off")
    clock.set(date(2026, 11, 9))
    before = audit_count(council)
    with pytest.raises(Exception, match="needs a manager's agreement"):
        add_complaint_point(
            council,
            case.reference,
            "Another matter",
            by="off",
            restart=True,
            expected_version=version_of(council, case.reference),
        )
    with pytest.raises(Exception, match="off2 is an officer and cannot agree a restart"):
        add_complaint_point(
            council,
            case.reference,
            "Another matter",
            by="off",
            restart=True,
            agreed_by="off2",
            expected_version=version_of(council, case.reference),
        )
    assert audit_count(council) == before
    view = add_complaint_point(
        council,
        case.reference,
        "Another matter",
        by="off",
        restart=True,
        agreed_by="mgr",
        expected_version=version_of(council, case.reference),
    )
    assert status(view, "stage1_response") == ["superseded", "running"]
    assert due(view, "stage1_response") == date(2026, 11, 23)
    with council.database.reader() as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "add_complaint_point")
        ).one()
    assert event.after is not None and event.after["restart_agreed_by"] == "mgr"


def test_an_extension_beyond_the_maximum_is_refused_and_changes_nothing(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    case = log_case("corporate", date(2026, 11, 2))
    step = Step(council, clock, case.reference)
    step(date(2026, 11, 3), "acknowledge", "off")
    step(date(2026, 11, 4), "extend", "mgr", working_days="6", reason="complex")
    before, version = (
        audit_count(council),
        step(date(2026, 11, 4), "allocate", "off", officer="off2").version,
    )
    with pytest.raises(
        Exception, match="at most 10 working days in all; 6 already used, so at most 4 more"
    ):
        step(date(2026, 11, 5), "extend", "mgr", working_days="5", reason="more")
    view = step(date(2026, 11, 5), "extend", "mgr", working_days="4", reason="more")
    assert view.version == version + 1
    assert audit_count(council) == before + 2


def test_the_ombudsman_track_opens_alongside_the_case(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    case = log_case("corporate", date(2026, 11, 2))
    view = Step(council, clock, case.reference)(
        date(2026, 11, 10), "escalate_to_lgsco", "off", ombudsman_reference="25 012 345"
    )
    assert view.state == "received"
    with council.database.reader() as session:
        record = session.exec(select(LgscoRecord)).one()
    assert (record.ombudsman_reference, record.enquiry_received_on) == (
        "25 012 345",
        date(2026, 11, 10),
    )


def test_withdrawing_cancels_every_timer(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    case = log_case("statutory_children", date(2026, 11, 2))
    view = Step(council, clock, case.reference)(
        date(2026, 11, 5), "withdraw", "off", reason="resolved informally"
    )
    assert view.state == "withdrawn"
    assert {d.status for d in view.deadlines} == {"cancelled"}


def test_a_hold_ends_by_itself_after_the_longest_allowed(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    case = log_case("statutory_children", date(2026, 11, 2))
    step = Step(council, clock, case.reference)
    step(date(2026, 11, 3), "acknowledge", "off")
    # Held on Wednesday 4 November; 10 working days later is Wednesday 18 November.
    step(date(2026, 11, 4), "hold", "off", reason="court proceedings")
    assert resume_expired_holds(council, date(2026, 11, 17)).resumed == ()
    assert resume_expired_holds(council, date(2026, 11, 20)).resumed == (case.reference,)
    assert resume_expired_holds(council, date(2026, 11, 20)).resumed == ()
    current = show_case(council, case.reference, by="admin")
    # Due Monday 16 November, moved on by the 10 working days held: Monday 30 November.
    assert due(current, "stage1_response") == date(2026, 11, 30)
    assert current.version == 4


@pytest.mark.parametrize("procedure", ["statutory_children", "corporate"])
def test_asking_for_stage_2_before_a_stage_1_response_leaves_it_unanswered(
    council: Context, log_case: LogCase, clock: SettableClock, procedure: str
) -> None:
    """A complainant who escalates because nobody replied was not answered at stage 1: the
    stage 1 response deadline is cancelled, so no timeliness figure counts it as a response."""
    reference = log_case(procedure, date(2026, 11, 2)).reference
    fire_trigger(
        council, reference, "acknowledge", by="off", expected_version=version_of(council, reference)
    )
    clock.set(date(2026, 11, 23))
    fire_trigger(
        council,
        reference,
        "request_stage2",
        by="off",
        values={"reason": "no_response"},
        expected_version=version_of(council, reference),
    )

    deadlines = {d.name: d for d in show_case(council, reference, by="admin").deadlines}
    assert deadlines["stage1_response"].status == "cancelled"
    assert deadlines["stage1_response"].stopped_on == date(2026, 11, 23)
