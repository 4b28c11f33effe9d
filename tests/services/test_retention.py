"""The retention policy: closed cases past the period lose their personal data and keep their
figures; open cases and recent ones are never touched; a subject access export finds a person."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from sqlmodel import select

from complaints.cli import cli
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError
from complaints.models import Attachment, AuditEvent, FeedbackCase, Letter
from complaints.services.retention import retention_cutoff, run_retention, subject_access
from tests.support import LogCase, audit_count, figures, fire, ready_for_response, send_response

OLD = date(2019, 3, 4)
TODAY = date(2026, 11, 23)


def closed_case(ctx: Context, log_case: LogCase, clock: SettableClock, received: date) -> str:
    """A corporate complaint answered with a sent letter and closed, with the clock left today."""
    reference = log_case(
        "corporate", received, complainant_name="Priya Shah", summary="My bins, 12 Elm Road"
    ).reference
    ready_for_response(
        ctx,
        reference,
        points={"Bins missed outside 12 Elm Road": "upheld"},
        investigator="off",
        notes="The crew missed 12 Elm Road twice",
        signed_off=True,
    )
    send_response(ctx, reference, writer="off", sender="off")
    fire(ctx, reference, "close", by="off")
    clock.set(TODAY)
    return reference


def case_named(ctx: Context, reference: str) -> FeedbackCase:
    with ctx.database.reader() as session:
        return session.exec(select(FeedbackCase).where(FeedbackCase.reference == reference)).one()


@pytest.fixture
def old_case(council: Context, log_case: LogCase, clock: SettableClock) -> str:
    return closed_case(council, log_case, clock, OLD)


def test_a_case_closed_over_six_years_ago_loses_its_personal_data_and_keeps_its_figures(
    council: Context, old_case: str
) -> None:
    before = figures(council)
    with council.database.engine.begin() as connection:
        connection.execute(
            sa.insert(Attachment.__table__),  # type: ignore[attr-defined]
            {
                "case_id": case_named(council, old_case).id,
                "filename": "priya-shah-photo.jpg",
                "content_type": "image/jpeg",
                "size_bytes": 3,
                "sha256": "0" * 64,
                "content": b"jpg",
                "created_at": council.clock.now(),
            },
        )

    result = run_retention(council, by="admin")

    assert result.anonymised == (old_case,)
    assert result.closed_on_or_before == date(2020, 11, 23)
    case = case_named(council, old_case)
    assert (case.complainant_name, case.summary, case.anonymised_on) == (
        "Anonymised", "Removed under the retention policy", TODAY
    )  # fmt: skip
    with council.database.reader() as session:
        letter = session.exec(select(Letter).where(Letter.case_id == case.id)).one()
        attachment = session.exec(select(Attachment)).one()
        events = session.exec(select(AuditEvent).where(AuditEvent.case_id == case.id)).all()
    assert (letter.html, letter.pdf, letter.recipient_name, letter.status) == (
        None, None, "Anonymised", "sent"
    )  # fmt: skip
    assert letter.sha256 is not None and letter.redacted_on == TODAY
    assert (attachment.content, attachment.filename) == (None, "removed")
    stored = json.dumps([[e.summary, e.before, e.after] for e in events[:-1]])
    assert "Priya" not in stored and "Elm Road" not in stored
    assert events[-1].action == "anonymise"
    assert figures(council) == before


def test_no_personal_data_is_left_anywhere_in_the_database(council: Context, old_case: str) -> None:
    run_retention(council, by="admin")
    with council.database.engine.connect() as connection:
        for table in sa.inspect(connection).get_table_names():
            rows = connection.execute(sa.text(f"SELECT * FROM {table}")).all()
            text = repr(rows)
            assert "Priya" not in text and "Elm Road" not in text, table


def test_open_and_recent_cases_are_never_touched(
    council: Context, log_case: LogCase, clock: SettableClock, old_case: str
) -> None:
    recent = closed_case(council, log_case, clock, date(2024, 6, 3))
    still_open = log_case("corporate", date(2019, 1, 7), complainant_name="Open Case").reference
    clock.set(TODAY)

    result = run_retention(council, by="admin")

    assert result.anonymised == (old_case,)
    assert case_named(council, recent).complainant_name == "Priya Shah"
    assert case_named(council, still_open).complainant_name == "Open Case"


def test_a_second_run_finds_nothing_more_to_do(council: Context, old_case: str) -> None:
    run_retention(council, by="admin")
    version = case_named(council, old_case).version
    assert run_retention(council, by="admin").anonymised == ()
    assert case_named(council, old_case).version == version


def test_a_trial_run_lists_the_cases_and_changes_nothing(council: Context, old_case: str) -> None:
    events = audit_count(council)
    result = run_retention(council, by="admin", trial=True)
    assert result.anonymised == (old_case,) and result.trial
    assert case_named(council, old_case).complainant_name == "Priya Shah"
    assert audit_count(council) == events


def test_only_an_administrator_runs_it(council: Context, old_case: str) -> None:
    with pytest.raises(DomainError, match="a manager cannot run the retention policy"):
        run_retention(council, by="mgr")


def test_the_database_lets_a_sent_letter_change_only_by_redaction(
    council: Context, old_case: str
) -> None:
    forbidden = (
        "UPDATE letter SET html = 'rewritten'",
        "UPDATE letter SET html = NULL, pdf = NULL, recipient_address = NULL,"
        " redacted_on = '2026-11-23', sha256 = 'forged'",
        "DELETE FROM letter",
    )
    for statement in forbidden:
        with (
            pytest.raises(sa.exc.DBAPIError, match="a sent letter cannot be changed"),
            council.database.unit_of_work() as session,
        ):
            session.execute(sa.text(statement))
    run_retention(council, by="admin")
    with (
        pytest.raises(sa.exc.DBAPIError, match="a sent letter cannot be changed"),
        council.database.unit_of_work() as session,
    ):
        session.execute(sa.text("UPDATE letter SET html = 'put back'"))


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 11, 23), date(2020, 11, 23)), (date(2028, 2, 29), date(2022, 2, 28))],
)
def test_the_cutoff_is_whole_years_back(today: date, expected: date) -> None:
    assert retention_cutoff(today, 6) == expected


def test_a_subject_access_export_holds_the_persons_cases_only(
    council: Context, log_case: LogCase, clock: SettableClock, old_case: str
) -> None:
    log_case("corporate", date(2026, 11, 2), complainant_name="Someone Else")
    clock.set(TODAY)
    out = io.StringIO()

    count = subject_access(council, out, by="admin", name="priya shah")

    assert count == 1
    (case,) = json.loads(out.getvalue())["cases"]
    assert case["reference"] == old_case and case["complainant_name"] == "Priya Shah"
    assert case["complaint_point"][0]["description"] == "Bins missed outside 12 Elm Road"
    with pytest.raises(DomainError, match="give the person's name or e-mail address"):
        subject_access(council, io.StringIO(), by="admin")


def test_the_commands_run_the_policy_and_answer_a_request(
    council: Context, old_case: str, tmp_path: Path
) -> None:
    def run(*args: str) -> Result:
        return CliRunner().invoke(cli, ["retention", *args], obj={"context": council})

    trial = run("run", "--by", "admin", "--trial")
    assert trial.exit_code == 0, trial.output
    assert f"on or before 2020-11-23: would anonymise 1\n  {old_case}" in trial.output
    out = tmp_path / "request.json"
    answered = run(
        "subject-access", "--by", "admin", "--email", "nobody@example.org", "--out", str(out)
    )
    assert answered.exit_code == 0 and "0 cases written" in answered.output
    assert run("run", "--by", "admin").exit_code == 0
    assert case_named(council, old_case).complainant_name == "Anonymised"
