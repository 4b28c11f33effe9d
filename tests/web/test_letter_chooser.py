"""The letter chooser offers only the letters that fit the case now, responses first, and says
so when none does; a letter that does not fit is neither previewed nor drafted."""

from __future__ import annotations

import re
from collections.abc import Callable

from complaints.context import Context
from complaints.services.cases import fire_trigger
from complaints.services.letters import list_letters
from tests.support import audit_count, version_of
from tests.web.conftest import Web

OPTION = re.compile(r'<option value="([a-z0-9_]+)"')


def test_the_chooser_offers_the_letters_that_fit_responses_first(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    off = web("off")
    received = off.get(f"/cases/{case_ref}/letters/new")
    assert OPTION.findall(received.text) == ["acknowledgement", "lgsco_signposting"]
    fire_trigger(
        staff, case_ref, "acknowledge", by="off", expected_version=version_of(staff, case_ref)
    )
    investigating = off.get(f"/cases/{case_ref}/letters/new")
    assert OPTION.findall(investigating.text) == [
        "stage1_response",
        "early_resolution",
        "lgsco_signposting",
    ]
    assert off.get(f"/cases/{case_ref}/letters/preview/acknowledgement").status_code == 404
    events = audit_count(staff)
    refused = off.post(f"/cases/{case_ref}/letters/new", {"template": "compliment_acknowledgement"})
    assert refused.status_code == 400
    assert audit_count(staff) == events and list_letters(staff, case_ref, by="admin") == []


def test_the_chooser_says_when_no_letter_fits(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    fire_trigger(
        staff,
        case_ref,
        "withdraw",
        by="off",
        values={"reason": "The family moved away"},
        expected_version=version_of(staff, case_ref),
    )
    page = web("off").get(f"/cases/{case_ref}/letters/new")
    assert page.status_code == 200
    assert "No letter fits this case as it stands (withdrawn)" in page.text
    assert OPTION.findall(page.text) == []
