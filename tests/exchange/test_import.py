"""Importing historic cases: every column lands where it belongs, bad files change nothing, and
re-running a file is safe."""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlmodel import col, select

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError
from complaints.exchange import files
from complaints.exchange.columns import COLUMN_NAMES
from complaints.exchange.files import write_xlsx
from complaints.exchange.importing import ImportRefusedError, import_cases
from complaints.models import (
    Action,
    AuditEvent,
    CaseCategory,
    Category,
    Deadline,
    Escalation,
    Extension,
    FeedbackCase,
    LessonLearned,
    LgscoRecord,
    PointOutcome,
    Remedy,
    StageCost,
)
from complaints.services.cases import fire_trigger
from complaints.services.points import record_finding
from tests.support import LogCase, audit_count, version_of

TODAY = date(2026, 11, 23)
STATUTORY_CLOSED = {
    "reference": "OLD-0001",
    "feedback_type": "complaint",
    "procedure": "statutory_children",
    "state": "closed",
    "received_on": "03/04/2023",
    "closed_on": "2023-08-30",
    "complainant_name": "Jo Bloggs",
    "is_child": "yes",
    "summary": "Visits were missed",
    "team": "children and families",
    "officer": "OFF",
    "categories": "communication; Service standards",
    "acknowledged_on": "2023-04-04",
    "points": "Visits were missed\nNobody called back",
    "stage1_responded_on": "2023-04-20",
    "stage1_outcomes": "upheld\nnot_upheld",
    "stage1_remedies": "explanation; apology",
    "stage1_extensions": "5 | yes | Waiting for the school's records",
    "stage2_requested_on": "2023-05-02",
    "stage2_reason": "dissatisfied_with_response",
    "stage2_responded_on": "2023-06-20",
    "stage2_outcomes": "upheld\npartially upheld",
    "stage2_remedies": "apology\nfinancial",
    "stage2_financial_remedy": "£250",
    "stage2_costs": "investigating_officer | 1,200.50 | 2023-06-20\n"
    "independent_person | 300 | 2023-06-21",
    "lgsco_reference": "23 001 234",
    "lgsco_received_on": "2023-09-15",
    "lgsco_decision": "upheld_fault_and_injustice",
    "lgsco_decision_on": "2023-11-01",
    "lgsco_compliance_due_on": "2023-12-01",
    "lgsco_complied_on": "2023-11-20",
    "actions": "2023-07-31 | 2023-07-20 | recommendation | Remind staff to log visits\n"
    "2027-01-31 | - | Audit visits",
    "lessons": "Log every visit on the day",
}
CORPORATE_OPEN = {
    "reference": "OLD-0002",
    "feedback_type": "complaint",
    "procedure": "corporate",
    "state": "stage1_investigating",
    "received_on": "2026-11-16",
    "summary": "Bins not collected",
    "points": "Bins missed three weeks running",
}
COMPLIMENT = {
    "reference": "OLD-0003",
    "feedback_type": "compliment",
    "procedure": "feedback",
    "state": "closed",
    "received_on": "2024-02-01",
    "closed_on": "2024-02-02",
    "summary": "Thank you to the social worker",
}


@pytest.fixture
def admin_ctx(council: Context, clock: SettableClock) -> Context:
    clock.set(TODAY)
    return council


def write_csv_file(path: Path, *rows: dict[str, str]) -> Path:
    headings = list(dict.fromkeys(name for row in rows for name in row))
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=headings)
        writer.writeheader()
        writer.writerows(rows)
    return path


def case_named(ctx: Context, reference: str) -> FeedbackCase:
    with ctx.database.reader() as session:
        return session.exec(select(FeedbackCase).where(FeedbackCase.reference == reference)).one()


def rows_of(ctx: Context, model: type, case: FeedbackCase) -> list:  # type: ignore[type-arg]
    with ctx.database.reader() as session:
        return list(session.exec(select(model).where(model.case_id == case.id)).all())


