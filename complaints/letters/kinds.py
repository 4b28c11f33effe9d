"""Kinds of letter the rules treat apart: the responses, which answer a complaint and are signed
off by a second person before they are sent, and the letters that tell the complainant about a
step, which cannot be written until that step is recorded."""

from __future__ import annotations

# Letters that give a finding on every complaint point.
RESPONSES = frozenset(
    {
        "stage1_response",
        "stage2_response",
        "adjudication",
        "adult_response",
        "panel_response",
    }
)
# Letters that tell the complainant about a step, which must be recorded before they are written:
# the letter's value that the step records, and what to do first.
NEEDS = {
    "extension_notice": (
        "extension",
        "the case has no extension to tell the complainant about; record it first (extend)",
    ),
    "request_information": (
        "information_request",
        "record what the complainant is asked for first (request_information)",
    ),
    "redirection": (
        "redirected_to",
        "record where the matter belongs first (redirect)",
    ),
    "panel_arrangements": (
        "panel_by",
        "the complainant has not asked for a review panel yet (request_review)",
    ),
}
