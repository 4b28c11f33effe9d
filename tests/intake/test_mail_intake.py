"""E-mail intake from a folder of .eml files and from an IMAP mailbox on loopback: new feedback,
replies threaded onto their case, refusals recorded with the reason, nothing recorded twice."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from complaints.cli import cli
from complaints.clock import SettableClock
from complaints.config import MailSettings
from complaints.context import Context
from complaints.errors import CaseNotFoundError, DomainError
from complaints.intake.mailboxes import FolderMailbox, ImapMailbox
from complaints.models import Attachment, AuditEvent, FeedbackCase, InboundMessage
from complaints.services.cases import fire_trigger
from complaints.services.intake import IntakeOutcome, confirm_reply, fetch_mail, recent_messages
from complaints.services.people import add_user
from complaints.services.triage import triage_case
from tests.intake.fake_imap import FakeMailbox, imap_server
from tests.support import LogCase, audit_count, version_of

TODAY = date(2026, 11, 23)


def message(
    subject: str = "Bins not collected",
    text: str | None = "Our bins have been missed three weeks running.",
    *,
    sender: str = "Priya Shah <priya@example.org>",
    message_id: str | None = "<1@example.org>",
    sent: datetime | None = datetime(2026, 11, 22, 23, 30, tzinfo=UTC),
    attachments: tuple[tuple[str, bytes], ...] = (),
    html: str | None = None,
) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "complaints@council.example.gov.uk"
    mail["Subject"] = subject
    if message_id:
        mail["Message-ID"] = message_id
    if sent:
        mail["Date"] = format_datetime(sent)
    if text is not None:
        mail.set_content(text)
    if html is not None and text is not None:
        mail.add_alternative(html, subtype="html")
    elif html is not None:
        mail.set_content(html, subtype="html")
    for name, content in attachments:
        mail.add_attachment(content, maintype="application", subtype="pdf", filename=name)
    return bytes(mail)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


@pytest.fixture
def ready(council: Context, clock: SettableClock) -> Context:
    clock.set(TODAY)
    return council


def fetch(ctx: Context, folder: Path) -> list[tuple[str, str | None, str | None]]:
    mailbox = FolderMailbox(folder, ctx.settings.mail.max_message_bytes)
    return [(o.outcome, o.reference, o.reason) for o in fetch_mail(ctx, mailbox, by="off")]


def only_case(ctx: Context) -> FeedbackCase:
    with ctx.database.reader() as session:
        return session.exec(select(FeedbackCase)).one()


def test_a_new_email_becomes_feedback_to_triage_with_its_attachment(
    ready: Context, inbox: Path
) -> None:
    (inbox / "1.eml").write_bytes(message(attachments=(("photo.pdf", b"%PDF-1.4 bins"),)))

    assert fetch(ready, inbox) == [("created", "CF-2026-000001", None)]

    case = only_case(ready)
    assert (case.state, case.procedure, case.feedback_type, case.contact_method) == (
        "received", "corporate", "complaint", "email"
    )  # fmt: skip
    assert (case.complainant_name, case.complainant_email) == ("Priya Shah", "priya@example.org")
    assert case.summary.startswith("Bins not collected\n\nOur bins have been missed")
    assert case.received_on == date(2026, 11, 22)  # the day it was sent, council time
    with ready.database.reader() as session:
        (attachment,) = session.exec(select(Attachment)).all()
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.case_id == case.id)).all()
    assert (attachment.filename, attachment.size_bytes) == ("photo.pdf", 13)
    assert attachment.sha256 == hashlib.sha256(b"%PDF-1.4 bins").hexdigest()
    assert list(actions) == ["log", "email_received"]


def test_reading_the_folder_again_records_nothing_twice(ready: Context, inbox: Path) -> None:
    (inbox / "1.eml").write_bytes(message())
    fetch(ready, inbox)
    events = audit_count(ready)

    assert fetch(ready, inbox) == [("already", None, None)]
    assert audit_count(ready) == events


def test_a_reply_quoting_the_reference_joins_its_case(ready: Context, inbox: Path) -> None:
    (inbox / "1.eml").write_bytes(message())
    fetch(ready, inbox)
    reply = message(
        "Re: your reference cf-2026-000001",
        "Here is the photo you asked for.",
        message_id="<2@example.org>",
        attachments=(("bins.pdf", b"%PDF more"),),
    )
    (inbox / "2.eml").write_bytes(reply)

    assert fetch(ready, inbox)[-1] == ("threaded", "CF-2026-000001", None)
    with ready.database.reader() as session:
        assert len(session.exec(select(FeedbackCase)).all()) == 1
        assert len(session.exec(select(Attachment)).all()) == 1


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (message(text=None, message_id="<a@x>"), "the e-mail has no text"),
        (message(sender="", message_id="<b@x>"), "the e-mail has no sender address"),
        (
            message(message_id="<c@x>", attachments=(("huge.pdf", b"x" * 2048),)),
            "the attachment huge.pdf is 2,048 bytes, more than the 1,024 allowed",
        ),
    ],
)
def test_a_message_that_cannot_be_taken_in_is_recorded_as_refused_with_why(
    ready: Context, inbox: Path, raw: bytes, reason: str
) -> None:
    limits = dataclasses.replace(ready.settings.mail, max_attachment_bytes=1024)
    ctx = Context(dataclasses.replace(ready.settings, mail=limits), ready.clock, ready.database)
    (inbox / "bad.eml").write_bytes(raw)

    assert fetch(ctx, inbox) == [("refused", None, reason)]

    with ctx.database.reader() as session:
        assert session.exec(select(FeedbackCase)).all() == []
        (recorded,) = session.exec(select(InboundMessage)).all()
    assert (recorded.outcome, recorded.refusal) == ("refused", reason)


def test_a_message_over_the_size_limit_is_refused_without_reading_it_all(
    ready: Context, inbox: Path
) -> None:
    (inbox / "big.eml").write_bytes(message(text="words " * 1000))
    mailbox = FolderMailbox(inbox, max_bytes=2000)
    (outcome,) = fetch_mail(ready, mailbox, by="off")
    assert outcome.outcome == "refused"
    assert outcome.reason is not None and "more than the" in outcome.reason


def test_an_html_only_message_is_read_as_text(ready: Context, inbox: Path) -> None:
    html = "<p>Bins <b>missed</b></p><script>alert(1)</script><p>again</p>"
    (inbox / "1.eml").write_bytes(message(text=None, html=html))
    fetch(ready, inbox)
    assert only_case(ready).summary == "Bins not collected\n\nBins missed\nagain"


def test_a_message_without_an_id_is_still_recorded_once(ready: Context, inbox: Path) -> None:
    (inbox / "1.eml").write_bytes(message(message_id=None))
    assert fetch(ready, inbox)[0][0] == "created"
    assert fetch(ready, inbox)[0][0] == "already"


def test_a_message_dated_in_the_future_is_received_today(ready: Context, inbox: Path) -> None:
    (inbox / "1.eml").write_bytes(message(sent=datetime(2027, 1, 1, tzinfo=UTC)))
    fetch(ready, inbox)
    assert only_case(ready).received_on == TODAY


def test_only_staff_who_log_feedback_take_in_mail(ready: Context, inbox: Path) -> None:
    (inbox / "1.eml").write_bytes(message())
    mailbox = FolderMailbox(inbox, ready.settings.mail.max_message_bytes)
    with pytest.raises(DomainError, match="a qa practitioner cannot take in e-mailed feedback"):
        fetch_mail(ready, mailbox, by="qa")


def test_an_imap_mailbox_is_read_and_each_message_marked_seen_once_recorded(
    ready: Context,
) -> None:
    server = FakeMailbox()
    server.add(message())
    server.add(message("Thank you", "Great service", message_id="<2@example.org>"))
    with imap_server(server) as port:
        settings = MailSettings(
            imap_host="127.0.0.1", imap_port=port, username="complaints",
            password="secret", security="none",
        )  # fmt: skip
        outcomes = fetch_mail(ready, ImapMailbox(settings), by="off")
        assert [o.outcome for o in outcomes] == ["created", "created"]
        assert server.seen == {1, 2}
        assert fetch_mail(ready, ImapMailbox(settings), by="off") == []  # nothing unseen


def test_a_large_imap_message_is_refused_from_its_headers(ready: Context) -> None:
    server = FakeMailbox()
    server.add(message(text="words " * 1000))
    with imap_server(server) as port:
        settings = MailSettings(
            imap_host="127.0.0.1", imap_port=port, password="secret", security="none",
            max_message_bytes=1000,
        )  # fmt: skip
        (outcome,) = fetch_mail(ready, ImapMailbox(settings), by="off")
    assert outcome.outcome == "refused" and outcome.message_id == "<1@example.org>"


def test_a_wrong_password_or_no_server_is_a_clear_error(ready: Context) -> None:
    with imap_server(FakeMailbox()) as port:
        wrong = MailSettings(imap_host="127.0.0.1", imap_port=port, password="x", security="none")
        with pytest.raises(DomainError, match=r"cannot read the mailbox at 127\.0\.0\.1"):
            ImapMailbox(wrong)
    with pytest.raises(DomainError, match="no mailbox is set up"):
        ImapMailbox(MailSettings())


def test_the_mail_commands(ready: Context, inbox: Path) -> None:
    (inbox / "1.eml").write_bytes(message())
    (inbox / "2.eml").write_bytes(message(text=None, message_id="<2@x>"))

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["mail", *args], obj={"context": ready})
        assert result.exit_code == 0, result.output
        return result.output

    fetched = run("fetch", "--by", "off", "--folder", str(inbox))
    assert "2 messages: 1 new cases, 0 added to cases, 1 refused" in fetched
    listed = run("list", "--refused", "--by", "off")
    assert "refused   priya@example.org  the e-mail has no text" in listed


def test_a_message_quoting_a_case_from_someone_else_is_kept_apart_for_an_officer(
    ready: Context, inbox: Path
) -> None:
    (outcome,) = quoting_reply(
        ready,
        inbox,
        "Mallory <mallory@example.net>",
        "I withdraw my complaint. See the attached letter.",
    )

    assert (outcome.outcome, outcome.reference) == ("possible_reply", "CF-2026-000002")
    with ready.database.reader() as session:
        original = session.exec(
            select(FeedbackCase).where(FeedbackCase.reference == "CF-2026-000001")
        ).one()
        on_original = session.exec(
            select(InboundMessage).where(InboundMessage.case_id == original.id)
        ).all()
        files = session.exec(select(Attachment).where(Attachment.case_id == original.id)).all()
        events = session.exec(select(AuditEvent).where(AuditEvent.case_id == original.id)).all()
        kept = session.exec(
            select(FeedbackCase).where(FeedbackCase.reference == "CF-2026-000002")
        ).one()
        (audit,) = session.exec(
            select(AuditEvent.summary).where(
                AuditEvent.case_id == kept.id, AuditEvent.action == "email_received"
            )
        ).all()
    assert [m.message_id for m in on_original] == ["<1@example.org>"]
    assert files == [] and [e.action for e in events] == ["log", "email_received"]
    assert (kept.state, kept.complainant_email) == ("received", "mallory@example.net")
    assert "I withdraw my complaint" in kept.summary  # nothing is lost
    assert "quotes CF-2026-000001 but is not from that case's contact" in audit
    assert outcome.possible_reply_to == "CF-2026-000001"


def test_the_cases_contact_is_matched_without_regard_to_capitals(
    ready: Context, inbox: Path, log_case: LogCase
) -> None:
    log_case("corporate", TODAY, complainant_email="Priya.Shah@Example.ORG")
    reply = message("Re: CF-2026-000001", "More detail.", sender="priya.shah@example.org")
    (inbox / "1.eml").write_bytes(reply)

    assert fetch(ready, inbox) == [("threaded", "CF-2026-000001", None)]


def test_a_case_with_no_e_mail_address_takes_no_reply_by_itself(
    ready: Context, inbox: Path, log_case: LogCase
) -> None:
    log_case("corporate", TODAY)  # made by phone: no address to recognise
    (inbox / "1.eml").write_bytes(message("Re: CF-2026-000001", "It's me, honest."))

    assert fetch(ready, inbox) == [("possible_reply", "CF-2026-000002", None)]


def quoting_reply(
    ready: Context,
    inbox: Path,
    sender: str = "Raj Shah <raj@example.org>",
    text: str = "My wife asked me to send the photo.",
) -> list[IntakeOutcome]:
    """CF-2026-000001 from Priya, then a message with a file quoting it from `sender`; returns
    what became of the second."""
    (inbox / "1.eml").write_bytes(message())
    fetch(ready, inbox)
    reply = message(
        "Re: CF-2026-000001",
        text,
        sender=sender,
        message_id="<2@example.org>",
        attachments=(("photo.pdf", b"%PDF photo"),),
    )
    (inbox / "2.eml").write_bytes(reply)
    return fetch_mail(ready, FolderMailbox(inbox, 10**6), by="off")[1:]


def planted_reply(ready: Context, inbox: Path) -> int:
    """A possible reply to CF-2026-000001 from Priya's husband (CF-2026-000002); its number."""
    quoting_reply(ready, inbox)
    with ready.database.reader() as session:
        found = session.exec(
            select(InboundMessage.id).where(InboundMessage.message_id == "<2@example.org>")
        ).one()
    assert found is not None
    return found


