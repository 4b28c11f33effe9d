"""Kinds of letter the rules treat apart: the responses, which answer a complaint and are signed
off by a second person before they are sent; the letters that tell the complainant about a
step, which cannot be written until that step is recorded; and the parts of a letter people
write (its narrative), which each kind declares here and nowhere else."""

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

# The parts of a letter people write, each plain text or a small Markdown subset
# (`complaints.letters.narrative`). `points` is a list: for each complaint point, what the person
# told us, what we found (the reasons) and what we will do.
OPENING, ABOUT, POINTS, REMEDIES_TEXT, CLOSING = (
    "opening",
    "about",
    "points",
    "remedies_text",
    "closing",
)
TOLD_US, FOUND, WILL_DO = "told_us", "found", "will_do"
POINT_PARTS = (TOLD_US, FOUND, WILL_DO)
# A point's parts that must be written before the letter is saved again or put forward.
REQUIRED_POINT_PARTS = (TOLD_US, FOUND)
TEXT_PARTS = (OPENING, ABOUT, REMEDIES_TEXT, CLOSING)
EVERY_PART = (OPENING, ABOUT, POINTS, REMEDIES_TEXT, CLOSING)

# Letters that answer a complaint, point by point. The Complaint Handling Code's refusal to
# escalate (issue 20) is added here when its letter exists.
ANSWERING = RESPONSES | {"early_resolution"}
# Letters that tell the complainant we have their complaint, and what we understood it to be.
ACKNOWLEDGING = frozenset({"acknowledgement", "stage2_acknowledgement"})

PARTS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(sorted(ANSWERING), (OPENING, POINTS, REMEDIES_TEXT, CLOSING)),
    **dict.fromkeys(sorted(ACKNOWLEDGING), (OPENING, ABOUT, CLOSING)),
}

PART_WORDS = {
    OPENING: "the opening",
    ABOUT: "what we understood the complaint to be",
    POINTS: "the complaint points",
    REMEDIES_TEXT: "what we will do to put things right",
    CLOSING: "the closing",
}
POINT_PART_WORDS = {TOLD_US: "what you told us", FOUND: "what we found", WILL_DO: "what we will do"}


def parts_of(kind: str) -> tuple[str, ...]:
    """The parts people write in the letter `kind`, in the order the letter reads them; none for
    a letter written wholly by its template."""
    return PARTS.get(kind, ())


def point_part_key(number: int, part: str) -> str:
    """The name of one part of one point ("points.2.found"), as comments and changes name it."""
    return f"{POINTS}.{number}.{part}"


def part_keys(kind: str, point_numbers: list[int]) -> list[str]:
    """Every part of the letter `kind` a comment or a change can be about, in reading order:
    its text parts and each part of each of `point_numbers`."""
    keys: list[str] = []
    for part in parts_of(kind):
        if part == POINTS:
            keys.extend(point_part_key(n, p) for n in point_numbers for p in POINT_PARTS)
        else:
            keys.append(part)
    return keys


def part_words(key: str) -> str:
    """A part's name in words: "the opening", "point 2, what we found"."""
    if key.startswith(f"{POINTS}."):
        _, number, part = key.split(".", 2)
        return f"point {number}, {POINT_PART_WORDS.get(part, part)}"
    return PART_WORDS.get(key, key)
