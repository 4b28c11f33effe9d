"""Checking a username and password, and slowing down whoever keeps getting them wrong.

Wrong passwords are counted for a username and a network address together: after FREE_ATTEMPTS
in a row, that address must wait before trying that username again, a minute and then twice as
long after each further wrong one, up to LONGEST_WAIT. So a stranger's guesses slow down only
the stranger: nobody can lock anyone out, and the person signs in from their own desk as usual.
A username that does not exist is counted and answered exactly like one that does, so the
answers never tell anyone which usernames exist. The counts are kept where config.toml's
`[web] rate_limit_storage` says (complaints/counters.py): the same for every web worker, and
kept over a restart.
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from sqlmodel import select

from complaints import passwords
from complaints.context import Context
from complaints.counters import Counters, counters_for
from complaints.errors import TooManyAttemptsError
from complaints.models import User
from complaints.services.audit import record_event

log = logging.getLogger("complaints.sign_in")

# Wrong passwords in a row from one address before it must wait: enough for a person who
# mistypes, far too few for anyone guessing (each address's sign-ins are also rate-limited).
FREE_ATTEMPTS = 5
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(minutes=15)
# Wrong passwords are forgotten this long after the first of them.
FORGET_AFTER = timedelta(days=1)


def authenticate(ctx: Context, username: str, password: str, *, address: str) -> User | None:
    """The active user whose password this is, or None (in the same time either way).

    While this username must wait at this address, every attempt is refused with
    TooManyAttemptsError, the right password too; so is the wrong password that starts a wait.
    The right password forgets the wrong ones; so does an administrator setting a new one."""
    cleaned = username.strip().lower()
    attempts = _Attempts(counters_for(ctx), cleaned, address)
    wait = attempts.wait_left()
    if wait:
        raise TooManyAttemptsError(_wait_message(wait))
    with ctx.database.reader() as session:
        user = session.exec(select(User).where(User.username == cleaned)).first()
    if user is None or not user.active or not user.password_hash:
        passwords.verify_password(_unknown_user_hash(), password)
        user = None
    elif passwords.verify_password(user.password_hash, password):
        attempts.forget()
        return user
    failures, wait = attempts.count_wrong_password()
    if wait:
        _note_wait(ctx, user, address, failures, wait)
        raise TooManyAttemptsError(_wait_message(wait))
    return None


def forget_wrong_passwords(ctx: Context, username: str) -> None:
    """Forget the wrong passwords tried for `username` from every address (and any wait)."""
    counters_for(ctx).clear_starting(_key_of(username.strip().lower()))


@dataclass(frozen=True)
class _Attempts:
    """The wrong passwords tried for one username from one address, and its wait."""

    counters: Counters
    username: str
    address: str

    @property
    def _failures(self) -> str:
        return f"{_key_of(self.username)}failures:{_digest(self.address)}"

    @property
    def _wait(self) -> str:
        return f"{_key_of(self.username)}wait:{_digest(self.address)}"

    def wait_left(self) -> timedelta:
        return self.counters.time_left(self._wait)

    def count_wrong_password(self) -> tuple[int, timedelta]:
        """The wrong passwords in a row now, and the wait that starts (nothing before
        FREE_ATTEMPTS)."""
        failures = self.counters.hit(self._failures, FORGET_AFTER)
        if failures < FREE_ATTEMPTS:
            return failures, timedelta(0)
        doublings = min(failures - FREE_ATTEMPTS, 10)
        wait = min(FIRST_WAIT * 2**doublings, LONGEST_WAIT)
        self.counters.hit(self._wait, wait)
        return failures, wait

    def forget(self) -> None:
        self.counters.clear(self._failures, self._wait)


def _key_of(username: str) -> str:
    """The start of every counter's key for `username`: its digest, since a password typed
    into the username box by mistake must not be kept."""
    return f"sign-in:{_digest(username)}:"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _wait_message(wait: timedelta) -> str:
    return (
        "too many wrong passwords have been tried for this username from your network. "
        f"Wait {_minutes(wait)}, then try again, or ask an administrator to set you a new "
        "password"
    )


def _minutes(wait: timedelta) -> str:
    """`wait` in whole minutes, rounded up: "1 minute", "2 minutes"."""
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def _note_wait(
    ctx: Context, user: User | None, address: str, failures: int, wait: timedelta
) -> None:
    """Log every wait; audit one on a real account, for its administrators to see."""
    log.warning("sign-in made to wait %s after %d wrong passwords", _minutes(wait), failures)
    if user is None:
        return
    with ctx.database.unit_of_work() as session:
        record_event(
            session,
            at=ctx.clock.now(),
            action="sign_in_slowed",
            summary=(
                f"Sign-in as '{user.username}' from {address[:64]} made to wait "
                f"{_minutes(wait)} after {failures} wrong passwords"
            ),
            after={"username": user.username, "address": address[:64], "failures": failures},
        )


@cache
def _unknown_user_hash() -> str:
    """Verified when the username is unknown, so a wrong username takes as long as a wrong
    password: nobody learns which usernames exist from the time a refusal takes."""
    return passwords.hash_password("not-the-password-of-anyone")
