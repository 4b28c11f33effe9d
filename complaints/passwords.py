"""Password hashing (Argon2id) and the password policy for staff accounts."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from complaints.errors import DomainError

MINIMUM_LENGTH = 12
MAXIMUM_LENGTH = 256
_hasher = PasswordHasher()


def check_policy(password: str) -> None:
    """Refuse a password that is too short or too long (NCSC: length over complexity)."""
    if len(password.strip()) < MINIMUM_LENGTH:
        raise DomainError(f"a password must be at least {MINIMUM_LENGTH} characters long")
    if len(password) > MAXIMUM_LENGTH:
        raise DomainError(f"a password must be at most {MAXIMUM_LENGTH} characters long")


def hash_password(password: str) -> str:
    """The Argon2id hash to store, after checking the policy."""
    check_policy(password)
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches `stored_hash`; False for an account with no password."""
    if not stored_hash:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
