"""Sending e-mail through the council's SMTP server (settings in config.toml [smtp])."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Protocol

from complaints.config import SmtpSettings


class Mailer(Protocol):
    """Something that hands a message to a mail server, raising if the server does not accept."""

    def send(self, message: EmailMessage) -> None: ...


class SmtpMailer:
    """Sends each message over its own SMTP connection; any refusal or failure raises."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def send(self, message: EmailMessage) -> None:
        settings = self.settings
        smtp_class = smtplib.SMTP_SSL if settings.security == "ssl" else smtplib.SMTP
        with smtp_class(settings.host, settings.port, timeout=settings.timeout_seconds) as smtp:
            if settings.security == "starttls":
                smtp.starttls()
            if settings.username:
                smtp.login(settings.username, settings.password)
            refused = smtp.send_message(message)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