def test_a_closed_statutory_case_lands_with_its_whole_history(
    admin_ctx: Context, tmp_path: Path
) -> None:
    file = write_csv_file(tmp_path / "old.csv", STATUTORY_CLOSED, CORPORATE_OPEN, COMPLIMENT)

    result = import_cases(admin_ctx, file, by="admin")

    assert result.created == ("OLD-0001", "OLD-0002", "OLD-0003")
    case = case_named(admin_ctx, "OLD-0001")
    assert (case.state, case.stage, case.received_on, case.closed_on) == (
        "closed", 2, date(2023, 4, 3), date(2023, 8, 30)
    )  # fmt: skip
    assert case.is_child and case.complainant_name == "Jo Bloggs"
    deadlines = {d.name: d for d in rows_of(admin_ctx, Deadline, case)}
    assert set(deadlines) == {"acknowledgement", "stage1_response", "stage2_investigation"}
    stage1 = deadlines["stage1_response"]
    # Day 0 is the day received; 10 working days on is 18 April 2023 (Easter: 7 and 10 April).
    assert (stage1.started_on, stage1.due_on, stage1.stopped_on, stage1.status) == (
        date(2023, 4, 3), date(2023, 4, 19), date(2023, 4, 20), "stopped"
    )  # fmt: skip
    assert deadlines["stage2_investigation"].started_on == date(2023, 5, 2)
    (extension,) = rows_of(admin_ctx, Extension, case)
    assert (extension.working_days, extension.complainant_agreed) == (5, True)
    assert (extension.previous_due_on, extension.new_due_on) == (
        date(2023, 4, 19),
        date(2023, 4, 26),
    )
    with admin_ctx.database.reader() as session:
        outcomes = session.exec(
            select(PointOutcome.stage, PointOutcome.outcome).order_by(col(PointOutcome.id))
        ).all()
    assert [(stage, str(outcome)) for stage, outcome in outcomes] == [
        (1, "upheld"), (1, "not_upheld"), (2, "upheld"), (2, "partially_upheld")
    ]  # fmt: skip
    remedies = {(r.stage, r.kind.value, r.amount) for r in rows_of(admin_ctx, Remedy, case)}
    assert remedies == {
        (1, "explanation", None), (1, "apology", None),
        (2, "apology", None), (2, "financial", Decimal("250.00")),
    }  # fmt: skip
    (escalation,) = rows_of(admin_ctx, Escalation, case)
    assert (escalation.to_stage, escalation.reason.value) == (2, "dissatisfied_with_response")
    costs = [(c.kind.value, c.amount, c.incurred_on) for c in rows_of(admin_ctx, StageCost, case)]
    assert costs == [
        ("investigating_officer", Decimal("1200.50"), date(2023, 6, 20)),
        ("independent_person", Decimal("300.00"), date(2023, 6, 21)),
    ]
    (ombudsman,) = rows_of(admin_ctx, LgscoRecord, case)
    assert (ombudsman.decision.value, ombudsman.complied_on) == (
        "upheld_fault_and_injustice", date(2023, 11, 20)
    )  # fmt: skip
    actions = rows_of(admin_ctx, Action, case)
    assert [(a.kind.value, a.status.value, a.completed_on) for a in actions] == [
        ("recommendation", "completed", date(2023, 7, 20)), ("action", "open", None)
    ]  # fmt: skip
    assert [lesson.text for lesson in rows_of(admin_ctx, LessonLearned, case)] == [
        "Log every visit on the day"
    ]
    with admin_ctx.database.reader() as session:
        names = session.exec(
            select(Category.name)
            .join(CaseCategory, col(CaseCategory.category_id) == Category.id)
            .where(CaseCategory.case_id == case.id)
            .order_by(col(Category.name))
        ).all()
    assert names == ["Communication", "Service standards"]


def test_an_open_case_keeps_a_running_deadline_the_officer_can_answer(
    admin_ctx: Context, tmp_path: Path
) -> None:
    import_cases(admin_ctx, write_csv_file(tmp_path / "open.csv", CORPORATE_OPEN), by="admin")

    case = case_named(admin_ctx, "OLD-0002")
    (deadline,) = rows_of(admin_ctx, Deadline, case)
    assert (deadline.name, deadline.status.value) == ("stage1_response", "running")
    assert deadline.due_on == date(2026, 11, 30)  # 10 working days from Monday 16 November
    # The imported case is the product's now: it moves on like any other.
    record_finding(
        admin_ctx,
        "OLD-0002",
        1,
        "upheld",
        by="off",
        expected_version=version_of(admin_ctx, "OLD-0002"),
    )
    fire_trigger(
        admin_ctx,
        "OLD-0002",
        "submit_draft",
        by="off",
        expected_version=version_of(admin_ctx, "OLD-0002"),
    )
    assert case_named(admin_ctx, "OLD-0002").state == "stage1_qa"


