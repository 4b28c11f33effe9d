"""The rules that move a running deadline (docs/timescales.md, "What moves a deadline"), each
checked exactly: an extension and the complainant's written agreement, a response date agreed
with the complainant, and a hold that ends by itself at its longest. A refusal names the rule
and leaves the case, its deadlines and its audit trail as they were."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlmodel import col, select

from complaints.clock import SettableClock
from complaints.config import HoldSettings
from complaints.context import Context
from complaints.errors import DomainError
from complaints.models import (
    AuditEvent,
    Deadline,
    Escalation,
    Extension,
    FeedbackCase,
    Hold,
    User,
)
from complaints.services import holds
from complaints.services.cases import fire_trigger, show_case
from complaints.services.holds import resume_expired_holds
from complaints.services.views import CaseView
from tests.support import LogCase, audit_count, send_response

# Monday 2 November 2026; no bank holiday until Christmas.
RECEIVED = date(2026, 11, 2)
ACKNOWLEDGED = date(2026, 11, 3)
NOT_AGREED = "this procedure extends a deadline only with the complainant's written agreement"
NOT_A_WORKING_DAY_AFTER_TODAY = "the agreed response date must be a working day after today"


def running(view: CaseView, name: str) -> tuple[date, str]:
    (deadline,) = [d for d in view.deadlines if d.name == name and d.status != "superseded"]
    return deadline.due_on, deadline.status


def extensions(ctx: Context) -> list[Extension]:
    with ctx.database.reader() as session:
        return list(session.exec(select(Extension).order_by(col(Extension.id))).all())


def acknowledged(ctx: Context, clock: SettableClock, log_case: LogCase, procedure: str) -> str:
    """A complaint of `procedure` received on Monday 2 November and acknowledged the next day."""
    case = log_case(procedure, RECEIVED)
    clock.set(ACKNOWLEDGED)
    fire_trigger(ctx, case.reference, "acknowledge", by="off", expected_version=case.version)
    return case.reference


def extend(ctx: Context, reference: str, **values: str) -> CaseView:
    version = show_case(ctx, reference, by="admin").version
    values = {"working_days": "5", "reason": "complex"} | values
    return fire_trigger(ctx, reference, "extend", by="mgr", values=values, expected_version=version)


@pytest.mark.parametrize("answer", ["no", "N", "false", "0"])
def test_a_statutory_extension_without_the_complainants_agreement_is_refused(
    council: Context, clock: SettableClock, log_case: LogCase, answer: str
) -> None:
    """Reg 14 of the children's procedure: a stage 1 extension needs the complainant's written
    agreement; "no" is refused and changes nothing."""
    reference = acknowledged(council, clock, log_case, "statutory_children")
    clock.set(date(2026, 11, 4))
    before, audits = show_case(council, reference, by="admin"), audit_count(council)

    with pytest.raises(DomainError) as refused:
        extend(council, reference, complainant_agreed=answer)

    assert str(refused.value) == NOT_AGREED
    assert show_case(council, reference, by="admin") == before
    assert running(before, "stage1_response") == (date(2026, 11, 16), "running")
    assert audit_count(council) == audits
    assert extensions(council) == []


def test_a_statutory_extension_needs_the_complainants_answer(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = acknowledged(council, clock, log_case, "statutory_children")
    audits = audit_count(council)
    with pytest.raises(DomainError, match=r"needs the complainant agreed in writing"):
        extend(council, reference)
    assert audit_count(council) == audits and extensions(council) == []


def test_a_statutory_extension_records_the_complainants_agreement_and_its_day(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = acknowledged(council, clock, log_case, "statutory_children")
    clock.set(date(2026, 11, 4))
    view = extend(council, reference, complainant_agreed="yes")

    # Due Monday 16 November; 5 more working days is Monday 23 November.
    assert running(view, "stage1_response") == (date(2026, 11, 23), "running")
    (extension,) = extensions(council)
    assert (extension.previous_due_on, extension.new_due_on, extension.working_days) == (
        date(2026, 11, 16),
        date(2026, 11, 23),
        5,
    )
    assert (extension.complainant_agreed, extension.complainant_agreed_on) == (
        True,
        date(2026, 11, 4),
    )


def test_a_corporate_extension_needs_no_agreement_and_records_none(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    """The Ombudsman's code asks for reasons, not the complainant's consent."""
    reference = acknowledged(council, clock, log_case, "corporate")
    with pytest.raises(DomainError, match="does not record complainant_agreed"):
        extend(council, reference, complainant_agreed="yes")
    view = extend(council, reference)

    # Counted from the acknowledgement on 3 November: due 17 November, then 24 November.
    assert running(view, "stage1_response") == (date(2026, 11, 24), "running")
    (extension,) = extensions(council)
    assert (extension.complainant_agreed, extension.complainant_agreed_on) == (False, None)


def acknowledge_agreeing(ctx: Context, case: CaseView, agreed: date) -> CaseView:
    """Acknowledge an adult social care complaint, agreeing its response date."""
    values = {"agreed_response_on": agreed.isoformat()}
    return fire_trigger(
        ctx, case.reference, "acknowledge", by="off", values=values, expected_version=case.version
    )


@pytest.mark.parametrize(
    "agreed",
    [
        date(2026, 12, 5),  # a Saturday
        date(2026, 12, 6),  # a Sunday
        date(2026, 12, 25),  # Christmas Day
        date(2026, 12, 28),  # Boxing Day, observed on the Monday
        ACKNOWLEDGED,  # today
        date(2026, 11, 2),  # yesterday
    ],
)
def test_an_adult_social_care_date_agreed_on_a_day_that_is_not_a_working_day_after_today_is_refused(
    council: Context, clock: SettableClock, log_case: LogCase, agreed: date
) -> None:
    """Reg 14 of the 2009 regulations: the response is due on the date agreed with the
    complainant, which must be a working day still to come."""
    case = log_case("adult_social_care", RECEIVED)
    clock.set(ACKNOWLEDGED)
    audits = audit_count(council)

    with pytest.raises(DomainError) as refused:
        acknowledge_agreeing(council, case, agreed)

    assert str(refused.value) == NOT_A_WORKING_DAY_AFTER_TODAY
    assert show_case(council, case.reference, by="admin") == case
    assert case.state == "received"
    assert audit_count(council) == audits


@pytest.mark.parametrize(
    "agreed",
    [
        date(2026, 11, 4),  # the next working day
        date(2026, 12, 24),  # the working day before Christmas
        date(2026, 12, 29),  # the first working day after it
    ],
)
def test_an_adult_social_care_response_is_due_on_the_working_day_agreed(
    council: Context, clock: SettableClock, log_case: LogCase, agreed: date
) -> None:
    case = log_case("adult_social_care", RECEIVED)
    clock.set(ACKNOWLEDGED)
    view = acknowledge_agreeing(council, case, agreed)
    assert view.state == "investigating"
    assert running(view, "response") == (agreed, "running")
    (response,) = [d for d in view.deadlines if d.name == "response"]
    assert response.original_due_on == agreed


def held(ctx: Context, clock: SettableClock, log_case: LogCase) -> str:
    """A statutory complaint acknowledged on Tuesday 3 November (stage 1 response due Monday 16
    November), put on hold on Wednesday 4 November."""
    reference = acknowledged(ctx, clock, log_case, "statutory_children")
    clock.set(date(2026, 11, 4))
    fire(ctx, reference, "hold", reason="court proceedings")
    return reference


def fire(ctx: Context, reference: str, trigger: str, **values: str) -> CaseView:
    """`trigger` fired by the officer 'off' on the case as it is now."""
    version = show_case(ctx, reference, by="admin").version
    return fire_trigger(ctx, reference, trigger, by="off", values=values, expected_version=version)


def the_hold(ctx: Context) -> Hold:
    with ctx.database.reader() as session:
        return session.exec(select(Hold)).one()


def test_a_hold_ended_by_its_maximum_ends_on_its_last_day_not_the_day_it_was_noticed(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = held(council, clock, log_case)
    # 10 working days ([holds] max_working_days) after Wednesday 4 November.
    assert the_hold(council).resume_by == date(2026, 11, 18)
    assert resume_expired_holds(council, date(2026, 11, 17)).resumed == ()

    # The scheduler next runs on Friday 20 November, two working days after the hold ran out.
    clock.set(date(2026, 11, 20))
    assert resume_expired_holds(council).resumed == (reference,)

    hold = the_hold(council)
    assert (hold.ended_on, hold.working_days, hold.ended_by_id) == (date(2026, 11, 18), 10, None)
    view = show_case(council, reference, by="admin")
    # Due Monday 16 November, moved on by the 10 working days held: Monday 30 November.
    assert running(view, "stage1_response") == (date(2026, 11, 30), "running")
    (response,) = [d for d in view.deadlines if d.name == "stage1_response"]
    assert response.paused_working_days == 10
    event = last_event(council)
    assert (event.action, event.actor_id) == ("resume", None)
    assert event.summary == "Hold ended by itself after 10 working days (the longest allowed)"
    assert event.after is not None
    assert (event.after["resumed"], event.after["working_days_on_hold"]) == (
        ["stage1_response"],
        10,
    )


def test_a_hold_lasts_as_long_as_config_allows(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    shorter = dataclasses.replace(council.settings, holds=HoldSettings(max_working_days=3))
    ctx = Context(shorter, clock, council.database)
    reference = held(ctx, clock, log_case)
    # 3 working days after Wednesday 4 November: Monday 9 November.
    assert the_hold(ctx).resume_by == date(2026, 11, 9)
    assert resume_expired_holds(ctx, date(2026, 11, 6)).resumed == ()
    assert resume_expired_holds(ctx, date(2026, 11, 9)).resumed == (reference,)
    hold = the_hold(ctx)
    assert (hold.ended_on, hold.working_days) == (date(2026, 11, 9), 3)
    view = show_case(ctx, reference, by="admin")
    assert running(view, "stage1_response") == (date(2026, 11, 19), "running")


def test_a_hold_resumed_by_hand_ends_that_day_and_by_that_person(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = held(council, clock, log_case)
    clock.set(date(2026, 11, 11))
    view = show_case(council, reference, by="admin")
    fire_trigger(council, reference, "resume", by="off", expected_version=view.version)
    hold = the_hold(council)
    assert (hold.ended_on, hold.working_days) == (date(2026, 11, 11), 5)
    with council.database.reader() as session:
        resumer = session.exec(
            select(AuditEvent.actor_id).where(AuditEvent.action == "resume")
        ).one()
    assert resumer is not None and hold.ended_by_id == resumer
    event = last_event(council)
    assert event.after is not None
    assert (event.after["resumed"], event.after["working_days_on_hold"]) == (
        ["stage1_response"],
        5,
    )
    assert resume_expired_holds(council, date(2026, 11, 20)).resumed == ()


def test_resuming_one_case_leaves_the_hold_of_another_alone(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    first = held(council, clock, log_case)
    second = held(council, clock, log_case)
    clock.set(date(2026, 11, 11))
    fire(council, first, "resume")

    with council.database.reader() as session:
        ended = dict(
            session.exec(
                select(FeedbackCase.reference, Hold.ended_on).join(
                    Hold, col(Hold.case_id) == FeedbackCase.id
                )
            ).all()
        )
    assert ended == {first: date(2026, 11, 11), second: None}
    assert running(show_case(council, second, by="admin"), "stage1_response") == (
        date(2026, 11, 16),
        "paused",
    )


def test_a_case_held_a_second_time_ends_its_second_hold(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = held(council, clock, log_case)
    for day, trigger, values in [
        (date(2026, 11, 5), "resume", {}),
        (date(2026, 11, 9), "hold", {"reason": "awaiting consent"}),
        (date(2026, 11, 12), "resume", {}),
    ]:
        clock.set(day)
        fire(council, reference, trigger, **values)

    with council.database.reader() as session:
        holds = session.exec(select(Hold).order_by(col(Hold.id))).all()
    assert [(h.started_on, h.ended_on, h.working_days) for h in holds] == [
        (date(2026, 11, 4), date(2026, 11, 5), 1),
        (date(2026, 11, 9), date(2026, 11, 12), 3),
    ]
    # Due Monday 16 November, moved on by 1 and then 3 working days held.
    view = show_case(council, reference, by="admin")
    assert running(view, "stage1_response") == (date(2026, 11, 20), "running")
    (response,) = [d for d in view.deadlines if d.name == "stage1_response"]
    assert response.paused_working_days == 4


def test_a_hold_resumed_by_hand_while_the_scheduler_works_is_not_resumed_again(
    council: Context, clock: SettableClock, log_case: LogCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scheduler lists the holds that have run out, then ends each in its own transaction:
    one a person resumed in between is left as that person ended it."""
    reference = held(council, clock, log_case)
    clock.set(date(2026, 11, 20))
    end_one_hold = holds._resume

    def resumed_by_hand_first(ctx: Context, hold_id: int | None) -> bool:
        fire(ctx, reference, "resume")
        return end_one_hold(ctx, hold_id)

    monkeypatch.setattr(holds, "_resume", resumed_by_hand_first)
    audits = audit_count(council)

    assert resume_expired_holds(council) == holds.ResumedHolds(resumed=(), failed=())

    hold = the_hold(council)
    assert (hold.ended_on, hold.working_days) == (date(2026, 11, 20), 12)
    assert hold.ended_by_id is not None
    assert audit_count(council) == audits + 1
    assert last_event(council).actor_id == hold.ended_by_id


