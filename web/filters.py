"""Jinja filters the pages share: dates as people read them, vocabulary words, state tags."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask
from markupsafe import Markup

from complaints.dates import long_date
from complaints.deadlines import step_label

# GOV.UK tag colours for where a case is: new, being worked, waiting for sign-off, answered...
_TAG_COLOURS = (
    ("withdrawn", "govuk-tag--grey"),
    ("closed", "govuk-tag--grey"),
    ("redirected", "govuk-tag--grey"),
    ("received", "govuk-tag--blue"),
    ("qa", "govuk-tag--purple"),
    ("approved", "govuk-tag--turquoise"),
    ("responded", "govuk-tag--green"),
    ("stage2", "govuk-tag--yellow"),
    ("stage3", "govuk-tag--orange"),
)


def words(value: str | None) -> str:
    """'stage1_investigating' -> 'Stage 1 investigating'."""
    if not value:
        return ""
    return step_label(value)


def state_tag(state: str) -> str:
    """The GOV.UK tag class for a case in `state`."""
    for key, colour in _TAG_COLOURS:
        if key in state:
            return colour
    return "govuk-tag--light-blue"


def short_date(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else ""


def days_text(working_days: int | None) -> str:
    """Working days left (positive) or late (negative), as a sentence fragment."""
    if working_days is None:
        return ""
    if working_days == 0:
        return "due today"
    count = abs(working_days)
    unit = "working day" if count == 1 else "working days"
    return f"{count} {unit} late" if working_days < 0 else f"{count} {unit} left"


def money(amount: Decimal | None) -> str:
    return f"£{amount:,.2f}" if amount is not None else ""


def register_filters(app: Flask) -> None:
    zone = ZoneInfo("Europe/London")

    def moment(value: datetime | None) -> str:
        if value is None:
            return ""
        local = value.astimezone(zone)
        return f"{local.day} {local:%b %Y %H:%M}"

    def multiline(value: str | None) -> Markup:
        """Text with its line breaks kept, escaped first."""
        escaped = Markup.escape(value or "")
        return Markup("<br>").join(escaped.split("\n"))

    app.jinja_env.filters.update(
        long_date=lambda day: long_date(day) if day else "",
        short_date=short_date,
        words=words,
        state_tag=state_tag,
        days_text=days_text,
        money=money,
        moment=moment,
        multiline=multiline,
        zip_words=lambda values: [(value, words(value)) for value in values],
        pairs=lambda values: [(value, value) for value in values],
    )
