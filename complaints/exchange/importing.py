"""Import of historic cases from a council's old system: all or nothing, and safe to re-run.

The whole file is checked first, every row, and every problem is reported with its row number;
only a file with no problems is imported, in one transaction. A reference already in the product
is updated if the file says something new about it and nobody has worked on it in the product
since it was imported; a case that has been worked on is never overwritten. Re-running the same
file changes nothing. Each imported or updated case gets an audit event holding its row before
and after, and the run one more, so what an import did can always be seen and undone by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlmodel import Session, col, func, select

from complaints.context import Context
from complaints.errors import DomainError
from complaints.exchange.exporting import case_records, due_on_rule
from complaints.exchange.files import SourceRow, read_rows
from complaints.exchange.records import (
    CaseRecord,
)
from complaints.exchange.rows import BadRowError, RowRules, parse_row
from complaints.exchange.writing import Names, Writer
from complaints.models import (
    AuditEvent,
    FeedbackCase,
)
from complaints.permissions import Permission, require
from complaints.services.audit import record_event
from complaints.services.people import find_user
from complaints.services.references import reserve_past

IMPORT_ACTIONS = ("import", "import_update")
MAX_PROBLEMS_IN_MESSAGE = 50


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a trial run, would do)."""

    file_name: str
    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    trial: bool


class ImportRefusedError(DomainError):
    """The file has problems; nothing was imported. `problems` lists (row number, problem)."""

    def __init__(self, file_name: str, problems: list[tuple[int, str]]) -> None:
        shown = problems[:MAX_PROBLEMS_IN_MESSAGE]
        lines = [f"  row {row}: {problem}" for row, problem in shown]
        if len(problems) > len(shown):
            lines.append(f"  ... and {len(problems) - len(shown)} more")
        rows = len({row for row, _ in problems})
        super().__init__(
            f"{file_name}: nothing was imported; {rows} rows have problems:\n" + "\n".join(lines)
        )
        self.problems = problems


def import_cases(ctx: Context, path: Path, *, by: str, trial: bool = False) -> ImportResult:
    """Import every case row of a CSV or XLSX file (docs/import-export.md lists the columns)."""
    source_rows = read_rows(path)
    if not source_rows:
        raise DomainError(f"{path.name} has headings but no cases")
    records, problems = _parse(ctx, source_rows)
    with ctx.database.unit_of_work() as session:
        actor = find_user(session, by)
        require(actor, Permission.IMPORT_CASES)
        names = Names.load(session)
        for row in source_rows:
            unknown = [(row.row, problem) for problem in names.unknown(row)]
            problems.extend(unknown)
            if unknown:
                records.pop(row.row, None)
        records = {number: names.canonical(record) for number, record in records.items()}
        existing = _existing_cases(session, [record.reference for record in records.values()])
        plan = _plan(ctx, session, records, existing, problems)
        if problems:
            raise ImportRefusedError(path.name, sorted(problems))
        result = ImportResult(
            path.name,
            created=tuple(records[row_number].reference for row_number in plan.create),
            updated=tuple(records[row_number].reference for row_number in plan.update),
            unchanged=plan.unchanged,
            trial=trial,
        )
        if trial:
            return result  # nothing has been written: the unit of work commits no change
        writer = Writer(ctx, session, actor, names, path.name)
        for row_number in plan.create:
            writer.create(records[row_number], row_number)
        for row_number in plan.update:
            writer.update(existing[records[row_number].reference], records[row_number], row_number)
        reserve_past(session, ctx.settings.council.reference_prefix, result.created)
        record_event(
            session,
            at=ctx.clock.now(),
            actor=actor,
            action="import",
            summary=f"Imported {path.name}: {len(result.created)} new cases, "
            f"{len(result.updated)} updated, {len(result.unchanged)} unchanged",
        )
    return result


def _parse(
    ctx: Context, source_rows: list[SourceRow]
) -> tuple[dict[int, CaseRecord], list[tuple[int, str]]]:
    rules = RowRules(
        today=ctx.clock.today(),
        workflow=ctx.engine.workflow,
        contact_methods=ctx.settings.lists.contact_methods,
        due_on=due_on_rule(ctx),
    )
    records: dict[int, CaseRecord] = {}
    problems: list[tuple[int, str]] = []
    first_row: dict[str, int] = {}
    for row in source_rows:
        problems.extend((row.row, problem) for problem in row.problems)
        try:
            record = parse_row(row.cells, rules)
        except BadRowError as error:
            problems.extend((row.row, problem) for problem in error.problems)
            continue
        key = record.reference.casefold()
        if key in first_row:
            problems.append(
                (row.row, f"reference {record.reference} is also on row {first_row[key]}")
            )
            continue
        first_row[key] = row.row
        records[row.row] = record
    return records, problems


@dataclass
class _Plan:
    create: list[int]
    update: list[int]
    unchanged: tuple[str, ...]


def _existing_cases(session: Session, references: Sequence[str]) -> dict[str, FeedbackCase]:
    found: dict[str, FeedbackCase] = {}
    wanted = [reference.casefold() for reference in references]
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(FeedbackCase).where(func.lower(FeedbackCase.reference).in_(chunk))
        for case in session.exec(query):
            found[case.reference.casefold()] = case
    return {
        reference: found[reference.casefold()]
        for reference in references
        if reference.casefold() in found
    }


def _plan(
    ctx: Context,
    session: Session,
    records: dict[int, CaseRecord],
    existing: dict[str, FeedbackCase],
    problems: list[tuple[int, str]],
) -> _Plan:
    current = case_records(session, list(existing.values()), due_on_rule(ctx))
    worked_on = _worked_on_since_import(session, [case.id for case in existing.values()])
    plan = _Plan([], [], ())
    unchanged = []
    for row_number, record in records.items():
        case = existing.get(record.reference)
        if case is None:
            plan.create.append(row_number)
        elif current.get(case.id or 0) == replace(record, reference=case.reference):
            unchanged.append(case.reference)
        elif case.id in worked_on:
            problems.append(
                (
                    row_number,
                    f"{case.reference} has been worked on in the product; it was not overwritten",
                )
            )
        else:
            plan.update.append(row_number)
    plan.unchanged = tuple(unchanged)
    return plan


def _worked_on_since_import(session: Session, case_ids: Iterable[int | None]) -> set[int]:
    """The cases with any audit event that is not an import: those belong to the product now."""
    ids = [case_id for case_id in case_ids if case_id is not None]
    query = (
        select(AuditEvent.case_id)
        .where(col(AuditEvent.case_id).in_(ids), col(AuditEvent.action).not_in(IMPORT_ACTIONS))
        .distinct()
    )
    return {case_id for case_id in session.exec(query) if case_id is not None}
