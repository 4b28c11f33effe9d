"""In Debian's chromium (Playwright, as tests/web/test_browser.py runs it): the letter page's
"Download the PDF" downloads a draft marked as such, and once the letter is sent, the letter as
sent; "Print the letter" opens the PDF in a new tab. Screenshots go to test-artefacts/ and, with
the PDFs, to $LETTER_SHOTS when it names a folder."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from complaints.context import Context
from complaints.services.letters import draft_letter
from tests.support import version_of

# The browser, the app served for it, and signed-in pages: test_browser.py's fixtures.
from tests.web.test_browser import browser, check, live, person, shot  # noqa: F401

DRAFT_MARK = "DRAFT – NOT SENT"


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def keep(name: str, page: Page | None = None, pdf: bytes | None = None) -> None:
    """A screenshot (and the PDF) under test-artefacts/, and in $LETTER_SHOTS if set."""
    if page is not None:
        shot(page, name)
    folder = os.environ.get("LETTER_SHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    if page is not None:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
    if pdf is not None:
        (Path(folder) / f"{name}.pdf").write_bytes(pdf)


def download(page: Page) -> tuple[str, bytes]:
    with page.expect_download() as started:
        page.get_by_role("link", name="Download the PDF").click()
    got = started.value
    return got.suggested_filename, Path(got.path()).read_bytes()


def test_the_letter_page_downloads_and_prints_the_pdf(
    staff: Context,
    case_ref: str,
    person: Callable[[str], Page],  # noqa: F811
    live: str,  # noqa: F811
) -> None:
    drafted = draft_letter(
        staff, case_ref, "acknowledgement", by="off", expected_version=version_of(staff, case_ref)
    )
    officer = person("off")
    officer.goto(f"{live}/cases/{case_ref}/letters/{drafted.id}")
    expect(officer.get_by_text("Draft – not sent")).to_be_visible()
    check(officer, "letter-draft-page")
    keep("letter-draft-page", officer)
    name, draft = download(officer)
    assert name == f"{case_ref}-letter-{drafted.id}-draft-not-sent.pdf"
    assert draft.startswith(b"%PDF") and DRAFT_MARK in text_of(draft)
    keep("letter-draft", pdf=draft)

    print_link = officer.get_by_role("link", name="Print the letter (opens the PDF in a new tab)")
    expect(print_link).to_have_attribute("target", "_blank")
    with officer.context.expect_page() as opened:
        print_link.click()
    printed = opened.value
    printed.wait_for_load_state()
    assert printed.url.endswith(f"/letters/{drafted.id}/pdf?print=")

    officer.get_by_role("button", name="Send letter").click()
    expect(officer.locator(".govuk-notification-banner--success")).to_contain_text("sent")
    expect(officer.get_by_text("Draft – not sent")).to_have_count(0)
    keep("letter-sent-page", officer)
    name, sent = download(officer)
    assert name == f"{case_ref}-letter-{drafted.id}.pdf"
    assert DRAFT_MARK not in text_of(sent) and case_ref in text_of(sent)
    keep("letter-sent", pdf=sent)
    officer.goto(f"{live}/cases/{case_ref}/letters/{drafted.id}/document")
    keep("letter-sent-html", officer)  # on screen, the accessibility line closes the letter


def test_the_chooser_lists_the_letters_that_fit(
    case_ref: str,
    person: Callable[[str], Page],  # noqa: F811
    live: str,  # noqa: F811
) -> None:
    officer = person("off")
    officer.goto(f"{live}/cases/{case_ref}/letters/new")
    options = officer.get_by_label("Which letter?").locator("option")
    expect(options).to_have_text(["Choose a letter", "Acknowledgement", "Lgsco signposting"])
    officer.get_by_label("Which letter?").select_option("acknowledgement")
    officer.get_by_role("button", name="Preview").click()
    expect(officer.frame_locator("iframe").locator("body")).to_contain_text("Ava Smith")
    check(officer, "letter-chooser")
    keep("letter-chooser", officer)
