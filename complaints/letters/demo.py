"""Demo values for a representative case of each procedure, shaped exactly like
`letter_values`': a council's own wording of a template is rendered with each before it is
saved, so a value it uses but letters lack, or a part that cannot render, is found then and
not when a complainant is waiting for the letter."""

from __future__ import annotations

from datetime import date
from typing import Any

from complaints.config import Settings
from complaints.deadlines import timescale_words
from complaints.letters.context import (
    CHILD_FINDING_WORDS,
    LGSCO,
    council_values,
    stage_rules,
    written_parts,
)
from complaints.letters.narrative import narrative_html
from complaints.models import Outcome
from workflows import WORKFLOWS

# A complaint received on Monday 2 November 2026, answered and taken further in good time.
DEMO_PROCEDURES = tuple(WORKFLOWS)
_DAY = date(2026, 11, 2)


def demo_values(settings: Settings, procedure: str, *, child: bool) -> dict[str, Any]:
    """Every value a letter can use, for a made-up case of `procedure` (to a child or not)."""
    return {
        "council": council_values(settings.council),
        "today": date(2026, 11, 16),
        "reference": "CF-2026-000001",
        "procedure": procedure,
        "stage": 1,
        "timescales": timescale_words(settings, procedure),
        "recipient": {"name": "Ava Smith", "address": ["1 High Street", "Anytown", "AB1 2CD"]},
        "is_child": child,
        "advocate_name": "Sam Advocate" if child else None,
        "summary": "Missed visits and calls not returned",
        "received_on": _DAY,
        "reply_by": date(2026, 11, 30),
        "ask_by": date(2026, 12, 14),
        "points": [
            _point(
                1,
                "The social worker missed two visits",
                Outcome.UPHELD,
                "The visits on 5 and 12 October did not happen; nobody told the family why.",
                "We will arrange the visits for the rest of the year before the end of November.",
            ),
            _point(
                2,
                "Nobody returned my calls",
                Outcome.NOT_UPHELD,
                "Our call records show each call returned within two working days.",
                "",
            ),
        ],
        "remedies": ["an apology", "a payment of £250 (for the distress caused)"],
        **written_parts(
            {
                "opening": "Thank you for talking with us on 10 November.",
                "about": "- The social worker missed two visits\n- Nobody returned my calls",
                "remedies_text": "- An apology.\n- A payment of £250 by 30 November.",
                "closing": "Please call us if anything in this letter is unclear.",
            }
        ),
        "any_upheld": True,
        "lgsco": LGSCO,
        "extension": {
            "step": "stage1_response",
            "stage": 1,
            "previous_due_on": date(2026, 11, 16),
            "new_due_on": date(2026, 11, 30),
            "working_days": 10,
            "reason": "we need to speak to two more members of staff",
            "complainant_agreed": any(
                deadline.complainant_must_agree for deadline in WORKFLOWS[procedure].deadlines
            ),
        },
        "information_request": {
            "information": "the dates of the visits that were missed",
            "reply_by": date(2026, 11, 23),
        },
        "redirected_to": "the school's governing body",
        "panel_by": date(2026, 12, 30),
        **stage_rules(settings, WORKFLOWS[procedure], 1),
    }


def _point(
    number: int, description: str, outcome: Outcome, found: str, will_do: str
) -> dict[str, Any]:
    """A demo complaint point shaped like `letter_values`' points."""
    return {
        "number": number,
        "description": description,
        "label": description,
        "finding": outcome.value.replace("_", " "),
        "finding_for_child": CHILD_FINDING_WORDS[outcome],
        "upheld": outcome is Outcome.UPHELD,
        "told_us_html": narrative_html(description),
        "found_html": narrative_html(found),
        "will_do_html": narrative_html(will_do),
    }