def test_a_hold_ended_by_itself_is_audited_with_the_dates_before_and_after(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = held(council, clock, log_case)
    resume_expired_holds(council, date(2026, 11, 18))
    event = last_event(council)
    assert event.case_id is not None and event.before is not None and event.after is not None
    assert event.before["open_deadlines"] == {"stage1_response": "2026-11-16"}
    assert event.after["open_deadlines"] == {"stage1_response": "2026-11-30"}
    assert event.before["version"] + 1 == event.after["version"]
    assert show_case(council, reference, by="admin").version == event.after["version"]


def last_event(ctx: Context) -> AuditEvent:
    with ctx.database.reader() as session:
        event = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert event is not None
    return event


@pytest.mark.parametrize("reply_by", [ACKNOWLEDGED, date(2026, 11, 2)])
def test_information_asked_for_with_a_reply_date_not_after_today_is_refused(
    council: Context, clock: SettableClock, log_case: LogCase, reply_by: date
) -> None:
    reference = acknowledged(council, clock, log_case, "statutory_children")
    before, audits = show_case(council, reference, by="admin"), audit_count(council)
    values = {"information": "the dates of the missed visits", "reply_by": reply_by.isoformat()}
    with pytest.raises(DomainError) as refused:
        fire_trigger(
            council,
            reference,
            "request_information",
            by="off",
            values=values,
            expected_version=before.version,
        )
    assert str(refused.value) == (
        "the date to reply by must be after the day the information is asked for"
    )
    assert show_case(council, reference, by="admin") == before
    assert audit_count(council) == audits


@pytest.mark.parametrize("reply_by", [date(2026, 11, 4), None])
def test_information_asked_for_is_recorded_with_what_was_asked(
    council: Context, clock: SettableClock, log_case: LogCase, reply_by: date | None
) -> None:
    reference = acknowledged(council, clock, log_case, "statutory_children")
    values = {"information": "the dates of the missed visits"}
    if reply_by is not None:
        values["reply_by"] = reply_by.isoformat()
    fire(council, reference, "request_information", **values)
    event = last_event(council)
    assert event.action == "request_information" and event.after is not None
    assert event.after["information_requested"] == "the dates of the missed visits"


def test_a_case_with_no_running_timer_cannot_be_put_on_hold(
    council: Context, log_case: LogCase
) -> None:
    compliment = log_case("feedback", RECEIVED, feedback_type="compliment")
    audits = audit_count(council)
    with pytest.raises(DomainError) as refused:
        fire_trigger(
            council,
            compliment.reference,
            "hold",
            by="off",
            values={"reason": "awaiting consent"},
            expected_version=compliment.version,
        )
    assert str(refused.value) == "the case has no running timer to pause"
    assert show_case(council, compliment.reference, by="admin") == compliment
    assert audit_count(council) == audits
    with council.database.reader() as session:
        assert session.exec(select(Hold)).all() == []


def test_a_hold_records_who_started_it_and_when_it_runs_out(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    held(council, clock, log_case)
    hold, event = the_hold(council), last_event(council)
    assert event.action == "hold" and event.actor_id is not None
    assert (hold.started_on, hold.started_by_id, hold.reason) == (
        date(2026, 11, 4),
        event.actor_id,
        "court proceedings",
    )
    assert event.after is not None
    assert (event.after["paused"], event.after["resume_by"]) == (["stage1_response"], "2026-11-18")


def test_an_adult_social_care_response_is_extended_in_calendar_months(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    """Its response counts in calendar months, so its extension does too."""
    reference = acknowledged(council, clock, log_case, "adult_social_care")
    # Six months from Monday 2 November 2026 is Sunday 2 May 2027; Monday 3 May is a bank
    # holiday, so Tuesday 4 May.
    assert running(show_case(council, reference, by="admin"), "response")[0] == date(2027, 5, 4)
    with pytest.raises(DomainError) as refused:
        extend(council, reference, working_days="7")
    assert str(refused.value) == (
        "the response can be extended by at most 6 calendar months in all; 0 already used, "
        "so at most 6 more"
    )
    with pytest.raises(DomainError) as refused:
        extend(council, reference, working_days="0")
    assert str(refused.value) == "an extension must be at least 1 of the step's calendar months"

    view = extend(council, reference, working_days="2")

    # Two months after Tuesday 4 May is Sunday 4 July: Monday 5 July 2027.
    assert running(view, "response") == (date(2027, 7, 5), "running")
    (extension,) = extensions(council)
    assert (extension.previous_due_on, extension.new_due_on) == (date(2027, 5, 4), date(2027, 7, 5))


def test_an_extension_is_at_least_one_working_day_and_at_most_the_steps_maximum(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = acknowledged(council, clock, log_case, "corporate")
    audits = audit_count(council)
    with pytest.raises(DomainError) as refused:
        extend(council, reference, working_days="0")
    assert str(refused.value) == "an extension must be at least 1 of the step's working days"
    with pytest.raises(DomainError) as refused:
        extend(council, reference, working_days="11")
    assert str(refused.value) == (
        "the stage1 response can be extended by at most 10 working days in all; 0 already "
        "used, so at most 10 more"
    )
    assert audit_count(council) == audits and extensions(council) == []

    # Due Tuesday 17 November; one working day more is Wednesday 18 November.
    view = extend(council, reference, working_days="1")
    assert running(view, "stage1_response") == (date(2026, 11, 18), "running")


def test_closing_a_case_stops_every_open_timer_on_the_day_it_closes(
    council: Context, clock: SettableClock, ready: str
) -> None:
    send_response(council, ready)
    clock.set(date(2026, 11, 25))
    view = fire(council, ready, "close")

    assert view.state == "closed"
    (window,) = [d for d in view.deadlines if d.name == "stage2_request_window"]
    assert (window.status, window.stopped_on) == ("stopped", date(2026, 11, 25))
    event = last_event(council)
    assert event.after is not None and event.after["stopped_all"] == ["stage2_request_window"]


def test_a_hold_resumed_the_day_it_started_moves_nothing(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = held(council, clock, log_case)
    view = fire(council, reference, "resume")

    assert running(view, "stage1_response") == (date(2026, 11, 16), "running")
    (response,) = [d for d in view.deadlines if d.name == "stage1_response"]
    assert response.paused_working_days == 0
    assert the_hold(council).working_days == 0


def owners(ctx: Context) -> dict[str, str | None]:
    """Whose each open deadline is (by username), and the case's investigating officer."""
    with ctx.database.reader() as session:
        names = dict(session.exec(select(User.id, User.username)).all())
        deadlines = session.exec(select(Deadline).where(col(Deadline.status) == "running")).all()
        (officer_id,) = session.exec(select(FeedbackCase.officer_id)).all()
    return {d.name: names.get(d.owner_id) for d in deadlines} | {"case": names.get(officer_id)}


def test_allocating_an_investigator_hands_them_the_running_deadlines(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = acknowledged(council, clock, log_case, "statutory_children")
    for investigator, previous in [("qa", "off"), ("mgr", "qa")]:
        fire(council, reference, "allocate", officer=investigator)
        assert owners(council) == {
            "stage1_response": investigator,
            "first_contact": investigator,
            "case": investigator,
        }
        event = last_event(council)
        assert event.after is not None and event.after["officer"] == investigator
        with council.database.reader() as session:
            previous_id = session.exec(select(User.id).where(User.username == previous)).first()
        assert event.after["previous_officer_id"] == previous_id


def test_an_administrator_cannot_be_allocated_to_investigate(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = acknowledged(council, clock, log_case, "statutory_children")
    before, audits = show_case(council, reference, by="admin"), audit_count(council)
    with pytest.raises(DomainError) as refused:
        fire_trigger(
            council,
            reference,
            "allocate",
            by="off",
            values={"officer": "admin"},
            expected_version=before.version,
        )
    assert str(refused.value) == "admin is an admin and cannot investigate"
    assert show_case(council, reference, by="admin") == before
    assert audit_count(council) == audits


def test_holds_that_run_out_together_are_ended_in_the_order_they_were_recorded(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    """The scheduler's report lists them in a stable order: the order the holds were made in,
    whatever day each runs out."""
    first = held(council, clock, log_case)
    second = acknowledged(council, clock, log_case, "statutory_children")
    clock.set(date(2026, 11, 4))
    version = show_case(council, second, by="admin").version
    fire_trigger(
        council,
        second,
        "hold",
        by="off",
        on=ACKNOWLEDGED,
        values={"reason": "court proceedings"},
        expected_version=version,
    )
    assert resume_expired_holds(council, date(2026, 11, 18)).resumed == (first, second)


def test_an_escalation_keeps_its_reason_and_details_and_the_stage_it_goes_to(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = acknowledged(council, clock, log_case, "statutory_children")
    version = show_case(council, reference, by="admin").version
    values = {"reason": "no_response", "details": "Nobody called back after three weeks"}
    fire_trigger(
        council, reference, "request_stage2", by="off", values=values, expected_version=version
    )
    with council.database.reader() as session:
        (escalation,) = session.exec(select(Escalation)).all()
    assert (escalation.to_stage, escalation.requested_on, escalation.reason.value) == (
        2,
        ACKNOWLEDGED,
        "no_response",
    )
    assert escalation.details == "Nobody called back after three weeks"
    assert last_event(council).after["escalated_to_stage"] == 2


def test_a_withdrawal_records_the_deadlines_it_cancelled_and_why(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = acknowledged(council, clock, log_case, "corporate")
    running_now = [d.name for d in show_case(council, reference, by="admin").deadlines]
    version = show_case(council, reference, by="admin").version
    values = {"reason": "Sorted out on the phone"}
    view = fire_trigger(
        council, reference, "withdraw", by="off", values=values, expected_version=version
    )
    assert {d.status for d in view.deadlines if d.name == "stage1_response"} == {"cancelled"}
    after = last_event(council).after
    assert after["reason"] == "Sorted out on the phone"
    assert after["cancelled"] == ["stage1_response"]
    assert "stage1_response" in running_now
