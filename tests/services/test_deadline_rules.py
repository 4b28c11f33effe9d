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
from complaints.models import AuditEvent, Extension, Hold
from complaints.services.cases import fire_trigger, show_case
from complaints.services.holds import resume_expired_holds
from complaints.services.views import CaseView
from tests.support import LogCase, audit_count

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
    version = show_case(ctx, reference, by="admin").version
    fire_trigger(
        ctx,
        reference,
        "hold",
        by="off",
        values={"reason": "court proceedings"},
        expected_version=version,
    )
    return reference


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
    with council.database.reader() as session:
        event = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert event is not None and (event.action, event.actor_id) == ("resume", None)
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
    assert resume_expired_holds(council, date(2026, 11, 20)).resumed == ()
