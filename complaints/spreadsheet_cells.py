"""The cells of every spreadsheet the product writes (CSV and XLSX: exports, reports).

Text that a spreadsheet would take for a formula (it begins with =, +, -, @, a tab or a carriage
return) is written with a single quote in front, as OWASP's guidance on CSV injection advises,
so a name or a lesson typed as `=HYPERLINK(...)` arrives as text, never as a live formula.
Numbers, dates and money stay typed values; text that is just a number (`-5`, `+2.50`) is left
as it is, since a spreadsheet reads it as that number and nothing more. The product's importer
takes the protective quote off again (`restored_text`), so an export reads back unchanged.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PROTECTIVE_QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
# Text that would need the quote, behind any quotes already at its start: one more quote is
# added on writing and one taken off on reading, so text that itself began with a quote before
# a formula character (`'=1`) reads back as it was written.
_NEEDS_QUOTE = re.compile(f"{PROTECTIVE_QUOTE}*[{re.escape(''.join(FORMULA_STARTS))}]")


def inert_text(text: str) -> str:
    """The text as a spreadsheet cell that no spreadsheet runs as a formula."""
    if _NEEDS_QUOTE.match(text) and not _PLAIN_NUMBER.fullmatch(text):
        return PROTECTIVE_QUOTE + text
    return text


def inert_cell(value: object) -> object:
    """A cell to write: text made inert (see `inert_text`); numbers, dates and the like as they
    are, so they stay typed values."""
    return inert_text(value) if isinstance(value, str) else value


def restored_text(text: str) -> str:
    """Text as it was before `inert_text`: the protective quote taken off again."""
    if text.startswith(PROTECTIVE_QUOTE) and _NEEDS_QUOTE.match(text, 1):
        return text[1:]
    return text
