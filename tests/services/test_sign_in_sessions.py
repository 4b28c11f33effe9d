"""Sign-in sessions held by the server: only a digest of the token is kept; a session ends for
good when its person signs out, after the idle time-out (never sooner) or a working day, in
another browser, and with a new password or an account switched off (in that change's own
transaction, so a refused change ends nothing); the last use is written at most once a minute."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError, SessionEndedError
from complaints.models import AuditEvent, SessionEnd, SignInSession, User
from complaints.services.accounts import change_account, set_password
from complaints.services.people import find_user
from complaints.services.sign_in_sessions import check_session, end_session, start_session

BROWSER = "Mozilla/5.0 (the officer's browser)"


@pytest.fixture
def start(council: Context) -> Callable[[str], str]:
    """`start("off")`: a new session of that person in BROWSER; its token."""

    def started(username: str) -> str:
        with council.database.reader() as session:
            user = find_user(session, username)
        return start_session(council, user, browser=BROWSER)

    return started


def _sessions(ctx: Context) -> list[SignInSession]:
    with ctx.database.reader() as session:
        return list(session.exec(select(SignInSession).order_by(col(SignInSession.id))))


def _switch(ctx: Context, username: str, *, active: bool, by: str = "admin") -> None:
    change_account(
        ctx, username, by=by, role="admin" if username == "admin" else "officer", team=None,
        full_name="Someone", email=None, active=active,
    )  # fmt: skip


def test_a_session_opens_only_with_its_token_whose_digest_alone_is_kept(
    council: Context, start: Callable[[str], str]
) -> None:
    token = start("off")

    assert check_session(council, token, browser=BROWSER).username == "off"
    (kept,) = _sessions(council)
    assert token not in kept.token_sha256 and len(kept.token_sha256) == 64
    with pytest.raises(SessionEndedError, match="you are not signed in"):
        check_session(council, token + "x", browser=BROWSER)


def test_signing_out_ends_the_session_for_good_and_keeps_why(
    council: Context, start: Callable[[str], str], clock: SettableClock
) -> None:
    token = start("off")

    end_session(council, token)
    clock.advance(timedelta(minutes=5))
    end_session(council, token)  # already ended: nothing changes

    with pytest.raises(SessionEndedError, match="you signed out"):
        check_session(council, token, browser=BROWSER)
    (ended,) = _sessions(council)
    assert (ended.ended_because, ended.ended_at) == (SessionEnd.SIGNED_OUT, ended.started_at)


def test_its_last_use_is_written_at_most_once_a_minute(
    council: Context, start: Callable[[str], str], clock: SettableClock
) -> None:
    token = start("off")
    started = _sessions(council)[0].last_seen_at

    clock.advance(timedelta(seconds=59))
    check_session(council, token, browser=BROWSER)
    assert _sessions(council)[0].last_seen_at == started

    clock.advance(timedelta(seconds=1))
    check_session(council, token, browser=BROWSER)
    assert _sessions(council)[0].last_seen_at == started + timedelta(minutes=1)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(gaps=st.lists(st.integers(min_value=1, max_value=30 * 60 - 1), min_size=1, max_size=12))
def test_nobody_is_signed_out_for_idling_less_than_the_idle_time_out(
    council: Context, start: Callable[[str], str], clock: SettableClock, gaps: list[int]
) -> None:
    token = start("off")
    for seconds in gaps:  # each gap between two pages is under 30 minutes
        clock.advance(timedelta(seconds=seconds))
        assert check_session(council, token, browser=BROWSER).username == "off"
    end_session(council, token)


@pytest.mark.parametrize("idle", [timedelta(minutes=31), timedelta(hours=3)])
def test_a_session_left_idle_longer_than_the_time_out_ends(
    council: Context, start: Callable[[str], str], clock: SettableClock, idle: timedelta
) -> None:
    token = start("off")
    clock.advance(timedelta(minutes=10, seconds=30))
    check_session(council, token, browser=BROWSER)

    clock.advance(idle)

    with pytest.raises(SessionEndedError, match="after 30 minutes without activity"):
        check_session(council, token, browser=BROWSER)
    with pytest.raises(SessionEndedError, match="after 30 minutes without activity"):
        check_session(council, token, browser=BROWSER)  # and stays ended
    assert _sessions(council)[0].ended_because is SessionEnd.IDLE


def test_the_idle_time_out_and_working_day_follow_the_settings(
    council: Context, clock: SettableClock
) -> None:
    web = dataclasses.replace(
        council.settings.web, idle_timeout_minutes=5, session_lifetime_hours=1
    )
    ctx = Context(dataclasses.replace(council.settings, web=web), clock, council.database)
    with ctx.database.reader() as session:
        user = find_user(session, "off")
    idle, busy = (
        start_session(ctx, user, browser=BROWSER),
        start_session(ctx, user, browser=BROWSER),
    )

    for _ in range(6):
        clock.advance(timedelta(minutes=4))
        check_session(ctx, busy, browser=BROWSER)
    with pytest.raises(SessionEndedError, match="after 5 minutes without activity"):
        check_session(ctx, idle, browser=BROWSER)
    clock.advance(timedelta(minutes=36))
    with pytest.raises(SessionEndedError, match="signed in more than 1 hour ago"):
        check_session(ctx, busy, browser=BROWSER)


def test_a_busy_session_ends_when_the_working_day_is_over(
    council: Context, start: Callable[[str], str], clock: SettableClock
) -> None:
    token = start("off")
    for _ in range(8 * 4 - 1):
        clock.advance(timedelta(minutes=15))
        check_session(council, token, browser=BROWSER)
    clock.advance(timedelta(minutes=15))

    with pytest.raises(SessionEndedError, match="you signed in more than 8 hours ago"):
        check_session(council, token, browser=BROWSER)
    assert _sessions(council)[0].ended_because is SessionEnd.WORKING_DAY_OVER


def test_a_session_seen_in_another_browser_ends_for_both(
    council: Context, start: Callable[[str], str]
) -> None:
    token = start("off")

    with pytest.raises(SessionEndedError, match="used from another browser"):
        check_session(council, token, browser="curl/8.0")
    with pytest.raises(SessionEndedError, match="used from another browser"):
        check_session(council, token, browser=BROWSER)


def test_a_new_password_ends_every_session_of_that_person_in_the_same_change(
    council: Context, start: Callable[[str], str]
) -> None:
    desk, home, colleague = start("off"), start("off"), start("off2")

    set_password(council, "off", "a-brand-new-long-phrase", by="admin")

    for token in (desk, home):
        with pytest.raises(SessionEndedError, match="your password was changed"):
            check_session(council, token, browser=BROWSER)
    assert check_session(council, colleague, browser=BROWSER).username == "off2"
    with council.database.reader() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "password_set")).one()
    assert event.after == {"username": "off", "sessions_ended": 2}


def test_a_password_refused_by_the_policy_ends_no_session(
    council: Context, start: Callable[[str], str]
) -> None:
    token = start("off")

    with pytest.raises(DomainError):
        set_password(council, "off", "short", by="admin")
    with pytest.raises(DomainError):
        set_password(council, "off", "a-brand-new-long-phrase", by="off2")  # not an administrator

    assert check_session(council, token, browser=BROWSER).username == "off"


def test_switching_an_account_off_ends_its_sessions_for_good(
    council: Context, start: Callable[[str], str]
) -> None:
    token = start("off")

    _switch(council, "off", active=False)
    _switch(council, "off", active=True)

    with pytest.raises(SessionEndedError, match="your account was switched off"):
        check_session(council, token, browser=BROWSER)


def test_a_refused_change_to_an_account_ends_no_session(
    council: Context, start: Callable[[str], str]
) -> None:
    token = start("admin")

    with pytest.raises(DomainError, match="cannot remove your own administrator role"):
        _switch(council, "admin", active=False)

    assert check_session(council, token, browser=BROWSER).username == "admin"


def test_an_account_switched_off_some_other_way_opens_no_session(
    council: Context, start: Callable[[str], str]
) -> None:
    token = start("off")
    with council.database.unit_of_work() as session:
        user = session.exec(select(User).where(User.username == "off")).one()
        user.active = False
        session.add(user)

    with pytest.raises(SessionEndedError, match="your account was switched off"):
        check_session(council, token, browser=BROWSER)
