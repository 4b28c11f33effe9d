"""Text written to a spreadsheet never runs as a formula, numbers stay numbers, and the product
reads its own cells back exactly as they were."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaints.spreadsheet_cells import FORMULA_STARTS, inert_cell, inert_text, restored_text

# Text biased towards the characters that matter: formula starts and protective quotes.
TEXTS = st.text(alphabet=st.sampled_from([*FORMULA_STARTS, "'", "1", ".", "A", " "])) | st.text()


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("https://example.com","x")', '\'=HYPERLINK("https://example.com","x")'),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),
        ("-12.50", "-12.50"),
        ("+3", "+3"),
        ("Ava Smith", "Ava Smith"),
        ("'quoted'", "'quoted'"),
        ("", ""),
    ],
)
def test_text_a_spreadsheet_would_run_is_quoted(text: str, written: str) -> None:
    assert inert_text(text) == written


def test_numbers_and_dates_stay_typed_values() -> None:
    for value in (-5, -2.5, Decimal("-1.20"), date(2026, 11, 23), None):
        assert inert_cell(value) == value


@given(TEXTS)
def test_no_written_text_starts_a_formula_unless_it_is_a_plain_number(text: str) -> None:
    written = inert_text(text)
    if written.startswith(FORMULA_STARTS):
        assert float(written) == float(text)


@given(TEXTS)
def test_the_product_reads_its_own_cells_back_unchanged(text: str) -> None:
    assert restored_text(inert_text(text)) == text
