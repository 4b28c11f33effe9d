"""The parts people write in a letter (its content): checked before anything is saved, prefilled
from what the case already records, and compared between revisions.

The parts each kind of letter has are declared once, in `complaints.letters.kinds`. A content
is a JSON object holding only those parts: the text parts (`opening`, `about`, `remedies_text`,
`closing`) and, for a letter that answers the complaint, `points`, one entry for each complaint
point of the case: `{"number": N, "told_us": TEXT, "found": TEXT, "will_do": TEXT}`. A part the
letter does not have, a key nobody knows, a point the case does not have or a text past
`MAX_PART_LENGTH` is refused, naming it; nothing is saved. A point's "what you told us" and
"what we found" may be empty in a fresh draft (nothing recorded to fill them from yet), but must
be written before the letter is saved again or put forward.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from markupsafe import Markup
from sqlmodel import Session

from complaints.errors import DomainError
from complaints.letters.context import remedy_words, stage_points, stage_remedies
from complaints.letters.differences import word_changes
from complaints.letters.kinds import (
    ABOUT,
    EVERY_PART,
    FOUND,
    POINT_PART_WORDS,
    POINT_PARTS,
    POINTS,
    REMEDIES_TEXT,
    REQUIRED_POINT_PARTS,
    TEXT_PARTS,
    TOLD_US,
    WILL_DO,
    part_words,
    parts_of,
    point_part_key,
)
from complaints.letters.narrative import MAX_PART_LENGTH
from complaints.models import FeedbackCase
from complaints.services.values import unstorable

Content = dict[str, Any]


def checked_content(
    kind: str, content: object, point_numbers: Sequence[int], *, complete: bool
) -> Content:
    """`content` for the letter `kind` on a case with the complaint points `point_numbers`,
    tidied (every part the kind has, in order; a part left out is empty), or refused with what
    is wrong. `complete` also asks that each point's required parts are written (a revision,
    or a letter put forward), where a fresh draft may leave them empty."""
    name = kind.replace("_", " ")
    if not isinstance(content, Mapping):
        raise DomainError(f"the content of the {name} letter must be a JSON object of its parts")
    parts = parts_of(kind)
    _check_keys(content, parts, name)
    tidied: Content = {}
    for part in parts:
        if part == POINTS:
            tidied[POINTS] = _checked_points(content.get(POINTS), point_numbers, complete)
        else:
            tidied[part] = _checked_text(content.get(part, ""), part_words(part))
    return tidied


def check_complete(
    kind: str, content: Mapping[str, Any] | None, point_numbers: Sequence[int]
) -> None:
    """Refuse a letter whose content is not ready to go forward (see `checked_content`)."""
    checked_content(kind, content or {}, point_numbers, complete=True)


def prefilled_content(session: Session, case: FeedbackCase, kind: str) -> Content:
    """The content of a new letter `kind`, filled from what the case records, so nothing is
    typed twice: each point's "what you told us" from its description and "what we found" from
    the notes of its finding at the case's stage; what the letter understood the complaint to
    be from the points (or, with none, the case's summary); the remedies recorded at the stage.
    Empty for a letter with no parts people write."""
    points = stage_points(session, case)
    filled: dict[str, Any] = {
        POINTS: [
            {
                "number": point.number,
                TOLD_US: point.description,
                FOUND: (finding.notes or "") if finding else "",
                WILL_DO: "",
            }
            for point, finding in points
        ],
        ABOUT: _about(case, [point.description.strip() for point, _ in points]),
        REMEDIES_TEXT: _listed(remedy_words(remedy) for remedy in stage_remedies(session, case)),
    }
    return {part: filled.get(part, "") for part in parts_of(kind)}


def _about(case: FeedbackCase, descriptions: list[str]) -> str:
    """What the letter understood the complaint to be: its points, or its summary."""
    if len(descriptions) == 1:
        return descriptions[0]
    return _listed(descriptions) if descriptions else case.summary


def _listed(lines: Iterable[str]) -> str:
    """Lines as a bulleted list in the letter's Markdown."""
    return "\n".join(f"- {line}" for line in lines)


def content_changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> dict[str, Markup]:
    """Each part that reads differently in `after` than in `before`, keyed as comments name
    parts ("opening", "points.2.found"), with its words taken out and put in
    (`complaints.letters.differences.word_changes`); parts that did not change are left out."""
    old, new = _texts(before or {}), _texts(after or {})
    changes = {}
    for key in dict.fromkeys([*old, *new]):
        changed = word_changes(old.get(key, ""), new.get(key, ""))
        if changed:
            changes[key] = changed
    return changes


def _texts(content: Mapping[str, Any]) -> dict[str, str]:
    """Every part of `content` as text, keyed as `content_changes` keys them."""
    texts = {
        part: str(content[part]) for part in EVERY_PART if part in TEXT_PARTS and part in content
    }
    for point in content.get(POINTS) or []:
        for part in POINT_PARTS:
            texts[point_part_key(point["number"], part)] = str(point.get(part, ""))
    return texts


def _check_keys(content: Mapping[Any, Any], parts: tuple[str, ...], name: str) -> None:
    unknown = sorted(repr(key) for key in content if key not in EVERY_PART)
    if unknown:
        has = ", ".join(parts) if parts else "none"
        raise DomainError(
            f"the content has {_names(unknown, 'part')} no letter has: {', '.join(unknown)}; "
            f"the parts of the {name} letter are: {has}"
        )
    foreign = [str(key) for key in content if key not in parts]
    if foreign:
        has = ", ".join(parts) if parts else "no parts people write"
        raise DomainError(f"the {name} letter has no {', '.join(foreign)}; its parts are: {has}")


def _checked_points(
    points: object, point_numbers: Sequence[int], complete: bool
) -> list[dict[str, Any]]:
    if points is None:
        points = []
    if not isinstance(points, list):
        raise DomainError("points must be a list, one entry for each complaint point")
    known = set(point_numbers)
    written: dict[int, dict[str, Any]] = {}
    for entry in points:
        point = _checked_point(entry, known)
        if point["number"] in written:
            raise DomainError(f"point {point['number']} is written twice; write it once")
        written[point["number"]] = point
    missing = [str(number) for number in point_numbers if number not in written]
    if missing:
        raise DomainError(
            f"the letter must answer every complaint point of the case; point "
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing"
        )
    if complete:
        for number in point_numbers:
            for part in REQUIRED_POINT_PARTS:
                if not written[number][part].strip():
                    raise DomainError(
                        f"point {number}, {POINT_PART_WORDS[part]}, is empty; it must be written"
                    )
    return [written[number] for number in sorted(written)]


def _checked_point(entry: object, known: set[int]) -> dict[str, Any]:
    if not isinstance(entry, Mapping):
        raise DomainError('each point must be a JSON object: {"number": N, "told_us": ...}')
    number = entry.get("number")
    if not isinstance(number, int) or isinstance(number, bool):
        raise DomainError("each point needs its number, a whole number such as 1")
    unknown = sorted(repr(key) for key in entry if key not in ("number", *POINT_PARTS))
    if unknown:
        raise DomainError(
            f"point {number} has {_names(unknown, 'part')} a point does not have: "
            f"{', '.join(unknown)}; a point has told_us, found and will_do"
        )
    if number not in known:
        has = ", ".join(str(n) for n in sorted(known)) or "none"
        raise DomainError(f"the case has no complaint point {number}; its points are: {has}")
    return {"number": number} | {
        part: _checked_text(entry.get(part, ""), f"point {number}, {POINT_PART_WORDS[part]}")
        for part in POINT_PARTS
    }


def _checked_text(value: object, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DomainError(f"{what} must be text")
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_PART_LENGTH:
        raise DomainError(
            f"{what} is {len(text):,} characters long; each part of a letter may be at most "
            f"{MAX_PART_LENGTH:,} characters"
        )
    problem = unstorable(text)
    if problem:
        raise DomainError(f"{what} must not contain {problem}")
    return text


def _names(items: list[str], word: str) -> str:
    return f"a {word}" if len(items) == 1 else f"{word}s"
