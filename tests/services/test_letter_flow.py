"""Letters through quality assurance: four eyes, sent only when approved, the step taken with
the sending, what was sent stored with its digest and never changed."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError
from complaints.models import Letter
from complaints.services.cases import fire_trigger, show_case
from complaints.services.letters import (
    approve_letter,
    draft_letter,
    list_letters,
    return_letter,
    send_letter,
    submit_letter,
)
from complaints.services.points import add_complaint_point
from tests.support import LogCase, audit_count, version_of


def test_a_response_goes_through_four_eyes_and_sending_takes_the_step(
    council: Context, clock: SettableClock, ready: str
) -> None:
    clock.set(date(2026, 11, 12))
    drafted = draft_letter(
        council, ready, "stage1_response", by="qa", expected_version=version_of(council, ready)
    )
    with pytest.raises(DomainError, match="must be approved in quality assurance first"):
        send_letter(
            council, ready, drafted.id, by="off", expected_version=version_of(council, ready)
        )
    submit_letter(council, ready, drafted.id, by="qa", expected_version=version_of(council, ready))
    returned = return_letter(
        council,
        ready,
        drafted.id,
        by="mgr",
        comments="Say sorry more clearly",
        expected_version=version_of(council, ready),
    )
    assert (returned.status, returned.qa_comments) == ("returned", "Say sorry more clearly")
    submit_letter(council, ready, drafted.id, by="qa", expected_version=version_of(council, ready))
    approved = approve_letter(
        council, ready, drafted.id, by="mgr", expected_version=version_of(council, ready)
    )
    assert (approved.status, approved.approver) == ("approved", "mgr")
    case = send_letter(
        council, ready, drafted.id, by="off", expected_version=version_of(council, ready)
    )
    assert case.state == "stage1_responded"
    assert [d.status for d in case.deadlines if d.name == "stage1_response"] == ["stopped"]
    (sent,) = list_letters(council, ready, by="admin")
    assert (sent.status, sent.sent_on) == ("sent", date(2026, 11, 12))
    with council.database.reader() as session:
        stored = session.exec(select(Letter)).one()
    assert stored.html is not None and stored.pdf is not None and stored.pdf.startswith(b"%PDF")
    assert stored.sha256 == hashlib.sha256(stored.html.encode() + b"\0" + stored.pdf).hexdigest()


def test_the_author_cannot_approve_their_own_letter(council: Context, ready: str) -> None:
    drafted = draft_letter(
        council, ready, "stage1_response", by="mgr", expected_version=version_of(council, ready)
    )
    submit_letter(council, ready, drafted.id, by="mgr", expected_version=version_of(council, ready))
    audits = audit_count(council)
    with pytest.raises(DomainError, match="cannot also sign it off"):
        approve_letter(
            council, ready, drafted.id, by="mgr", expected_version=version_of(council, ready)
        )
    assert audit_count(council) == audits


def test_a_sent_letter_cannot_be_changed_by_the_service_or_the_database(
    council: Context, ready: str
) -> None:
    drafted = draft_letter(
        council, ready, "stage1_response", by="qa", expected_version=version_of(council, ready)
    )
    submit_letter(council, ready, drafted.id, by="qa", expected_version=version_of(council, ready))
    approve_letter(
        council, ready, drafted.id, by="mgr", expected_version=version_of(council, ready)
    )
    send_letter(council, ready, drafted.id, by="off", expected_version=version_of(council, ready))
    with pytest.raises(DomainError, match="letter 1 is sent; this can be done only when it is"):
        submit_letter(
            council, ready, drafted.id, by="qa", expected_version=version_of(council, ready)
        )
    for statement in (
        "UPDATE letter SET html = 'rewritten' WHERE id = :id",
        "DELETE FROM letter WHERE id = :id",
    ):
        with (
            pytest.raises(sa.exc.DBAPIError, match="a sent letter cannot be changed"),
            council.database.unit_of_work() as session,
        ):
            session.execute(sa.text(statement), {"id": drafted.id})
    correction = draft_letter(
        council,
        ready,
        "stage1_response",
        by="off",
        corrects=drafted.id,
        expected_version=version_of(council, ready),
    )
    assert correction.corrects_letter_id == drafted.id


def test_an_acknowledgement_is_sent_from_the_draft_and_acknowledges_the_case(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    drafted = draft_letter(
        council,
        reference,
        "acknowledgement",
        by="off",
        expected_version=version_of(council, reference),
    )
    case = send_letter(
        council, reference, drafted.id, by="off", expected_version=version_of(council, reference)
    )
    assert case.state == "stage1_investigating"
    assert show_case(council, reference, by="admin").version == case.version


def test_a_postal_letter_needs_an_address(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2), contact_method="post").reference
    with pytest.raises(DomainError, match="needs the complainant's address"):
        draft_letter(
            council,
            reference,
            "acknowledgement",
            by="off",
            expected_version=version_of(council, reference),
        )


def test_the_letter_commands(council: Context, ready: str) -> None:
    from click.testing import CliRunner

    from complaints.cli import cli

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, list(args), obj={"context": council})
        assert result.exit_code == 0, result.output
        return result.stdout

    def at() -> tuple[str, str]:
        return ("--expected-version", str(version_of(council, ready)))

    assert (
        run("letter", "draft", ready, "stage1_response", "--by", "qa", *at())
        == "Letter 1 (stage1_response) drafted. The case is now at version 7.\n"
    )
    run("letter", "submit", ready, "1", "--by", "qa", *at())
    run("letter", "approve", ready, "1", "--by", "mgr", *at())
    assert "is now stage1_responded" in run("letter", "send", ready, "1", "--by", "off", *at())
    assert "sent 2026-11-03 sha256" in run("letter", "list", ready, "--by", "off")


def test_a_letter_about_a_recorded_step_follows_it_and_does_not_take_it_again(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    fire_trigger(
        council, reference, "acknowledge", by="off", expected_version=version_of(council, reference)
    )
    extension = {"working_days": "5", "reason": "a witness is on leave"}
    fire_trigger(
        council,
        reference,
        "extend",
        by="mgr",
        values=extension,
        expected_version=version_of(council, reference),
    )
    before = show_case(council, reference, by="admin")
    drafted = draft_letter(
        council,
        reference,
        "extension_notice",
        by="off",
        expected_version=version_of(council, reference),
    )
    after = send_letter(
        council, reference, drafted.id, by="off", expected_version=version_of(council, reference)
    )
    assert after.state == before.state == "stage1_investigating"
    assert [d.due_on for d in after.deadlines] == [d.due_on for d in before.deadlines]
    assert list_letters(council, reference, by="admin")[0].status == "sent"


@pytest.mark.parametrize("contact_method", ["post", "email"])
def test_bad_input_is_refused_and_nothing_is_stored(
    council: Context, log_case: LogCase, contact_method: str
) -> None:
    """A response with a point lacking a finding, a postal letter without an address, a letter
    there is no template for: refused with the reason, no letter and no audit event."""
    reference = log_case("corporate", date(2026, 11, 2), contact_method=contact_method).reference
    fire_trigger(
        council, reference, "acknowledge", by="off", expected_version=version_of(council, reference)
    )
    add_complaint_point(
        council, reference, "Bins missed", by="off", expected_version=version_of(council, reference)
    )
    audits = audit_count(council)
    with pytest.raises(DomainError, match="no finding yet on point 1"):
        draft_letter(
            council,
            reference,
            "stage1_response",
            by="off",
            expected_version=version_of(council, reference),
        )
    with pytest.raises(DomainError, match="there is no letter called 'poem'"):
        draft_letter(
            council, reference, "poem", by="off", expected_version=version_of(council, reference)
        )
    if contact_method == "post":
        with pytest.raises(DomainError, match="a postal letter needs the complainant's address"):
            draft_letter(
                council,
                reference,
                "lgsco_signposting",
                by="off",
                expected_version=version_of(council, reference),
            )
    assert list_letters(council, reference, by="admin") == [] and audit_count(council) == audits
