"""Errors of staff accounts and sign-in, each with its HTTP status and exit code."""

from __future__ import annotations

from retrieval.errors import AssistantError

SIGN_IN = "sign in at /signin, or send Authorization: Bearer TOKEN (`assistant staff token`)"


class InvalidStaffInput(AssistantError):
    """An e-mail address or a password that cannot be used (the CLI's input)."""

    status = 422
    exit_code = 2


class StaffExists(AssistantError):
    status = 409
    exit_code = 2


class StaffNotFound(AssistantError):
    status = 404
    exit_code = 2


class TokenNotFound(AssistantError):
    status = 404
    exit_code = 2


class NotSignedIn(AssistantError):
    """A staff page or endpoint asked for without a valid session, token or proxy header."""

    status = 401
    exit_code = 2


class SignInFailed(AssistantError):
    """Wrong e-mail or password: the message never says which."""

    status = 401
    exit_code = 2


class SignInThrottled(AssistantError):
    """Too many failed sign-ins for an account or from a client."""

    status = 429
    exit_code = 2

    def __init__(self, message: str, retry_after: float = 60.0) -> None:
        super().__init__(message)
        self.wait = retry_after

    @property
    def retry_after(self) -> float:  # type: ignore[override]
        return self.wait


class CsrfRejected(AssistantError):
    """A cookie-authenticated write without the page's CSRF token."""

    status = 403
    exit_code = 2
