"""Writing demo rows in bulk, for a demo council of hundreds of thousands of cases: PostgreSQL's
`COPY ... FROM STDIN` (psycopg 3) or SQLite's executemany, batch by batch, parents first, all in
the load's one transaction, then ANALYZE so the planner knows the tables' new sizes.

Python makes the next rows (in a second thread) while the database stores the last ones, and
writes COPY's text format itself, with each column's few distinct values (dates, states,
wordings) formatted once: psycopg's `write_row` would spend longer on each row than making it.

As pg_restore does, the tables being filled lose their secondary indexes (those no constraint
relies on) and, on PostgreSQL, their foreign keys while the rows go in, and get them back at the
end: building an index from every row at once is quicker than keeping it in order row by row,
and adding a foreign key back checks every row against its parent in one join, where COPY would
check row by row (about as costly as the copying itself). Should any row break a constraint,
adding it back fails and the whole load rolls back, the dropped indexes and keys with it.
Meanwhile the load holds those tables and the ones they refer to (staff, teams, categories)
against other writers, and readers of the tables being filled wait for it.
"""

from __future__ import annotations

import gc
import json
import logging
import operator
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from psycopg import sql

from complaints.demo.rows import DEMO_TABLES, DemoBatch, DemoTable, Row

T = TypeVar("T")
log = logging.getLogger("complaints.demo")
TABLE_NAMES = tuple(table.name for table in DEMO_TABLES)
# COPY's text format: tab between columns, newline between rows, \N for NULL, and these escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# How many distinct values of a column keep their converted form (see _Remembered).
_REMEMBERED = 4096


def write_in_bulk(connection: sa.Connection, batches: Iterable[DemoBatch]) -> dict[str, float]:
    """Write every batch's rows in `connection`'s transaction and analyse the tables. Returns
    the seconds each part of the load took, by name (BULK_PHASES)."""
    postgresql = connection.dialect.name == "postgresql"
    phases = _Stopwatch()
    with _collector_paused(), _indexes_and_keys_made_at_end(connection, phases):
        if postgresql:
            _copy_into_postgresql(connection, batches)
        else:
            _insert_into_sqlite(connection, batches)
        phases.lap(ROWS_PHASE)
    connection.execute(sa.text(f"ANALYZE {', '.join(TABLE_NAMES)}" if postgresql else "ANALYZE"))
    phases.lap(ANALYSE_PHASE)
    return phases.laps


ROWS_PHASE = "rows made and written"
INDEXES_PHASE = "indexes and foreign keys made again"
ANALYSE_PHASE = "tables analysed"
VACUUM_PHASE = "tables vacuumed after the commit"
BULK_PHASES = (ROWS_PHASE, INDEXES_PHASE, ANALYSE_PHASE, VACUUM_PHASE)


def vacuum_after_bulk(engine: sa.Engine, tables: Iterable[str] = TABLE_NAMES) -> dict[str, float]:
    """On PostgreSQL, VACUUM the tables a load filled, once it has committed (VACUUM cannot run
    in a transaction), as one does after pg_restore: until a table's pages are marked all
    visible, an index-only scan must still read the table for each row, and the planner,
    knowing it, reads a million-case table from end to end instead (the dashboard's counts
    did). Autovacuum would get there eventually; the demo is meant to be used at once.
    Returns the seconds it took as VACUUM_PHASE; nothing to do on SQLite."""
    if engine.dialect.name != "postgresql":
        return {}
    phases = _Stopwatch()
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text(f"VACUUM {', '.join(tables)}"))
    except sa.exc.DBAPIError as error:  # the load has committed: it stands either way
        log.warning("VACUUM after the demo load failed (autovacuum will do it): %s", error.orig)
        return {}
    phases.lap(VACUUM_PHASE)
    return phases.laps


class _Stopwatch:
    """Seconds from its start (or the last lap) to each lap, by the lap's name."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a load runs: its rows are tuples of plain values, no
    cycles among them, and scanning millions of them again and again would cost a third of the
    load. Restored as it was afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _copy_into_postgresql(connection: sa.Connection, batches: Iterable[DemoBatch]) -> None:
    driver = connection.connection.driver_connection  # psycopg's connection, in our transaction
    assert driver is not None
    texts = {table: _CopyText(table) for table in DEMO_TABLES}
    statements = {table: _copy_statement(table) for table in DEMO_TABLES}
    copies = _made_ahead(
        [(table, texts[table].of(rows)) for table, rows in batch.tables()] for batch in batches
    )
    with driver.cursor() as cursor:
        for batch_copies in copies:
            for table, text in batch_copies:
                with (
                    _as_database_error(connection, statements[table]),
                    cursor.copy(statements[table]) as copy,
                ):
                    copy.write(text)


def _copy_statement(table: DemoTable) -> sql.Composed:
    columns = sql.SQL(", ").join(sql.Identifier(column) for column in table.columns)
    return sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table.name), columns)


class _CopyText:
    """Rows of one table in COPY's text format, each value as PostgreSQL reads it back."""

    def __init__(self, table: DemoTable) -> None:
        self.columns = [_column_text(table.table.c[column]) for column in table.columns]

    def of(self, rows: list[Row]) -> str:
        columns, call = self.columns, operator.call
        return "\n".join(["\t".join(map(call, columns, row)) for row in rows]) + "\n"


def _column_text(column: sa.Column[Any]) -> Callable[[Any], str]:
    if isinstance(column.type, sa.Integer):  # mostly ids, each different: none worth keeping
        return _number_text if column.nullable else str
    if isinstance(column.type, sa.JSON):
        return _json_text
    return _Remembered(_value_text).__getitem__


