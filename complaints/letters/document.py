"""A letter as a PDF: numbered ("Page 1 of 2") when it runs to more than one page, and marked
across every page as a draft when it is not the letter approved or sent, so nobody posts it.

The page numbers are the product's own stylesheet, added when a first layout shows more than
one page; they sit in the page's margin (beside the accessibility line of the layout,
`letter_templates/layout.html.j2`), so adding them moves nothing on the page.
"""

from __future__ import annotations

from complaints.letters.pdf import laid_out, write_pdf

DRAFT_WORDS = "Draft – not sent"
PAGE_NUMBERS = """
@page {
  @bottom-right {
    content: "Page " counter(page) " of " counter(pages);
    vertical-align: top; text-align: right; width: 20%; padding-top: 0.5em;
    font-family: Arial, Helvetica, sans-serif; font-size: 10pt; color: #0b0c0c;
  }
}
"""
DRAFT_MARK = f"""
@page {{
  @top-center {{
    content: "{DRAFT_WORDS.upper()}";
    font-family: Arial, Helvetica, sans-serif; font-size: 16pt; font-weight: bold;
    letter-spacing: 0.05em; color: #d4351c; vertical-align: middle;
  }}
}}
body::before {{
  content: "{DRAFT_WORDS.upper()}";
  position: fixed; top: 110mm; left: -20mm; width: 210mm;
  text-align: center; font-size: 56pt; font-weight: bold;
  color: rgba(212, 53, 28, 0.16); transform: rotate(-35deg);
}}
"""


def letter_to_pdf(html: str, *, draft: bool = False) -> bytes:
    """The letter's HTML as a PDF; marked as a draft on every page if `draft`."""
    marks = (DRAFT_MARK,) if draft else ()
    document = laid_out(html, extra_css=marks)
    if len(document.pages) > 1:
        document = laid_out(html, extra_css=(*marks, PAGE_NUMBERS))
    return write_pdf(document)
