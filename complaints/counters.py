"""Counters that expire, shared by every web worker and kept over a restart: how often an address,
or a username at an address, has tried to sign in lately. They live in the product's database
(the default) or in Redis when config.toml's `[web] rate_limit_storage` names a Redis server;
never in one process's memory, where each worker would keep its own count.

A counter counts hits in a window of time: the first hit starts the window, and once it has
ended the counter counts as nothing again. `counters_for(ctx)` gives the counters the settings
name. `CounterStorage` lends the database's counters to the `limits` library, on which
flask-limiter counts each address's sign-ins and public forms (with Redis, flask-limiter uses
the library's own Redis storage).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Protocol

import sqlalchemy as sa
from limits.errors import StorageError
from limits.storage import RedisStorage, Storage
from sqlalchemy.dialects import postgresql, sqlite

from complaints.clock import Clock
from complaints.context import Context
from complaints.db import Database, DatabaseError
from complaints.errors import ConfigError
from complaints.models import AttemptCounter, table_of

_COUNTER = table_of(AttemptCounter)
REDIS_KEY_PREFIX = "complaints"
PRUNE_AT_ONCE = 100


class Counters(Protocol):
    """Counters of hits in windows of time, by key."""

    def hit(self, key: str, window: timedelta, amount: int = 1) -> int:
        """Count `amount` more hits on `key` and return its count; with no window running, a
        new one starts that lasts `window`."""
        ...

    def count(self, key: str) -> int:
        """The hits on `key` in its running window (0 when none is running)."""
        ...

    def time_left(self, key: str) -> timedelta:
        """How long until `key`'s window ends (nothing when none is running)."""
        ...

    def clear(self, *keys: str) -> None:
        """Forget these keys' counts."""
        ...

    def clear_starting(self, prefix: str) -> None:
        """Forget the counts of every key that starts with `prefix`."""
        ...


def counters_for(ctx: Context) -> Counters:
    """The counters config.toml's `[web] rate_limit_storage` names: the database or Redis."""
    storage = ctx.settings.web.rate_limit_storage
    if storage == "database":
        return DatabaseCounters(ctx.database, ctx.clock)
    return redis_counters(storage)


