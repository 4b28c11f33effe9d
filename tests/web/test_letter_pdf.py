"""The letter page offers the PDF to download and to print, for every letter: a draft, or a
letter waiting for sign-off, is marked on every page as a draft not sent; an approved or sent
letter is the PDF frozen when it was approved. Printing opens the PDF in the browser, with a
policy that lets its viewer show it and nothing else."""

from __future__ import annotations

import io
from collections.abc import Callable

from pypdf import PdfReader

from complaints.context import Context
from complaints.models import Letter
from complaints.services.letters import draft_letter, send_letter
from tests.support import version_of
from tests.web.conftest import Web
from web.letters import PRINT_POLICY

DRAFT_MARK = "DRAFT – NOT SENT"


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_draft_downloads_marked_and_the_sent_letter_as_sent(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    drafted = draft_letter(
        staff, case_ref, "acknowledgement", by="off", expected_version=version_of(staff, case_ref)
    )
    officer = web("off")
    letter = f"/cases/{case_ref}/letters/{drafted.id}"
    page = officer.get(letter).text
    assert "Download the PDF" in page and "Print the letter (opens the PDF in a new tab)" in page
    assert "Draft – not sent" in page
    draft = officer.get(f"{letter}/pdf")
    assert draft.mimetype == "application/pdf" and DRAFT_MARK in text_of(draft.data)
    assert draft.headers["Content-Disposition"] == (
        f'attachment; filename="{case_ref}-letter-{drafted.id}-draft-not-sent.pdf"'
    )
    to_print = officer.get(f"{letter}/pdf?print")
    assert to_print.headers["Content-Disposition"].startswith("inline;")
    assert to_print.headers["Content-Security-Policy"] == PRINT_POLICY
    assert DRAFT_MARK in text_of(to_print.data)

    send_letter(staff, case_ref, drafted.id, by="off", expected_version=version_of(staff, case_ref))
    sent = officer.get(f"{letter}/pdf")
    with staff.database.reader() as session:
        stored = session.get(Letter, drafted.id)
        assert stored is not None and sent.data == stored.pdf
    assert DRAFT_MARK not in text_of(sent.data)
    assert sent.headers["Content-Disposition"] == (
        f'attachment; filename="{case_ref}-letter-{drafted.id}.pdf"'
    )
    assert "Draft – not sent" not in officer.get(letter).text
    assert officer.get(f"/cases/{case_ref}/letters/999/pdf").status_code == 404
