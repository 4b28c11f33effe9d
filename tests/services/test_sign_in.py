"""Signing in: the password policy, and the wait after too many wrong passwords, counted for a
username at one address (so nobody can lock anyone out), growing with each further wrong one,
the same for a username that does not exist, lifted by time, by the right password or by an
administrator's new password, and audited on a real account."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError, TooManyAttemptsError
from complaints.models import AttemptCounter, AuditEvent
from complaints.services.accounts import set_password
from complaints.services.people import add_user
from complaints.services.sign_in import FORGET_AFTER, FREE_ATTEMPTS, authenticate

PASSWORD = "a-long-and-private-phrase"
HOME, ELSEWHERE = "192.0.2.10", "203.0.113.7"


@pytest.fixture
def signed_up(council: Context, clock: SettableClock) -> Context:
    clock.set(datetime.fromisoformat("2026-12-01T09:00:00+00:00"))
    set_password(council, "off", PASSWORD, by="admin")
    set_password(council, "admin", PASSWORD, by="admin")
    return council


def _wrong(ctx: Context, times: int, username: str = "off", address: str = HOME) -> None:
    for _ in range(times):
        assert authenticate(ctx, username, "not-the-right-password", address=address) is None


def _answer(ctx: Context, username: str, password: str, address: str) -> str:
    try:
        user = authenticate(ctx, username, password, address=address)
    except TooManyAttemptsError as error:
        return str(error)
    return "signed in" if user else "not right"


def test_the_right_password_clears_a_few_wrong_ones(signed_up: Context) -> None:
    _wrong(signed_up, FREE_ATTEMPTS - 1)
    assert authenticate(signed_up, "off", PASSWORD, address=HOME) is not None
    _wrong(signed_up, FREE_ATTEMPTS - 1)  # counted afresh: still no wait
    assert authenticate(signed_up, "OFF ", PASSWORD, address=HOME) is not None


def test_wrong_passwords_make_that_address_wait_longer_each_time_even_for_the_right_one(
    signed_up: Context, clock: SettableClock
) -> None:
    _wrong(signed_up, FREE_ATTEMPTS - 1)
    waits = []
    for _ in range(7):
        with pytest.raises(TooManyAttemptsError) as wrong:
            authenticate(signed_up, "off", "not-the-right-password", address=HOME)
        waits.append(str(wrong.value).split("Wait ")[1].split(",")[0])
        with pytest.raises(TooManyAttemptsError, match=waits[-1]):
            authenticate(signed_up, "off", PASSWORD, address=HOME)
        minutes = int(waits[-1].split()[0])
        clock.advance(timedelta(minutes=minutes) - timedelta(seconds=1))
        with pytest.raises(TooManyAttemptsError, match="Wait 1 minute,"):
            authenticate(signed_up, "off", PASSWORD, address=HOME)
        clock.advance(timedelta(seconds=1))

    assert waits == [
        "1 minute", "2 minutes", "4 minutes", "8 minutes", "15 minutes", "15 minutes",
        "15 minutes",
    ]  # fmt: skip
    assert authenticate(signed_up, "off", PASSWORD, address=HOME) is not None
    with signed_up.database.reader() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "sign_in_slowed"))
        summaries = [event.summary for event in events]
    assert summaries[:2] == [
        f"Sign-in as 'off' from {HOME} made to wait 1 minute after 5 wrong passwords",
        f"Sign-in as 'off' from {HOME} made to wait 2 minutes after 6 wrong passwords",
    ]


def test_wrong_passwords_from_one_address_never_stop_that_person_from_another(
    signed_up: Context, clock: SettableClock
) -> None:
    for _ in range(4):  # an hour of guessing at the administrator's password
        for _ in range(FREE_ATTEMPTS):
            _answer(signed_up, "admin", "guessing-the-password", ELSEWHERE)
        assert "Wait" in _answer(signed_up, "admin", PASSWORD, ELSEWHERE)

        assert authenticate(signed_up, "admin", PASSWORD, address=HOME) is not None

        clock.advance(timedelta(minutes=15))


def test_a_username_that_does_not_exist_is_answered_like_one_that_does(
    signed_up: Context, clock: SettableClock
) -> None:
    def answers(username: str, address: str) -> list[str]:
        replies = []
        for attempt in range(FREE_ATTEMPTS + 4):
            replies.append(_answer(signed_up, username, "not-the-right-password", address))
            if attempt == FREE_ATTEMPTS:
                clock.advance(timedelta(minutes=1))
        clock.advance(-timedelta(minutes=1))
        return replies

    assert answers("off", HOME) == answers("nobody", HOME)


def test_an_unknown_username_never_slows_down_anyone_else(signed_up: Context) -> None:
    for _ in range(FREE_ATTEMPTS + 2):
        _answer(signed_up, "nobody", PASSWORD, HOME)
    assert authenticate(signed_up, "off", PASSWORD, address=HOME) is not None


def test_wrong_passwords_are_forgotten_a_day_after_the_first(
    signed_up: Context, clock: SettableClock
) -> None:
    _wrong(signed_up, FREE_ATTEMPTS - 1)
    clock.advance(FORGET_AFTER)
    _wrong(signed_up, FREE_ATTEMPTS - 1)  # counted afresh: no wait
    assert authenticate(signed_up, "off", PASSWORD, address=HOME) is not None


def test_an_administrator_setting_a_new_password_ends_the_wait(signed_up: Context) -> None:
    _wrong(signed_up, FREE_ATTEMPTS - 1)
    with pytest.raises(TooManyAttemptsError):
        _wrong(signed_up, 1)

    set_password(signed_up, "off", "a-brand-new-long-phrase", by="admin")

    assert authenticate(signed_up, "off", "a-brand-new-long-phrase", address=HOME) is not None


def test_the_counts_keep_neither_what_was_typed_as_a_username_nor_the_address(
    signed_up: Context,
) -> None:
    _wrong(signed_up, 1, PASSWORD)  # a password typed into the username box
    with signed_up.database.reader() as session:
        keys = session.exec(select(AttemptCounter.key)).all()
    assert keys and not any(PASSWORD in key or HOME in key for key in keys)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 12 characters"),
        ("x" * 257, "at most 256 characters"),
        ("Password 1234!", "first that attackers try"),
        ("qwertyuiop123", "first that attackers try"),
        ("Newstarter-2026-spring", "must not contain the username"),
    ],
)
def test_a_password_against_the_policy_is_refused_and_nothing_changes(
    council: Context, password: str, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        add_user(council, "newstarter", role="officer", password=password)
    with pytest.raises(DomainError, match=message):
        set_password(council, "off2", password.replace("Newstarter", "Off2"), by="admin")

    assert authenticate(council, "newstarter", password, address=HOME) is None
    with council.database.reader() as session:
        assert (
            session.exec(select(AuditEvent).where(AuditEvent.action == "password_set")).all() == []
        )
