"""The text people write in a letter, as HTML: plain text or a small Markdown subset
(paragraphs, bulleted and numbered lists, *emphasis*, **strong**, line breaks), rendered by
markdown-it-py with HTML switched off and then sanitised by nh3 to exactly those tags, with no
attribute at all. Raw HTML typed in is shown as the text it is, never rendered: the letter goes
to a member of the public, and is read in the staff pages too.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

MAX_PART_LENGTH = 10_000
"""The most characters one part of a letter may hold (a point's "what we found", the
opening...): several pages, more than any one part of a real letter needs."""

ALLOWED_TAGS = frozenset({"p", "br", "ul", "ol", "li", "em", "strong"})

# The "zero" preset parses paragraphs and text alone; the subset is switched on rule by rule,
# so headings, links, images, code and tables stay the text they were typed as.
_MARKDOWN = MarkdownIt("zero", {"html": False, "breaks": True}).enable(
    ["list", "emphasis", "newline", "escape"]
)


def narrative_html(text: str | None) -> Markup:
    """`text` as safe HTML in the allowed tags (empty for no text)."""
    if not text or not text.strip():
        return Markup("")
    rendered = _MARKDOWN.render(text.replace("\r\n", "\n").replace("\r", "\n"))
    cleaned = nh3.clean(
        rendered,
        tags=set(ALLOWED_TAGS),
        attributes={},
        link_rel=None,
        strip_comments=True,
    )
    return Markup(cleaned.strip())  # sanitised by nh3 just above