def test_an_officer_confirms_a_possible_reply_onto_the_case_it_quoted(
    ready: Context, inbox: Path
) -> None:
    number = planted_reply(ready, inbox)

    assert confirm_reply(ready, number, by="off") == "CF-2026-000001"

    with ready.database.reader() as session:
        original, logged_as = session.exec(
            select(FeedbackCase).order_by(FeedbackCase.reference)  # type: ignore[arg-type]
        ).all()
        moved = session.get(InboundMessage, number)
        (photo,) = session.exec(select(Attachment)).all()
        confirmed = session.exec(
            select(AuditEvent.summary).where(
                AuditEvent.case_id == original.id, AuditEvent.action == "email_confirmed"
            )
        ).one()
    assert moved is not None and (moved.case_id, moved.outcome) == (original.id, "confirmed")
    assert photo.case_id == original.id
    assert logged_as.state == "withdrawn"  # it was never feedback of its own
    assert "raj@example.org confirmed as a reply by Olive Officer" in confirmed
    assert "CF-2026-000002" in confirmed


def test_confirming_what_is_no_possible_reply_is_refused_and_changes_nothing(
    ready: Context, inbox: Path
) -> None:
    number = planted_reply(ready, inbox)
    first = number - 1
    events = audit_count(ready)

    with pytest.raises(DomainError, match=f"e-mail {first} is not waiting to be confirmed"):
        confirm_reply(ready, first, by="off")
    with pytest.raises(DomainError, match="there is no e-mail number 99"):
        confirm_reply(ready, 99, by="off")
    with pytest.raises(DomainError, match="a qa practitioner cannot confirm an e-mail"):
        confirm_reply(ready, number, by="qa")
    confirm_reply(ready, number, by="off")
    with pytest.raises(DomainError, match="confirmed as a reply already"):
        confirm_reply(ready, number, by="off")
    assert audit_count(ready) == events + 2  # the withdrawal and the confirmation only


