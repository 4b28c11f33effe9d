"""Errors a user can cause, with messages a complaints officer understands.

Every refusal the product makes (bad input, a change the rules forbid, a stale edit) raises one of
these; the CLI prints the message and exits non-zero, the web shows it as an error summary.
"""


class ComplaintsError(Exception):
    """Base of every error the product reports to a person rather than as a crash."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class ConfigError(ComplaintsError):
    """The council's configuration is wrong; the message names the key and the problem."""


class DomainError(ComplaintsError):
    """A change the rules refuse (wrong state, wrong role, missing or bad data)."""


class NotFoundError(DomainError):
    """Something named by the user (a case reference, a username, a team) does not exist."""


class ConflictError(DomainError):
    """The record was changed by someone else since it was read; reload and try again."""


class TooManyAttemptsError(DomainError):
    """Too many wrong passwords for one username from one address: that address must wait
    before trying that username again (anyone else, anywhere else, may still sign in)."""


class SessionEndedError(DomainError):
    """A sign-in session that has ended (signed out, timed out, password set...): the message
    says why, and the person signs in again."""


class AccessDeniedError(DomainError):
    """The person may not see or change this: the wrong role, or a case outside their work."""


class CaseNotFoundError(NotFoundError):
    """The case a reference names does not exist (the API answers 404 for this one)."""
