"""Values at the edges, refused by the service layer with a clear message and nothing written:
numbers in other numerals than 0 to 9, dates the working-day calendar cannot count, amounts
beyond the money column, text no database can store, and API cursors and moments it never gave."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from complaints.calendar import OutsideCalendarError, WorkingCalendar
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback
from complaints.services.integrations import cases_changed_since
from complaints.services.points import add_remedy
from complaints.services.values import parse_money, plain_whole_number, required_text
from tests.support import LogCase, audit_count, version_of

ODD_NUMERALS = ("²", "٣", "３", "Ⅻ", "1_000", "+5", "-5", "5 5", "", " ", "1234567890")


@pytest.mark.parametrize("text", ODD_NUMERALS)
def test_a_whole_number_is_written_in_the_digits_0_to_9_alone(text: str) -> None:
    assert plain_whole_number(text) is None


def test_plain_digits_are_read_whatever_the_spaces_around_them() -> None:
    assert [plain_whole_number(text) for text in ("0", " 42 ", "007", "999999999")] == [
        0,
        42,
        7,
        999_999_999,
    ]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1e999", "must be in pounds, not '1e999'"),
        ("1E+3", "must be in pounds"),
        ("٣", "must be in pounds"),
        ("Infinity", "must be in pounds"),
        ("sNaN", "must be in pounds"),
        ("9" * 40, "must be less than £10,000,000,000"),
        ("10000000000", "must be less than £10,000,000,000"),
    ],
)
def test_an_amount_beyond_plain_pounds_and_pence_or_the_column_is_refused(
    amount: str, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        parse_money(amount)


def test_the_largest_amount_the_column_holds_is_accepted() -> None:
    assert str(parse_money("£9,999,999,999.99")) == "9999999999.99"


def test_text_with_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(DomainError, match="must not contain a lone surrogate"):
        required_text("Missed \ud800 bins", "summary", 100)


def test_the_calendar_refuses_a_date_outside_its_years_as_a_refusal_not_a_crash() -> None:
    calendar = WorkingCalendar()
    with pytest.raises(DomainError, match="0001-01-01 is outside the supported range"):
        calendar.add_working_days(date(1, 1, 1), 5)
    with pytest.raises(OutsideCalendarError):
        calendar.add_months(date(9999, 1, 1), 1)


FEEDBACK: dict[str, Any] = {
    "procedure": "corporate",
    "feedback_type": "complaint",
    "received_on": date(2026, 11, 16),
    "summary": "Bins missed",
    "complainant_name": "Ava Smith",
}


@pytest.mark.parametrize(
    "details",
    [
        {"received_on": date(1, 1, 1)},
        {"matter_date": date(1, 1, 1)},
        {"summary": "Bins \udfff missed"},
        {"complainant_name": "\ud800"},
    ],
    ids=["received in year 1", "matter in year 1", "a lone surrogate", "only a surrogate"],
)
def test_feedback_the_calendar_cannot_count_or_the_database_cannot_store_is_refused(
    council: Context, details: dict[str, Any]
) -> None:
    events = audit_count(council)
    with pytest.raises(DomainError):
        log_feedback(council, NewFeedback(**FEEDBACK | details), by="off")
    assert audit_count(council) == events


@pytest.fixture
def investigating(council: Context, clock: SettableClock, log_case: LogCase) -> str:
    reference = log_case("statutory_children", date(2026, 11, 2)).reference
    clock.set(date(2026, 11, 3))
    fire_trigger(
        council, reference, "acknowledge", by="off", expected_version=version_of(council, reference)
    )
    return reference


@pytest.mark.parametrize(
    ("trigger", "values", "message"),
    [
        ("extend", {"working_days": "٣", "reason": "more time"}, "not a whole number written in"),
        ("extend", {"working_days": "²", "reason": "more time"}, "not a whole number written in"),
        (
            "escalate_to_lgsco",
            {"ombudsman_reference": "LG-1", "response_due_on": "9999-12-31"},
            "not from 1900-01-01 to 2199-12-31",
        ),
    ],
)
def test_a_step_s_numbers_and_dates_are_read_as_the_calendar_can_count_them(
    council: Context, investigating: str, trigger: str, values: dict[str, str], message: str
) -> None:
    events = audit_count(council)
    with pytest.raises(DomainError, match=message):
        fire_trigger(
            council,
            investigating,
            trigger,
            by="mgr",
            values=values,
            expected_version=version_of(council, investigating),
        )
    assert audit_count(council) == events


def test_a_remedy_of_1e999_pounds_is_refused(council: Context, investigating: str) -> None:
    with pytest.raises(DomainError, match="must be in pounds"):
        add_remedy(
            council,
            investigating,
            "financial",
            by="off",
            amount="1e999",
            expected_version=version_of(council, investigating),
        )


def cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


SINCE = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "given",
    [
        cursor(f"{SINCE.isoformat()}|{'9' * 30}"),
        cursor(f"{SINCE.isoformat()}|{2**31}"),
        cursor(f"{SINCE.isoformat()}|0"),
        cursor(f"{SINCE.isoformat()}|٣"),
        cursor("9999-12-31T23:59:59-23:59|1"),
        cursor("0001-01-01T00:00:00+23:59|1"),
        cursor("no bar here"),
        "%%%",
    ],
)
def test_a_cursor_that_is_not_a_sane_moment_and_id_is_not_one_the_api_gave(
    council: Context, given: str
) -> None:
    with pytest.raises(DomainError, match="the cursor is not one this API gave"):
        cases_changed_since(council, SINCE, cursor=given, by="admin")


@pytest.mark.parametrize(
    "since",
    [
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(-timedelta(hours=23))),
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=23))),
        datetime(1899, 12, 31, tzinfo=UTC),
    ],
)
def test_changes_since_a_moment_outside_the_calendar_s_years_are_refused(
    council: Context, since: datetime
) -> None:
    with pytest.raises(DomainError, match="the moment must be from 1900-01-01 to 2199-12-31"):
        cases_changed_since(council, since, by="admin")
