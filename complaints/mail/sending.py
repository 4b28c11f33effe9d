"""What every queued e-mail shares, alerts to staff and e-mail to complainants alike: the message
from the council's sender address, the retries of a failed send, and the report of a round of
sending.

A failed send is tried again in 1, 2, 4, 8... minutes (an hour at most), up to
`[alerts] max_send_attempts`; then it is given up.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from email.message import EmailMessage

from complaints.context import Context
from complaints.models import DeliveryStatus

FIRST_RETRY = timedelta(minutes=1)
# Retries wait twice as long each time, up to an hour: with the default 12 attempts a message
# outlives a mail server down for six hours (1 + 2 + ... + 32 minutes, then hourly).
LONGEST_WAIT = timedelta(hours=1)


@dataclass(frozen=True)
class SendReport:
    """How many messages were sent, failed (to be retried) or given up, and why each failed."""

    sent: int = 0
    failed: int = 0
    gave_up: int = 0
    errors: tuple[str, ...] = ()  # one line a failed message: what it was about, and why

    def one_sent(self) -> SendReport:
        return replace(self, sent=self.sent + 1)

    def one_failed(self, about: str, error: Exception, gave_up: int) -> SendReport:
        return replace(
            self,
            failed=self.failed + 1,
            gave_up=self.gave_up + gave_up,
            errors=(*self.errors, f"{about}: {error}"),
        )


def plain_message(ctx: Context, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text e-mail from the council's sender address."""
    message = EmailMessage()
    message["From"] = ctx.settings.smtp.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def failed_attempt(ctx: Context, attempts: int, error: Exception) -> dict[str, object]:
    """The columns a failed send sets on a queued message (an alert delivery or an e-mail to a
    complainant): one more attempt, the next in 1, 2, 4, 8... minutes (an hour at most), or
    given up after `[alerts] max_send_attempts`."""
    attempts += 1
    final = attempts >= ctx.settings.alerts.max_send_attempts
    return {
        "attempts": attempts,
        "status": (DeliveryStatus.GAVE_UP if final else DeliveryStatus.PENDING).value,
        "next_attempt_at": ctx.clock.now() + min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT),
        "last_error": str(error)[:2000],
    }