class DatabaseCounters:
    """Counters in the `attempt_counter` table, timed by the product's clock."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def hit(self, key: str, window: timedelta, amount: int = 1) -> int:
        now = self.clock.now()
        with self.database.unit_of_work() as session:
            insert = postgresql.insert if self.database.dialect == "postgresql" else sqlite.insert
            fresh = insert(_COUNTER).values(key=key, hits=amount, window_ends_at=now + window)
            ended = _COUNTER.c.window_ends_at <= now
            # One statement, so hits sent at the same moment by several workers all count.
            hits: int = session.execute(
                fresh.on_conflict_do_update(
                    index_elements=[_COUNTER.c.key],
                    set_={
                        "hits": sa.case(
                            (ended, fresh.excluded.hits), else_=_COUNTER.c.hits + amount
                        ),
                        "window_ends_at": sa.case(
                            (ended, fresh.excluded.window_ends_at),
                            else_=_COUNTER.c.window_ends_at,
                        ),
                    },
                ).returning(_COUNTER.c.hits)
            ).scalar_one()
            if hits == amount:  # a new window: clear away some that have ended (worth nothing)
                session.execute(sa.delete(_COUNTER).where(_COUNTER.c.key.in_(_ended(now))))
        return hits

    def count(self, key: str) -> int:
        with self.database.reader() as session:
            hits = session.execute(
                sa.select(_COUNTER.c.hits).where(
                    _COUNTER.c.key == key, _COUNTER.c.window_ends_at > self.clock.now()
                )
            ).scalar()
        return int(hits or 0)

    def time_left(self, key: str) -> timedelta:
        with self.database.reader() as session:
            ends = session.execute(
                sa.select(_COUNTER.c.window_ends_at).where(_COUNTER.c.key == key)
            ).scalar()
        return max(ends - self.clock.now(), timedelta(0)) if ends else timedelta(0)

    def clear(self, *keys: str) -> None:
        with self.database.unit_of_work() as session:
            session.execute(sa.delete(_COUNTER).where(_COUNTER.c.key.in_(keys)))

    def clear_starting(self, prefix: str) -> None:
        with self.database.unit_of_work() as session:
            session.execute(
                sa.delete(_COUNTER).where(_COUNTER.c.key.startswith(prefix, autoescape=True))
            )


def _ended(now: datetime) -> sa.Select[tuple[str]]:
    """Some keys whose windows have ended, none that another worker is counting on just now
    (on PostgreSQL they are skipped rather than waited for: no worker waits on another)."""
    return (
        sa.select(_COUNTER.c.key)
        .where(_COUNTER.c.window_ends_at <= now)
        .limit(PRUNE_AT_ONCE)
        .with_for_update(skip_locked=True)
    )


class RedisCounters:
    """Counters in Redis, through the `limits` library's storage (one script both counts a hit
    and starts its window, so no hit is lost between the two). Redis times the windows."""

    def __init__(self, url: str) -> None:
        try:
            self.storage = RedisStorage(url, key_prefix=REDIS_KEY_PREFIX, wrap_exceptions=True)
        except Exception as error:  # the redis package missing, or a URL it cannot read
            raise ConfigError(
                f"web.rate_limit_storage names a Redis server, which cannot be used: {error} "
                "(install the redis extra: pip install 'complaints[redis]')"
            ) from error

    def hit(self, key: str, window: timedelta, amount: int = 1) -> int:
        with _redis_failures_reported():
            return self.storage.incr(key, math.ceil(window.total_seconds()), amount)

    def count(self, key: str) -> int:
        with _redis_failures_reported():
            return self.storage.get(key)

    def time_left(self, key: str) -> timedelta:
        with _redis_failures_reported():
            ends = self.storage.get_expiry(key)
        return timedelta(seconds=max(ends - time.time(), 0))

    def clear(self, *keys: str) -> None:
        with _redis_failures_reported():
            for key in keys:
                self.storage.clear(key)

    def clear_starting(self, prefix: str) -> None:
        connection: Any = self.storage.get_connection()
        with _redis_failures_reported():
            for name in connection.scan_iter(match=self.storage.prefixed_key(prefix) + "*"):
                connection.delete(name)


@cache
def redis_counters(url: str) -> RedisCounters:
    """The counters on the Redis server at `url`: one connection pool per process."""
    return RedisCounters(url)


@contextmanager
def _redis_failures_reported() -> Iterator[None]:
    """A Redis server that cannot be used just now becomes a DatabaseError saying so."""
    try:
        yield
    except StorageError as error:
        raise DatabaseError(
            f"the Redis server that counts sign-in attempts is not answering ({error}); "
            "nothing was changed"
        ) from error


class CounterStorage(Storage):
    """The database's counters as a storage of the `limits` library, for flask-limiter:
    `Limiter(storage_uri="complaints-database://", storage_options={"counters": ...})`."""

    STORAGE_SCHEME = ["complaints-database"]  # noqa: RUF012 (the library declares it so)

    def __init__(
        self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any
    ) -> None:
        super().__init__(uri, wrap_exceptions)
        self.counters: DatabaseCounters = options["counters"]

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return (DatabaseError, sa.exc.SQLAlchemyError)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return self.counters.hit(key, timedelta(seconds=expiry), amount)

    def get(self, key: str) -> int:
        return self.counters.count(key)

    def get_expiry(self, key: str) -> float:
        return time.time() + self.counters.time_left(key).total_seconds()

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        self.counters.clear_starting("")
        return None

    def clear(self, key: str) -> None:
        self.counters.clear(key)
