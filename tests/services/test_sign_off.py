"""Sign-off that means something: four eyes on every path (letter screens, the workflow's own
step, the command line), a response step taken only by sending the approved letter (or recorded
by a manager with a copy), and what was approved is exactly what is sent: a change to the case
that would change the letter withdraws the approval, saying why."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlmodel import select

from complaints.cli import cli
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError
from complaints.models import AuditEvent, Letter
from complaints.services.cases import fire_trigger, show_case
from complaints.services.letters import (
    approve_letter,
    draft_letter,
    list_letters,
    record_sent_outside,
    send_letter,
    submit_letter,
)
from complaints.services.people import add_user
from complaints.services.points import add_remedy, record_finding
from tests.support import audit_count, sign_off_draft, version_of

PDF_COPY = b"%PDF-1.4\n% the response as posted\n%%EOF\n"


@pytest.fixture
def drafted(council: Context, found: str) -> str:
    """A statutory complaint at stage 1 whose one point is upheld, its draft not yet forward;
    and a second manager, 'mgr2'."""
    add_user(council, "mgr2", role="manager", full_name="Max Manager")
    return found


def _approved_letter(council: Context, reference: str) -> int:
    letter = draft_letter(
        council,
        reference,
        "stage1_response",
        by="qa",
        expected_version=version_of(council, reference),
    )
    submit_letter(
        council, reference, letter.id, by="qa", expected_version=version_of(council, reference)
    )
    approve_letter(
        council, reference, letter.id, by="mgr", expected_version=version_of(council, reference)
    )
    return letter.id


def test_a_manager_who_put_the_draft_forward_cannot_sign_it_off_on_the_workflow(
    council: Context, drafted: str
) -> None:
    fire_trigger(
        council, drafted, "submit_draft", by="mgr", expected_version=version_of(council, drafted)
    )
    events = audit_count(council)
    with pytest.raises(DomainError, match="cannot also sign it off"):
        fire_trigger(
            council, drafted, "approve", by="mgr", expected_version=version_of(council, drafted)
        )
    assert audit_count(council) == events
    assert (
        fire_trigger(
            council, drafted, "approve", by="mgr2", expected_version=version_of(council, drafted)
        ).state
        == "stage1_approved"
    )


def test_whoever_wrote_the_response_letter_cannot_approve_the_draft_on_the_workflow(
    council: Context, drafted: str
) -> None:
    letter = draft_letter(
        council, drafted, "stage1_response", by="mgr", expected_version=version_of(council, drafted)
    )
    submit_letter(
        council, drafted, letter.id, by="mgr", expected_version=version_of(council, drafted)
    )
    fire_trigger(
        council, drafted, "submit_draft", by="qa", expected_version=version_of(council, drafted)
    )
    with pytest.raises(DomainError, match="cannot also sign it off"):
        fire_trigger(
            council, drafted, "approve", by="mgr", expected_version=version_of(council, drafted)
        )


def test_whoever_put_a_letter_forward_cannot_approve_it(council: Context, drafted: str) -> None:
    letter = draft_letter(
        council, drafted, "stage1_response", by="qa", expected_version=version_of(council, drafted)
    )
    submit_letter(
        council, drafted, letter.id, by="mgr", expected_version=version_of(council, drafted)
    )  # put forward by a manager
    events = audit_count(council)
    with pytest.raises(DomainError, match="cannot also sign it off"):
        approve_letter(
            council, drafted, letter.id, by="mgr", expected_version=version_of(council, drafted)
        )
    assert audit_count(council) == events
    assert (
        approve_letter(
            council, drafted, letter.id, by="mgr2", expected_version=version_of(council, drafted)
        ).status
        == "approved"
    )


def test_four_eyes_hold_on_the_command_line(council: Context, drafted: str) -> None:
    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, list(args), obj={"context": council})
        return result.exit_code, result.stdout + result.stderr

    def at() -> tuple[str, str]:
        return ("--expected-version", str(version_of(council, drafted)))

    assert run("case", "fire", drafted, "submit_draft", "--by", "mgr", *at())[0] == 0
    code, said = run("case", "fire", drafted, "approve", "--by", "mgr", *at())
    assert code == 1 and "cannot also sign it off" in said


@pytest.mark.parametrize("trigger", ["send_response"])
def test_a_response_step_cannot_be_taken_without_sending_its_letter(
    council: Context, drafted: str, trigger: str
) -> None:
    sign_off_draft(council, drafted)
    events = audit_count(council)
    with pytest.raises(DomainError, match="is done by sending the signed-off stage1 response"):
        fire_trigger(
            council, drafted, trigger, by="off", expected_version=version_of(council, drafted)
        )
    assert audit_count(council) == events
    assert show_case(council, drafted, by="admin").state == "stage1_approved"


def test_sending_the_approved_letter_takes_the_step_and_sends_what_was_approved(
    council: Context, drafted: str
) -> None:
    sign_off_draft(council, drafted)
    letter_id = _approved_letter(council, drafted)
    with council.database.reader() as session:
        approved = session.get(Letter, letter_id)
        assert approved is not None and approved.pdf is not None and approved.html is not None
        approved_html, approved_pdf, digest = approved.html, approved.pdf, approved.approved_sha256
    assert digest == hashlib.sha256(approved_html.encode() + b"\0" + approved_pdf).hexdigest()
    case = send_letter(
        council, drafted, letter_id, by="off", expected_version=version_of(council, drafted)
    )
    assert case.state == "stage1_responded"
    with council.database.reader() as session:
        sent = session.get(Letter, letter_id)
        assert sent is not None
        assert (sent.html, sent.pdf, sent.sha256) == (approved_html, approved_pdf, digest)


def test_a_finding_changed_after_approval_withdraws_it_and_nothing_is_sent(
    council: Context, drafted: str
) -> None:
    sign_off_draft(council, drafted)
    letter_id = _approved_letter(council, drafted)
    record_finding(
        council, drafted, 1, "not_upheld", by="qa", expected_version=version_of(council, drafted)
    )
    add_remedy(
        council,
        drafted,
        "financial",
        by="qa",
        amount="250",
        expected_version=version_of(council, drafted),
    )
    (letter,) = list_letters(council, drafted, by="admin")
    assert letter.status == "submitted" and letter.approved_sha256 is None
    assert letter.approval_voided_reason is not None
    assert "not upheld" in letter.approval_voided_reason
    with pytest.raises(DomainError, match="it must be approved in quality assurance first"):
        send_letter(
            council, drafted, letter_id, by="off", expected_version=version_of(council, drafted)
        )
    assert show_case(council, drafted, by="admin").state == "stage1_approved"
    with council.database.reader() as session:
        why = session.exec(
            select(AuditEvent.after).where(AuditEvent.action == "record_finding")
        ).all()[-1]
    assert why["letters_changed"][0]["approval_withdrawn"] is True
    # Signed off again, as it now reads, it is sent.
    approve_letter(
        council, drafted, letter_id, by="mgr", expected_version=version_of(council, drafted)
    )
    assert (
        send_letter(
            council, drafted, letter_id, by="off", expected_version=version_of(council, drafted)
        ).state
        == "stage1_responded"
    )


def test_a_letter_approved_on_an_earlier_day_goes_back_for_sign_off_saying_why(
    council: Context, clock: SettableClock, drafted: str
) -> None:
    sign_off_draft(council, drafted)
    letter_id = _approved_letter(council, drafted)
    clock.set(date(2026, 11, 4))
    with pytest.raises(DomainError, match="3 November 2026") as refused:
        send_letter(
            council, drafted, letter_id, by="off", expected_version=version_of(council, drafted)
        )
    assert "gone back for sign-off" in str(refused.value)
    (letter,) = list_letters(council, drafted, by="admin")
    assert letter.status == "submitted" and letter.sent_on is None
    assert show_case(council, drafted, by="admin").state == "stage1_approved"


def test_an_approver_who_read_an_older_version_is_asked_to_read_it_again(
    council: Context, drafted: str
) -> None:
    letter = draft_letter(
        council, drafted, "stage1_response", by="qa", expected_version=version_of(council, drafted)
    )
    seen = submit_letter(
        council, drafted, letter.id, by="qa", expected_version=version_of(council, drafted)
    ).html_sha256
    record_finding(
        council,
        drafted,
        1,
        "partially_upheld",
        by="qa",
        expected_version=version_of(council, drafted),
    )
    with pytest.raises(DomainError, match="read it again before approving"):
        approve_letter(
            council,
            drafted,
            letter.id,
            by="mgr",
            seen_sha256=seen,
            expected_version=version_of(council, drafted),
        )
    (now,) = list_letters(council, drafted, by="admin")
    assert now.status == "submitted" and now.html_sha256 != seen
    assert approve_letter(
        council,
        drafted,
        letter.id,
        by="mgr",
        seen_sha256=now.html_sha256,
        expected_version=version_of(council, drafted),
    )


def test_the_database_refuses_to_change_an_approved_letter(council: Context, drafted: str) -> None:
    letter_id = _approved_letter(council, drafted)
    for statement in (
        "UPDATE letter SET html = 'other words' WHERE id = :id",
        "UPDATE letter SET status = 'sent', pdf = :pdf WHERE id = :id",
    ):
        with (
            pytest.raises(sa.exc.DBAPIError, match="an approved letter cannot be changed"),
            council.database.unit_of_work() as session,
        ):
            session.execute(sa.text(statement), {"id": letter_id, "pdf": b"%PDF- other"})


def test_a_manager_records_a_response_sent_another_way_with_its_copy(
    council: Context, drafted: str
) -> None:
    sign_off_draft(council, drafted)
    events = audit_count(council)
    for by, copy, reason, refusal in (
        ("off", PDF_COPY, "Posted by hand", "an officer cannot record a response sent outside"),
        ("mgr", b"plain text, not a PDF", "Posted by hand", "must be a PDF"),
        ("mgr", b"", "Posted by hand", "attach a copy"),
        ("mgr", PDF_COPY, "  ", "why it was sent outside the product"),
    ):
        with pytest.raises(DomainError, match=refusal):
            record_sent_outside(
                council,
                drafted,
                "send_response",
                by=by,
                reason=reason,
                copy=copy,
                expected_version=version_of(council, drafted),
            )
    assert audit_count(council) == events
    case = record_sent_outside(
        council,
        drafted,
        "send_response",
        by="mgr",
        reason="Posted by hand",
        copy=PDF_COPY,
        expected_version=version_of(council, drafted),
    )
    assert case.state == "stage1_responded"
    (letter,) = list_letters(council, drafted, by="admin")
    assert (letter.status, letter.sent_outside_reason) == ("sent", "Posted by hand")
    assert letter.sha256 == hashlib.sha256(PDF_COPY).hexdigest()
    with council.database.reader() as session:
        audit = session.exec(
            select(AuditEvent.after).where(AuditEvent.action == "send_response")
        ).one()
    assert audit["sent_outside_the_product"] == "Posted by hand"
