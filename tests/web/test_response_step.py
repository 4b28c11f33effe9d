"""The step that sends a response, on the web: it is taken by sending the signed-off letter (its
page says so, and a post to it is refused), or a manager records that the response went out
another way, uploading the PDF that was sent; the PDF is then a download, never shown inline."""

from __future__ import annotations

import io
from collections.abc import Callable

from complaints.context import Context
from complaints.services.cases import show_case
from tests.support import audit_count, ready_for_response
from tests.web.conftest import Web

COPY = b"%PDF-1.4\n% the response, as posted\n%%EOF\n"


def test_the_step_is_taken_by_the_letter_and_a_post_to_it_changes_nothing(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    ready_for_response(staff, case_ref, signed_off=True)
    officer, manager = web("off"), web("mgr")
    page = officer.get(f"/cases/{case_ref}/steps/send_response")
    assert page.status_code == 200
    assert "This step is taken by sending the stage 1 response letter" in page.text
    assert "It was sent another way" not in page.text  # a manager's to record
    assert "It was sent another way" in manager.get(f"/cases/{case_ref}/steps/send_response").text
    events = audit_count(staff)
    posted = officer.post(f"/cases/{case_ref}/steps/send_response", {"version": "6"})
    assert posted.status_code == 400 and "is done by sending its letter" in posted.text
    assert audit_count(staff) == events
    assert show_case(staff, case_ref, by="admin").state == "stage1_approved"


def test_a_manager_records_a_response_sent_another_way_with_its_pdf(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    ready_for_response(staff, case_ref, signed_off=True)
    manager = web("mgr")
    action = f"/cases/{case_ref}/steps/send_response/sent-outside"
    events = audit_count(staff)
    for upload, reason, problem in (
        (None, "Posted by hand", "Choose the PDF of the response that was sent"),
        ((io.BytesIO(b"not a pdf"), "copy.pdf"), "Posted by hand", "must be a PDF file"),
        ((io.BytesIO(COPY), "copy.pdf"), "", "Enter why it was sent outside this system"),
    ):
        data: dict[str, object] = {"reason": reason}
        if upload is not None:
            data["copy"] = upload
        refused = manager.post(action, data, content_type="multipart/form-data")
        assert refused.status_code == 400 and problem in refused.text, refused.text
    assert audit_count(staff) == events
    recorded = manager.post(
        action,
        {"reason": "Posted by hand", "copy": (io.BytesIO(COPY), "copy.pdf")},
        content_type="multipart/form-data",
    )
    assert recorded.status_code == 302
    assert show_case(staff, case_ref, by="admin").state == "stage1_responded"
    pdf = manager.get(f"/cases/{case_ref}/letters/1/pdf")
    assert pdf.data == COPY and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    to_print = manager.get(f"/cases/{case_ref}/letters/1/pdf?print")
    assert to_print.data == COPY and to_print.headers["Content-Disposition"].startswith(
        "attachment;"
    )
    letter = manager.get(f"/cases/{case_ref}/letters/1").text
    assert "Print the letter" not in letter
    assert "Recorded as sent by" in letter and "Posted by hand" in letter