class _Remembered(dict[Any, Any]):
    """`convert` of one column's values, kept for the first few thousand distinct values: that
    covers every date, state and wording of a demo, so each is converted once (a column's
    values are of one type, so no two of them are equal without being the same)."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, value: Any) -> Any:
        converted = self.convert(value)
        if len(self) < _REMEMBERED:
            self[value] = converted
        return converted


def _number_text(value: int | None) -> str:
    return "\\N" if value is None else str(value)


def _json_text(value: Any) -> str:
    return "\\N" if value is None else json.dumps(value).translate(_ESCAPES)


def _value_text(value: Any) -> str:
    """A text, enum, date, aware moment, amount or flag (or None) as COPY's text format has it."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    return str(value)  # ISO dates and moments (with their offset), plain decimal amounts


@contextmanager
def _indexes_and_keys_made_at_end(connection: sa.Connection, phases: _Stopwatch) -> Iterator[None]:
    """The demo tables without their secondary indexes and foreign keys, made again (and so
    checked) when the block ends, timed as INDEXES_PHASE; if the block fails, the
    transaction's rollback restores them (module docstring)."""
    if connection.dialect.name == "postgresql":
        keys = connection.execute(_POSTGRESQL_FOREIGN_KEYS, {"tables": list(TABLE_NAMES)}).all()
        indexes = connection.execute(_POSTGRESQL_INDEXES, {"tables": list(TABLE_NAMES)}).all()
    else:
        keys = []  # SQLite cannot drop a foreign key; it checks each row as it goes in
        indexes = connection.execute(_SQLITE_INDEXES, {"tables": list(TABLE_NAMES)}).all()
    for table, name, _ in keys:
        connection.execute(sa.text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    for name, _ in indexes:
        connection.execute(sa.text(f"DROP INDEX {name}"))
    yield
    for _, definition in indexes:
        connection.execute(sa.text(definition))
    for table, name, definition in keys:
        connection.execute(sa.text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
    phases.lap(INDEXES_PHASE)


_POSTGRESQL_FOREIGN_KEYS = sa.text(
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE contype = 'f' AND conrelid = ANY(CAST(:tables AS regclass[])) ORDER BY 1, 2"
)
_POSTGRESQL_INDEXES = sa.text(
    "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
    "WHERE indrelid = ANY(CAST(:tables AS regclass[])) "
    "AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = indexrelid) ORDER BY 1"
)
# An index SQLite made for a constraint has no SQL of its own, and stays.
_SQLITE_INDEXES = sa.text(
    "SELECT '\"' || name || '\"', sql FROM sqlite_master WHERE type = 'index' "
    "AND sql IS NOT NULL AND tbl_name IN :tables ORDER BY name"
).bindparams(sa.bindparam("tables", expanding=True))


def _insert_into_sqlite(connection: sa.Connection, batches: Iterable[DemoBatch]) -> None:
    driver = connection.connection.driver_connection  # sqlite3's connection, in our transaction
    assert driver is not None
    dialect = connection.dialect
    statements = {table: _insert_statement(table) for table in DEMO_TABLES}
    stored = {table: _as_stored(table, dialect) for table in DEMO_TABLES}
    inserts = _made_ahead(
        [(table, list(map(stored[table], rows))) for table, rows in batch.tables()]
        for batch in batches
    )
    for batch_inserts in inserts:
        for table, values in batch_inserts:
            with _as_database_error(connection, statements[table]):
                driver.executemany(statements[table], values)


def _insert_statement(table: DemoTable) -> str:
    placeholders = ", ".join("?" for _ in table.columns)
    return f"INSERT INTO {table.name} ({', '.join(table.columns)}) VALUES ({placeholders})"


def _as_stored(table: DemoTable, dialect: sa.Dialect) -> Callable[[Row], list[Any]]:
    """A row's values as the ORM would store them on this database (dates as text, enums as
    their values, JSON as text...), by each column type's own conversion."""
    conversions: list[tuple[int, Callable[[Any], Any]]] = []
    for index, name in enumerate(table.columns):
        column = table.table.c[name]
        convert = column.type.dialect_impl(dialect).bind_processor(dialect)
        if convert is None:
            continue
        if isinstance(column.type, sa.JSON):  # a JSON document cannot be a dictionary key
            conversions.append((index, convert))
        else:
            conversions.append((index, _Remembered(convert).__getitem__))

    def stored(row: Row) -> list[Any]:
        values = list(row)
        for index, convert in conversions:
            values[index] = convert(values[index])
        return values

    return stored


@contextmanager
def _as_database_error(connection: sa.Connection, statement: object) -> Iterator[None]:
    """The driver's own errors (the rows go past SQLAlchemy) as SQLAlchemy's, as every other
    statement raises them: an IntegrityError for a broken constraint, and so on."""
    try:
        yield
    except connection.dialect.loaded_dbapi.Error as error:
        raise sa.exc.DBAPIError.instance(
            str(statement), None, error, connection.dialect.loaded_dbapi.Error
        ) from error


_DONE = object()


def _made_ahead(items: Iterable[T]) -> Iterator[T]:
    """`items`, each made in a second thread while the caller uses the one before. The caller
    spends much of its time waiting for the database, which leaves Python free to make the
    next; one item is made ahead at most. If making one fails, the caller gets the error."""
    made: queue.Queue[Any] = queue.Queue(maxsize=1)
    stopped = threading.Event()

    def hand_over(item: Any) -> bool:
        while not stopped.is_set():
            try:
                made.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        try:
            for item in items:
                if not hand_over(item):
                    return
            hand_over(_DONE)
        except BaseException as error:
            hand_over(error)

    maker = threading.Thread(target=make, name="demo-rows", daemon=True)
    maker.start()
    try:
        while (item := made.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stopped.set()
        maker.join()