def test_running_the_same_file_again_changes_nothing(admin_ctx: Context, tmp_path: Path) -> None:
    file = write_csv_file(tmp_path / "old.csv", STATUTORY_CLOSED, CORPORATE_OPEN, COMPLIMENT)
    import_cases(admin_ctx, file, by="admin")
    events, version = audit_count(admin_ctx), case_named(admin_ctx, "OLD-0001").version

    again = import_cases(admin_ctx, file, by="admin")

    assert (again.created, again.updated) == ((), ())
    assert again.unchanged == ("OLD-0001", "OLD-0002", "OLD-0003")
    assert case_named(admin_ctx, "OLD-0001").version == version
    assert audit_count(admin_ctx) == events + 1  # the run itself is recorded, nothing else


def test_a_corrected_row_updates_its_case_and_the_audit_keeps_the_old_row(
    admin_ctx: Context, tmp_path: Path
) -> None:
    import_cases(admin_ctx, write_csv_file(tmp_path / "a.csv", STATUTORY_CLOSED), by="admin")
    corrected = STATUTORY_CLOSED | {"stage2_outcomes": "upheld\nupheld", "lessons": ""}

    result = import_cases(admin_ctx, write_csv_file(tmp_path / "b.csv", corrected), by="admin")

    assert result.updated == ("OLD-0001",)
    case = case_named(admin_ctx, "OLD-0001")
    assert case.version == 2
    assert rows_of(admin_ctx, LessonLearned, case) == []
    with admin_ctx.database.reader() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "import_update")).one()
    assert event.before is not None and event.after is not None
    assert event.before["stage2_outcomes"] == "upheld\npartially_upheld"
    assert event.after["stage2_outcomes"] == "upheld\nupheld"
    superseded = [d for d in rows_of(admin_ctx, Deadline, case) if d.status == "superseded"]
    assert len(superseded) == 3  # the first import's deadlines are kept as history


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(
    admin_ctx: Context, tmp_path: Path
) -> None:
    bad = STATUTORY_CLOSED | {
        "reference": "OLD-0009",
        "received_on": "31/02/2023",
        "stage1_outcomes": "upheld",
        "team": "Parks",
    }
    worse = CORPORATE_OPEN | {
        "state": "stage3_panel",
        "stage2_requested_on": "2026-11-20",
        "stage2_costs": "other | -5 | 2026-11-20",
        "officer": "nobody",
    }
    file = write_csv_file(tmp_path / "bad.csv", COMPLIMENT, bad, worse, COMPLIMENT)
    before = audit_count(admin_ctx)

    with pytest.raises(ImportRefusedError) as refused:
        import_cases(admin_ctx, file, by="admin")

    problems = refused.value.problems
    assert {line for line, _ in problems} == {3, 4, 5}
    text = str(refused.value)
    assert "nothing was imported; 3 rows have problems" in text
    assert "row 3: received_on: '31/02/2023' is not a date" in text
    assert "row 3: team: there is no team called 'Parks'" in text
    assert "row 4: state: 'stage3_panel' is not a state of corporate" in text
    assert "row 4: officer: there is no user called 'nobody'" in text
    assert "stage2_costs: the stage2_costs must be more than £0" in text
    assert "row 5: reference OLD-0003 is also on row 2" in text
    with admin_ctx.database.reader() as session:
        assert session.exec(select(FeedbackCase)).all() == []
    assert audit_count(admin_ctx) == before


def test_numbers_not_written_0_to_9_and_dates_the_calendar_cannot_count_are_reported(
    admin_ctx: Context, tmp_path: Path
) -> None:
    odd_dates = STATUTORY_CLOSED | {"received_on": "01/01/0001", "closed_on": "²/08/2023"}
    odd_days = STATUTORY_CLOSED | {
        "reference": "OLD-0010",
        "stage1_extensions": "٣ | yes | Waiting for the school's records",
    }
    file = write_csv_file(tmp_path / "odd.csv", odd_dates, odd_days)

    with pytest.raises(ImportRefusedError) as refused:
        import_cases(admin_ctx, file, by="admin")

    text = str(refused.value)
    assert "received_on: '01/01/0001' is not a date from 1900-01-01 to 2199-12-31" in text
    assert "closed_on: '²/08/2023' is not a date" in text
    assert "stage1_extensions: '٣ | yes | Waiting for the school's records' is not" in text


