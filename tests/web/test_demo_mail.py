"""The demo's mail sink: what the product sends during `make run` lands as .eml files."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from complaints.config import Settings
from complaints.mail.mailer import SmtpMailer
from web.demo_mail import start_demo_mail


def test_messages_sent_during_the_demo_are_written_to_a_folder(
    shipped_settings: Settings, tmp_path: Path
) -> None:
    settings, sink = start_demo_mail(shipped_settings, tmp_path / "mail")
    try:
        message = EmailMessage()
        message["From"] = settings.smtp.sender
        message["To"] = "officer@example.gov.uk"
        message["Subject"] = "A step you own is overdue"
        message.set_content("CF-2026-000001: stage 1 response overdue")
        SmtpMailer(settings.smtp).send(message)
    finally:
        sink.stop()

    (written,) = sorted((tmp_path / "mail").glob("*.eml"))
    received = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert received["Subject"] == "A step you own is overdue"
    assert (settings.smtp.host, settings.smtp.security) == ("127.0.0.1", "none")
    assert settings.smtp.port != shipped_settings.smtp.port
