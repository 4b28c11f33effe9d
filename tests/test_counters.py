"""The counters of sign-in attempts, in the database and in Redis: hits count within a window,
a new window starts once one has ended (and clears ended ones away), hits sent at the same
moment by many workers all count, and the `limits` library (flask-limiter's) can count on the
database's."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from limits import parse
from limits.strategies import FixedWindowRateLimiter
from sqlmodel import select

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.counters import Counters, CounterStorage, DatabaseCounters, redis_counters
from complaints.models import AttemptCounter
from tests.support import redis_url

MINUTE = timedelta(minutes=1)


@pytest.fixture(params=["database", "redis"])
def counters(request: pytest.FixtureRequest, ctx: Context) -> Counters:
    if request.param == "database":
        return DatabaseCounters(ctx.database, ctx.clock)
    return redis_counters(redis_url())


@pytest.fixture
def key() -> Callable[[str], str]:
    """Keys no other test (nor an earlier run, in a shared Redis) has used."""
    run = secrets.token_hex(8)
    return lambda name: f"test:{run}:{name}"


def test_hits_count_within_a_window_and_can_be_forgotten(
    counters: Counters, key: Callable[[str], str]
) -> None:
    assert [counters.hit(key("a"), MINUTE) for _ in range(3)] == [1, 2, 3]
    assert counters.hit(key("a"), MINUTE, amount=2) == 5
    assert (counters.count(key("a")), counters.count(key("b"))) == (5, 0)
    assert timedelta(seconds=58) < counters.time_left(key("a")) <= MINUTE
    assert counters.time_left(key("b")) == timedelta(0)

    counters.clear(key("a"), key("b"))

    assert (counters.count(key("a")), counters.time_left(key("a"))) == (0, timedelta(0))


def test_keys_can_be_forgotten_by_how_they_start(
    counters: Counters, key: Callable[[str], str]
) -> None:
    for name in ("person:home", "person:work", "personal", "other_%_person"):
        counters.hit(key(name), MINUTE)

    counters.clear_starting(key("person:"))
    counters.clear_starting(key("other_%"))

    assert [counters.count(key(name)) for name in ("person:home", "person:work", "personal")] == [
        0, 0, 1,
    ]  # fmt: skip
    assert counters.count(key("other_%_person")) == 0


def test_a_new_window_starts_once_the_last_has_ended(
    ctx: Context, clock: SettableClock, key: Callable[[str], str]
) -> None:
    counters = DatabaseCounters(ctx.database, clock)
    counters.hit(key("a"), MINUTE)
    counters.hit(key("a"), MINUTE)
    counters.hit(key("old"), timedelta(seconds=10))
    clock.advance(timedelta(seconds=59))
    assert counters.hit(key("a"), MINUTE) == 3  # the window runs from the first hit

    clock.advance(timedelta(seconds=1))

    assert (counters.count(key("a")), counters.time_left(key("a"))) == (0, timedelta(0))
    assert counters.hit(key("a"), MINUTE) == 1
    assert counters.time_left(key("a")) == MINUTE
    with ctx.database.reader() as session:  # a new window cleared away the ended one
        kept = session.exec(select(AttemptCounter.key)).all()
    assert kept == [key("a")]


def test_hits_sent_at_the_same_moment_by_many_workers_all_count(
    counters: Counters, key: Callable[[str], str]
) -> None:
    with ThreadPoolExecutor(max_workers=8) as workers:
        counts = list(workers.map(lambda _: counters.hit(key("a"), MINUTE), range(40)))

    assert sorted(counts) == list(range(1, 41))
    assert counters.count(key("a")) == 40


def test_the_limits_library_counts_on_the_database(ctx: Context, clock: SettableClock) -> None:
    limiter = FixedWindowRateLimiter(CounterStorage(counters=DatabaseCounters(ctx.database, clock)))
    two_a_minute = parse("2/minute")

    assert [limiter.hit(two_a_minute, "192.0.2.1") for _ in range(3)] == [True, True, False]
    assert limiter.hit(two_a_minute, "192.0.2.2")
    assert limiter.get_window_stats(two_a_minute, "192.0.2.1").remaining == 0

    clock.advance(MINUTE)

    assert limiter.test(two_a_minute, "192.0.2.1")
