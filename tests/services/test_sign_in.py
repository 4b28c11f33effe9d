"""Signing in: the password policy, and the lockout after too many wrong passwords in a row
(counted atomically, lifted by time or by an administrator's new password, audited)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import AccountLockedError, DomainError
from complaints.models import AuditEvent
from complaints.services.accounts import LOCKOUT_AFTER, LOCKOUT_TIME, authenticate, set_password
from complaints.services.people import add_user

PASSWORD = "a-long-and-private-phrase"


@pytest.fixture
def signed_up(council: Context, clock: SettableClock) -> Context:
    clock.set(datetime.fromisoformat("2026-12-01T09:00:00+00:00"))
    set_password(council, "off", PASSWORD, by="admin")
    return council


def _wrong(ctx: Context, times: int) -> None:
    for _ in range(times):
        assert authenticate(ctx, "off", "not-the-right-password") is None


def test_the_right_password_clears_a_few_wrong_ones(signed_up: Context) -> None:
    _wrong(signed_up, LOCKOUT_AFTER - 1)
    assert authenticate(signed_up, "off", PASSWORD) is not None
    _wrong(signed_up, LOCKOUT_AFTER - 1)  # counted afresh: still not locked
    assert authenticate(signed_up, "OFF ", PASSWORD) is not None


def test_too_many_wrong_passwords_lock_the_account_even_to_the_right_one(
    signed_up: Context, clock: SettableClock
) -> None:
    _wrong(signed_up, LOCKOUT_AFTER - 1)
    with pytest.raises(AccountLockedError, match="locked after 5 wrong passwords"):
        authenticate(signed_up, "off", "not-the-right-password")
    with pytest.raises(AccountLockedError, match="try again in 15 minutes"):
        authenticate(signed_up, "off", PASSWORD)

    clock.advance(LOCKOUT_TIME - timedelta(minutes=1))
    with pytest.raises(AccountLockedError, match="try again in 1 minutes"):
        authenticate(signed_up, "off", PASSWORD)
    clock.advance(timedelta(minutes=1))
    assert authenticate(signed_up, "off", PASSWORD) is not None

    with signed_up.database.reader() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "account_locked"))
        assert [event.summary for event in events] == [
            "Account 'off' locked after 5 wrong passwords"
        ]


def test_an_administrator_setting_a_new_password_unlocks_the_account(signed_up: Context) -> None:
    _wrong(signed_up, LOCKOUT_AFTER - 1)
    with pytest.raises(AccountLockedError):
        _wrong(signed_up, 1)

    set_password(signed_up, "off", "a-brand-new-long-phrase", by="admin")

    assert authenticate(signed_up, "off", "a-brand-new-long-phrase") is not None


def test_an_unknown_username_never_locks_anything(signed_up: Context) -> None:
    for _ in range(LOCKOUT_AFTER + 2):
        assert authenticate(signed_up, "nobody", PASSWORD) is None
    assert authenticate(signed_up, "off", PASSWORD) is not None


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

    assert authenticate(council, "newstarter", password) is None
    with council.database.reader() as session:
        assert (
            session.exec(select(AuditEvent).where(AuditEvent.action == "password_set")).all() == []
        )