def test_findings_must_match_the_points(admin_ctx: Context, tmp_path: Path) -> None:
    row = STATUTORY_CLOSED | {"stage1_outcomes": "upheld"}
    with pytest.raises(ImportRefusedError, match="1 findings for 2 points; give one per point"):
        import_cases(admin_ctx, write_csv_file(tmp_path / "f.csv", row), by="admin")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"closed_on": ""}, "a case that is closed needs the day it was closed"),
        (
            {"state": "stage1_investigating"},
            "stage 2 columns are filled but the case is at stage 1",
        ),
        ({"stage1_responded_on": "2023-03-01"}, "2023-03-01 is before 2023-04-03"),
        ({"received_on": "2027-01-04"}, "2027-01-04 is in the future"),
        ({"stage1_financial_remedy": "10"}, "stage1_remedies does not list financial"),
        ({"actions": "next week | - | Something"}, "'next week' is not a date"),
        ({"lgsco_reference": ""}, "lgsco_reference: is required"),
        ({"is_child": "maybe"}, "'maybe' is not yes or no"),
        ({"stage1_extensions": "five | yes | why"}, "is not 'working days | yes or no | why'"),
        (
            {"procedure": "corporate", "stage2_adjudication_started_on": "2023-06-01"},
            "only the statutory procedure's stage 2 has an adjudication",
        ),
    ],
)
def test_a_row_that_contradicts_itself_is_refused(
    admin_ctx: Context, tmp_path: Path, change: dict[str, str], message: str
) -> None:
    file = write_csv_file(tmp_path / "c.csv", STATUTORY_CLOSED | change)
    with pytest.raises(ImportRefusedError, match=message):
        import_cases(admin_ctx, file, by="admin")


def test_a_case_worked_on_in_the_product_is_never_overwritten(
    admin_ctx: Context, tmp_path: Path
) -> None:
    file = write_csv_file(tmp_path / "open.csv", CORPORATE_OPEN)
    import_cases(admin_ctx, file, by="admin")
    record_finding(
        admin_ctx,
        "OLD-0002",
        1,
        "upheld",
        by="off",
        expected_version=version_of(admin_ctx, "OLD-0002"),
    )
    changed = CORPORATE_OPEN | {"summary": "Something else"}

    with pytest.raises(ImportRefusedError, match="OLD-0002 has been worked on in the product"):
        import_cases(admin_ctx, write_csv_file(tmp_path / "again.csv", changed), by="admin")
    assert case_named(admin_ctx, "OLD-0002").summary == "Bins not collected"


def test_a_case_logged_in_the_product_is_not_overwritten_by_a_file(
    admin_ctx: Context, log_case: LogCase, tmp_path: Path, clock: SettableClock
) -> None:
    case = log_case("corporate", date(2026, 11, 2))
    clock.set(TODAY)
    row = CORPORATE_OPEN | {"reference": case.reference}
    with pytest.raises(ImportRefusedError, match="has been worked on in the product"):
        import_cases(admin_ctx, write_csv_file(tmp_path / "x.csv", row), by="admin")


def test_references_in_the_products_pattern_are_never_handed_out_again(
    admin_ctx: Context, log_case: LogCase, tmp_path: Path
) -> None:
    row = CORPORATE_OPEN | {"reference": "CF-2026-000041", "received_on": "2026-11-02"}
    import_cases(admin_ctx, write_csv_file(tmp_path / "r.csv", row), by="admin")
    assert log_case("corporate", date(2026, 11, 3)).reference == "CF-2026-000042"


def test_only_an_administrator_imports(admin_ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(DomainError, match="an officer cannot import cases"):
        import_cases(admin_ctx, write_csv_file(tmp_path / "a.csv", COMPLIMENT), by="off")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("reference,feedback_type,procedure,state,received_on,summary,hue\n", "columns hue"),
        ("reference,feedback_type\n", "required columns missing: procedure, state"),
        ("reference,reference,feedback_type,procedure,state,received_on,summary\n", "given twice"),
        ("reference,feedback_type,procedure,state,received_on,summary\n", "no cases"),
    ],
)  # fmt: skip
def test_a_file_with_wrong_headings_is_refused(
    admin_ctx: Context, tmp_path: Path, content: str, message: str
) -> None:
    file = tmp_path / "h.csv"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(DomainError, match=message):
        import_cases(admin_ctx, file, by="admin")


