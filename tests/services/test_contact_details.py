"""The complainant's contact details when feedback is logged: kept in their normal form when
well formed, refused with a clear message (and nothing written) when not."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from complaints.context import Context
from complaints.errors import DomainError
from complaints.models import FeedbackCase
from tests.support import LogCase, audit_count


def test_contact_details_and_consent_are_kept(council: Context, log_case: LogCase) -> None:
    view = log_case(
        "corporate",
        date(2026, 11, 2),
        complainant_email=" ava@example.org ",
        complainant_phone="+44 (0)1234 567890",
        complainant_address="1 High Street\nTown",
        consent_recorded=True,
    )
    with council.database.reader() as session:
        case = session.exec(
            select(FeedbackCase).where(FeedbackCase.reference == view.reference)
        ).one()
    assert (case.complainant_email, case.complainant_phone) == (
        "ava@example.org", "01234 567890"
    )  # fmt: skip
    assert case.complainant_address == "1 High Street\nTown" and case.consent_recorded


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"complainant_email": "ava at example"}, "'ava at example' is not an e-mail address"),
        ({"complainant_email": "a@b.c" + "c" * 260}, "is not an e-mail address"),
        ({"complainant_phone": "call me"}, "'call me' is not a telephone number"),
        ({"complainant_address": "x" * 2001}, "the address must be at most 2000 characters"),
    ],
)
def test_malformed_contact_details_are_refused_and_nothing_is_written(
    council: Context, log_case: LogCase, details: dict[str, str], message: str
) -> None:
    before = audit_count(council)
    with pytest.raises(DomainError, match=message):
        log_case("corporate", date(2026, 11, 2), **details)
    assert audit_count(council) == before
