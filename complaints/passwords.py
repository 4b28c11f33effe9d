"""Password hashing (Argon2id) and the password policy for staff accounts: long enough, not one
of the passwords attackers try first, and not the person's own username (NCSC password
guidance: length and a deny-list, not composition rules)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from complaints.errors import DomainError

MINIMUM_LENGTH = 12
MAXIMUM_LENGTH = 256
# Passwords of twelve characters or more that lead the breached-password lists; compared without
# case, spaces or punctuation, so "Password 1234!" is refused as "password1234".
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678901234",
        "123456789123",
        "111111111111",
        "000000000000",
        "qwertyuiopas",
        "qwertyuiop123",
        "qwerty123456",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "password1234",
        "password12345",
        "password123456",
        "passwordpassword",
        "passw0rd1234",
        "iloveyou1234",
        "letmein12345",
        "welcome12345",
        "welcometothecouncil",
        "changeme1234",
        "administrator",
        "administrator1",
        "football1234",
        "monkey123456",
        "abc123456789",
        "abcdefghijkl",
        "trustno1trustno1",
        "correcthorsebatterystaple",
        "council12345",
        "complaints123",
        "complaints1234",
    }
)
_hasher = PasswordHasher()


def check_policy(password: str, username: str | None = None) -> None:
    """Refuse a password that is too short or too long, a well-known one, or one built on the
    person's username (NCSC: length and a deny-list over complexity rules)."""
    if len(password.strip()) < MINIMUM_LENGTH:
        raise DomainError(f"a password must be at least {MINIMUM_LENGTH} characters long")
    if len(password) > MAXIMUM_LENGTH:
        raise DomainError(f"a password must be at most {MAXIMUM_LENGTH} characters long")
    letters_and_digits = "".join(ch for ch in password.lower() if ch.isalnum())
    if letters_and_digits in COMMON_PASSWORDS:
        raise DomainError("that password is one of the first that attackers try: choose another")
    if username and len(username) >= 3 and username.strip().lower() in password.lower():
        raise DomainError("a password must not contain the username")


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