def test_a_file_that_is_not_utf8_or_not_a_spreadsheet_is_refused(
    admin_ctx: Context, tmp_path: Path
) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("reference,summary\nX,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(DomainError, match="not UTF-8 text"):
        import_cases(admin_ctx, latin, by="admin")
    text = tmp_path / "cases.txt"
    text.write_text("reference\n", encoding="utf-8")
    with pytest.raises(DomainError, match=r"not a \.csv or \.xlsx file"):
        import_cases(admin_ctx, text, by="admin")
    with pytest.raises(DomainError, match="there is no file"):
        import_cases(admin_ctx, tmp_path / "missing.csv", by="admin")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(DomainError, match="not a readable XLSX workbook"):
        import_cases(admin_ctx, broken, by="admin")


def test_a_workbook_imports_like_a_csv_file(admin_ctx: Context, tmp_path: Path) -> None:
    rows = [
        {name: row.get(name, "") for name in COLUMN_NAMES} for row in (STATUTORY_CLOSED, COMPLIMENT)
    ]
    workbook = tmp_path / "old.xlsx"
    write_xlsx(rows, workbook)

    result = import_cases(admin_ctx, workbook, by="admin")

    assert result.created == ("OLD-0001", "OLD-0003")
    assert case_named(admin_ctx, "OLD-0001").closed_on == date(2023, 8, 30)


def test_a_trial_run_checks_everything_and_writes_nothing(
    admin_ctx: Context, tmp_path: Path
) -> None:
    file = write_csv_file(tmp_path / "old.csv", STATUTORY_CLOSED, COMPLIMENT)
    before = audit_count(admin_ctx)
    result = import_cases(admin_ctx, file, by="admin", trial=True)
    assert (result.trial, result.created) == (True, ("OLD-0001", "OLD-0003"))
    assert audit_count(admin_ctx) == before
    with admin_ctx.database.reader() as session:
        assert session.exec(select(FeedbackCase)).all() == []


def test_the_import_and_export_page_documents_every_column() -> None:
    page = (Path(__file__).parents[2] / "docs" / "import-export.md").read_text(encoding="utf-8")
    for column in COLUMN_NAMES:
        generic = re.sub(r"^stage[123]_", "stageN_", column)
        assert f"| `{generic}` |" in page or f"| `{column}` |" in page, column


def workbook_with(tmp_path: Path, extra: dict[str, int] | None = None) -> Path:
    """A real workbook of two cases, with `extra` parts of that many zero bytes added."""
    rows = [
        {name: row.get(name, "") for name in COLUMN_NAMES} for row in (STATUTORY_CLOSED, COMPLIMENT)
    ]
    path = tmp_path / "old.xlsx"
    write_xlsx(rows, path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, size in (extra or {}).items():
            with archive.open(name, "w", force_zip64=True) as part:
                for _ in range(size // 1_000_000):
                    part.write(bytes(1_000_000))
    return path


def refused_and_unchanged(ctx: Context, path: Path, message: str) -> None:
    before = audit_count(ctx)
    with pytest.raises(DomainError, match=message) as refusal:
        import_cases(ctx, path, by="admin")
    assert "nothing was imported" in str(refusal.value)
    assert audit_count(ctx) == before
    with ctx.database.reader() as session:
        assert session.exec(select(FeedbackCase)).all() == []


def test_a_workbook_that_unpacks_to_a_thousand_times_its_size_is_refused_unopened(
    admin_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = workbook_with(tmp_path, {"xl/media/padding.bin": 50_000_000})
    assert bomb.stat().st_size < 1_000_000
    opened: list[Path] = []
    real = openpyxl.load_workbook

    def load_workbook(path: Path, **options: Any) -> Any:
        opened.append(path)
        return real(path, **options)

    monkeypatch.setattr(openpyxl, "load_workbook", load_workbook)

    refused_and_unchanged(
        admin_ctx, bomb, r"old\.xlsx is refused .*unpack to [\d,]+ times its size, more than "
        r"the 100 times a spreadsheet does \(it may be a zip bomb\)"
    )  # fmt: skip
    assert opened == []


def test_a_workbook_over_the_unpacked_limit_is_refused_naming_the_limit(
    admin_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_UNPACKED_BYTES", 2 * 1024 * 1024)
    monkeypatch.setattr(files, "MAX_PACKING_RATIO", 10_000)
    big = workbook_with(tmp_path, {"xl/media/padding.bin": 3_000_000})

    refused_and_unchanged(admin_ctx, big, r"unpacked it would be 3 MB, more than the 2 MB allowed")


def test_a_workbook_of_too_many_parts_is_refused(
    admin_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_WORKBOOK_PARTS", 5)
    refused_and_unchanged(
        admin_ctx, workbook_with(tmp_path), r"it holds 9 files, more than the 5 a workbook may have"
    )