def test_feedback_already_taken_on_as_its_own_is_not_confirmed_as_a_reply(
    ready: Context, inbox: Path
) -> None:
    number = planted_reply(ready, inbox)
    fire_trigger(
        ready,
        "CF-2026-000002",
        "acknowledge",
        by="off",
        expected_version=version_of(ready, "CF-2026-000002"),
    )
    events = audit_count(ready)

    with pytest.raises(DomainError, match="CF-2026-000002 has been dealt with as feedback"):
        confirm_reply(ready, number, by="off")
    assert audit_count(ready) == events


def test_possible_replies_are_listed_and_confirmed_from_the_command_line(
    ready: Context, inbox: Path
) -> None:
    number = planted_reply(ready, inbox)

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["mail", *args], obj={"context": ready})
        assert result.exit_code == 0, result.output
        return result.output

    listed = run("list", "--possible-replies", "--by", "off")
    assert f"{number}  " in listed
    assert "raj@example.org  CF-2026-000002 (possible reply to CF-2026-000001)" in listed
    assert (
        run("confirm", str(number), "--by", "off") == f"E-mail {number} added to CF-2026-000001.\n"
    )
    assert "raj@example.org" not in run("list", "--possible-replies", "--by", "off")


def test_only_someone_who_may_see_the_case_confirms_a_reply_onto_it(
    ready: Context, inbox: Path
) -> None:
    number = planted_reply(ready, inbox)
    triage_case(
        ready,
        "CF-2026-000001",
        by="off",
        team="Highways",
        expected_version=version_of(ready, "CF-2026-000001"),
    )
    add_user(ready, "waste", role="officer", full_name="Wes Waste", team="Waste and Recycling")
    events = audit_count(ready)

    # Neither the case quoted nor the feedback the e-mail was logged as is theirs to see: they
    # are not found, as a case that does not exist is not.
    with pytest.raises(CaseNotFoundError, match="there is no case with reference"):
        confirm_reply(ready, number, by="waste")
    assert recent_messages(ready, by="waste") == []  # nor the e-mail, nor the one refused
    assert audit_count(ready) == events
