"""Every shipped letter, adult and child-friendly, fits its pages: the accessibility line is the
foot of every page rather than a paragraph that can spill onto a page of its own, so a letter
has as many pages as its body needs (an acknowledgement, one); a letter of more than one page
is numbered "Page 1 of 2"; a draft is marked on every page."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.letters.document import DRAFT_WORDS, letter_to_pdf
from complaints.letters.environment import letter_names
from complaints.letters.pdf import laid_out
from complaints.services.letters import preview_letter_pdf
from tests.support import LogCase
from tests.test_letters import CHILD_VARIANTS, case_for

FOOTER = re.compile(r'<p class="accessibility">.*?</p>', re.DOTALL)
PAGE_NUMBER = re.compile(r"Page \d+ of \d+")
SHIPPED = [(name, False) for name in letter_names()] + [(name, True) for name in CHILD_VARIANTS]


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("letter", "child"), SHIPPED)
def test_each_letter_has_the_pages_its_body_needs(
    council: Context, clock: SettableClock, log_case: LogCase, letter: str, child: bool
) -> None:
    reference = case_for(letter, council, clock, log_case, child=child)
    rendered, pdf = preview_letter_pdf(council, reference, letter, by="admin")
    footer = FOOTER.search(rendered.html)
    assert footer is not None
    body_alone = len(laid_out(FOOTER.sub("", rendered.html)).pages)
    pages = page_texts(pdf)
    assert len(pages) == body_alone
    line = words(re.sub(r"<[^>]+>", "", footer.group(0)))
    for text in pages:
        # The foot of every page, and never a page holding nothing else.
        assert line in words(text)
        assert words(PAGE_NUMBER.sub("", words(text).replace(line, ""))), text
    if len(pages) > 1:
        assert [PAGE_NUMBER.findall(text) for text in pages] == [
            [f"Page {n} of {len(pages)}"] for n in range(1, len(pages) + 1)
        ]
    else:
        assert not PAGE_NUMBER.search(pages[0])
    if letter in ("acknowledgement", "compliment_acknowledgement"):
        assert len(pages) == 1


def test_a_long_letter_is_numbered_and_a_draft_is_marked_on_every_page(
    council: Context, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    rendered, _ = preview_letter_pdf(council, reference, "acknowledgement", by="admin")
    more = "".join(f"<p>Paragraph {n}, one of many in a long letter.</p>" for n in range(60))
    long = rendered.html.replace("<p>Yours sincerely,</p>", f"{more}<p>Yours sincerely,</p>")
    final, draft = page_texts(letter_to_pdf(long)), page_texts(letter_to_pdf(long, draft=True))
    assert len(final) == len(draft) >= 2
    assert [PAGE_NUMBER.findall(text) for text in final] == [
        [f"Page {n} of {len(final)}"] for n in range(1, len(final) + 1)
    ]
    assert all(DRAFT_WORDS.upper() in text for text in draft)
    assert not any(DRAFT_WORDS.upper() in text for text in final)
