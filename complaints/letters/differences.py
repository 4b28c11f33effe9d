"""What changed in a letter, in words: between two renderings, the lines of text a reader would
see, compared, so a letter that goes back for sign-off says why ("it now says 'Point 1: not
upheld' where it said 'Point 1: upheld'"); and between two versions of a part people wrote,
word by word, for the approver to read (`word_changes`)."""

from __future__ import annotations

import difflib
import re
from html.parser import HTMLParser

from markupsafe import Markup, escape

# Elements that start a new line of text when a letter is read.
_BLOCKS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "br", "tr", "td", "th", "dt", "dd"}
)
SHOWN_CHANGES = 3
SHOWN_CHARACTERS = 120
CONTEXT_CHARACTERS = 30


class _Lines(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._text: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title"):
            self._skipping += 1
        elif tag in _BLOCKS:
            self._end_line()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._text.append(data)

    def _end_line(self) -> None:
        line = " ".join("".join(self._text).split())
        if line:
            self.lines.append(line)
        self._text = []


def text_lines(html: str) -> list[str]:
    """The letter's text, a line per paragraph, item or heading, spaces tidied."""
    parser = _Lines()
    parser.feed(html)
    parser.close()
    parser._end_line()
    return parser.lines


def what_changed(before_html: str, after_html: str) -> str:
    """The first few differences between two renderings, as a sentence; "" when the text a
    reader sees is the same (only the markup changed)."""
    before, after = text_lines(before_html), text_lines(after_html)
    changes: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "replace":
            for old, new in zip(before[a1:a2], after[b1:b2], strict=False):
                old_part, new_part = _differing_parts(old, new)
                changes.append(f"it now says {_quoted(new_part)} where it said {_quoted(old_part)}")
            changes.extend(f"it now also says {_quoted(line)}" for line in after[b1 + a2 - a1 : b2])
            changes.extend(
                f"it no longer says {_quoted(line)}" for line in before[a1 + b2 - b1 : a2]
            )
        elif operation == "insert":
            changes.extend(f"it now also says {_quoted(line)}" for line in after[b1:b2])
        elif operation == "delete":
            changes.extend(f"it no longer says {_quoted(line)}" for line in before[a1:a2])
    if not changes:
        return ""
    shown = "; ".join(changes[:SHOWN_CHANGES])
    more = len(changes) - SHOWN_CHANGES
    return shown + (f"; and {more} more change{'s' if more > 1 else ''}" if more > 0 else "")


# A word and the spaces after it: the unit `word_changes` compares.
_WORDS = re.compile(r"\S+\s*|\s+")


def word_changes(before: str, after: str) -> Markup:
    """`after` compared with `before` word by word, as HTML: words taken out in <del>, words put
    in <ins>, everything else as it was; all the text escaped. Empty when they are the same."""
    if before == after:
        return Markup("")
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    pieces: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            pieces.append(str(escape("".join(old[a1:a2]))))
            continue
        if a2 > a1:
            pieces.append(f"<del>{escape(''.join(old[a1:a2]))}</del>")
        if b2 > b1:
            pieces.append(f"<ins>{escape(''.join(new[b1:b2]))}</ins>")
    return Markup("".join(pieces))


def _differing_parts(old: str, new: str) -> tuple[str, str]:
    """The two lines from a little before where they first differ, so a long paragraph that
    changed near its end shows the change, not its unchanged beginning."""
    common = next(
        (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
        min(len(old), len(new)),
    )
    start = old.rfind(" ", 0, max(0, common - CONTEXT_CHARACTERS)) + 1
    prefix = "…" if start else ""
    return prefix + old[start:], prefix + new[start:]


def _quoted(line: str) -> str:
    if len(line) > SHOWN_CHARACTERS:
        line = line[: SHOWN_CHARACTERS - 1].rstrip() + "…"
    return f"“{line}”"
