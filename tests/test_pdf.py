"""PDFs (letters and reports) fetch nothing from outside the product: no file of the server, no
web address, no attachment; only the product's own packaged files and data: URIs."""

from __future__ import annotations

import base64
import io
import logging
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from pypdf import PdfReader

from complaints.context import Context
from complaints.letters import pdf
from complaints.letters.pdf import html_to_pdf
from complaints.reports import Period, build_report
from complaints.reports.rendering import report_pdf
from complaints.services.letter_templates import set_template
from complaints.services.letters import preview_letter
from tests.reports.test_known_answers import small_council
from tests.support import LogCase

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def spy() -> Iterator[tuple[str, list[str]]]:
    """A web server on this machine: its address, and the paths asked of it."""
    requests: list[str] = []

    class Spy(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Spy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def images_in(document: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(document)).pages)


def test_a_council_wording_cannot_attach_server_files_or_make_the_server_fetch(
    council: Context,
    log_case: LogCase,
    tmp_path: Path,
    spy: tuple[str, list[str]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = tmp_path / "secret_key"
    secret.write_text("s3cret-signing-key")
    address, requests = spy
    wording = f"""{{% extends "layout.html.j2" %}}
{{% block body %}}
<link rel="attachment" href="{secret.as_uri()}">
<link rel="stylesheet" href="{address}/style.css">
<p>We have your complaint.</p>
<img src="{address}/pixel.png"><img src="{secret.as_uri()}"><img src="../../../etc/passwd">
<a rel="attachment" href="file:///etc/passwd">the file</a>
{{% endblock %}}
"""
    set_template(council, "acknowledgement", wording, by="admin")
    reference = log_case("corporate", date(2026, 11, 2)).reference

    with caplog.at_level(logging.WARNING, logger="complaints.letters.pdf"):
        letter = html_to_pdf(preview_letter(council, reference, "acknowledgement", by="admin").html)

    reader = PdfReader(io.BytesIO(letter))
    assert "We have your complaint" in reader.pages[0].extract_text()
    assert dict(reader.attachments) == {}
    assert requests == []
    assert images_in(letter) == 0
    refusals = [record.getMessage() for record in caplog.records]
    assert "PDF rendering refused a http: resource on 127.0.0.1" in refusals[0]
    assert any("refused a file: resource" in message for message in refusals)
    assert any("left out 2 attached file(s)" in message for message in refusals)
    assert not [message for message in refusals if "s3cret" in message]


def test_packaged_files_and_data_uris_are_still_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ctx: Context
) -> None:
    (tmp_path / "crest.png").write_bytes(PNG)
    monkeypatch.setattr(pdf, "PACKAGED_ASSETS", (tmp_path,))
    inline = "data:image/png;base64," + base64.b64encode(PNG).decode()

    page = html_to_pdf(f'<p>Crest</p><img src="{tmp_path / "crest.png"}"><img src="{inline}">')

    assert images_in(page) == 2
    small_council().save(ctx.database)
    assert images_in(report_pdf(build_report(ctx, Period.financial_year(2025), by="admin"))) > 0
