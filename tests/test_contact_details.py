"""E-mail addresses and telephone numbers: every way of writing a valid one is stored the same
way, and anything else is refused with a message that says what was wrong."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaints.contact_details import email_address, phone_number
from complaints.errors import DomainError

# UK number ranges in use, each with how the UK writes its numbers (docs/casework.md).
UK_RANGES = {
    "161": lambda rest: f"0161 {rest[:3]} {rest[3:]}",  # Manchester
    "1234": lambda rest: f"01234 {rest}",  # Bedford
    "1865": lambda rest: f"01865 {rest}",  # Oxford
    "7400": lambda rest: f"07400 {rest}",  # a mobile
    "800": lambda rest: f"0800 {rest[:3]} {rest[3:]}",  # free to call
    "300": lambda rest: f"0300 {rest[:3]} {rest[3:]}",  # public bodies
}


@st.composite
def uk_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A UK number written one of the ways people write them, and how it should be stored."""
    prefix = draw(st.sampled_from(sorted(UK_RANGES)))
    rest = draw(st.text("0123456789", min_size=10 - len(prefix), max_size=10 - len(prefix)))
    digits = prefix + rest
    spaced = "".join(
        digit + draw(st.sampled_from(["", "", " ", "-"])) for digit in digits[:-1]
    ) + digits[-1]  # fmt: skip
    written = draw(
        st.sampled_from(
            [f"0{spaced}", f"+44{spaced}", f"+44 {spaced}", f"+44 (0){spaced}", f"0044 {spaced}"]
        )
    )
    padding = draw(st.sampled_from(["", " ", "  "]))
    return f"{padding}{written}{padding}", UK_RANGES[prefix](rest)


@given(uk_numbers())
def test_a_uk_number_however_written_is_stored_as_the_uk_writes_it(
    number: tuple[str, str],
) -> None:
    written, stored = number
    assert phone_number(written) == stored


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("+33 1 23 45 67 89", "+33 1 23 45 67 89"),
        ("0033 123456789", "+33 1 23 45 67 89"),
        ("+1 202-456-1111", "+1 202-456-1111"),
    ],
)
def test_a_number_abroad_is_stored_in_its_international_form(written: str, stored: str) -> None:
    assert phone_number(written) == stored


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("(01234) 567890 ext. 12", "01234 567890 x12"),
        ("+447700900123", "07700 900123"),  # Ofcom's numbers for drama, which ring nobody
        ("01632 960999", "01632 960999"),
    ],
)
def test_extensions_and_the_numbers_kept_for_drama_are_taken(written: str, stored: str) -> None:
    assert phone_number(written) == stored


@pytest.mark.parametrize(
    "written",
    [
        "call me",
        "012",
        "999",
        "01234 5678901234",  # too many digits for any UK number
        "07700 901000",  # just past the drama numbers, in a range not given out
        "123456789 123456789 123456789 123456789 1",
    ],
)
def test_a_number_nobody_could_have_is_refused_saying_so(written: str) -> None:
    with pytest.raises(DomainError, match=r"is not a telephone number|at most 40 characters"):
        phone_number(written)


def refusal_of(check: Callable[[str], str | None], text: str) -> str | None:
    """What `check` says is wrong with `text`, or None if it takes it."""
    try:
        check(text)
    except DomainError as refusal:
        return str(refusal)
    return None


@given(st.text(max_size=60))
def test_any_text_is_a_number_or_refused_in_plain_words(text: str) -> None:
    refusal = refusal_of(phone_number, text)
    if refusal is None:
        stored = phone_number(text)
        assert stored is None or (len(stored) <= 40 and stored == phone_number(stored))
    else:
        assert "telephone number" in refusal


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        (" ava@example.org ", "ava@example.org"),
        ("Ava.Shah@Example.ORG", "Ava.Shah@example.org"),
        ("a@münchen.de", "a@münchen.de"),
    ],
)
def test_an_e_mail_address_is_stored_with_its_domain_in_lower_case(
    written: str, stored: str
) -> None:
    assert email_address(written) == stored


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("ava at example", "must have an @-sign"),
        ("ava@example", "It should have a period"),
        ("ava@@example.org", "'ava@@example.org' is not an e-mail address"),
        ("Ava <ava@example.org>", "angle brackets"),
        ("ava@mail.local", "special-use or reserved name"),
        ("a@b.c" + "c" * 260, "too long"),
    ],
)
def test_an_e_mail_address_that_cannot_receive_mail_is_refused_saying_why(
    written: str, reason: str
) -> None:
    with pytest.raises(DomainError, match="is not an e-mail address") as refused:
        email_address(written)
    assert reason in str(refused.value)


@given(st.text(max_size=300))
def test_any_text_is_an_address_or_refused_in_plain_words(text: str) -> None:
    refusal = refusal_of(email_address, text)
    if refusal is None:
        stored = email_address(text)
        assert stored is None or (len(stored) <= 254 and email_address(stored) == stored)
    else:
        assert "is not an e-mail address" in refusal


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_nothing_given_is_nothing_stored(blank: str | None) -> None:
    assert email_address(blank) is None and phone_number(blank) is None
