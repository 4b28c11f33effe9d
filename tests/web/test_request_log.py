"""The web's log: one line per request with its case reference, status, person and time."""

from __future__ import annotations

from collections.abc import Callable

from tests.web.conftest import Web


def test_each_request_is_logged_with_its_case_status_and_person(
    web: Callable[[str], Web], case_ref: str, json_lines: Callable[[], list[dict[str, object]]]
) -> None:
    web("off").get(f"/cases/{case_ref.lower()}")

    requests = [line for line in json_lines() if line["logger"] == "complaints.web.requests"]
    page = next(line for line in requests if line["path"] == f"/cases/{case_ref.lower()}")
    assert (page["case"], page["status"], page["user"], page["method"]) == (
        case_ref,
        200,
        "off",
        "GET",
    )
    assert isinstance(page["ms"], float)
