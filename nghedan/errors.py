"""Errors raised by domain services; each carries a stable code and a message for people."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses; nothing has been written.

    Services pass the message as `lazy_gettext(...)` (Vietnamese source text): it is put into
    words only when someone reads `.message` or `str(error)`, so a page shows it in the
    language of the request and a CLI command or an SMS reply in the default one.
    """

    code = "invalid"

    def __init__(self, message, code: str | None = None, **detail):
        super().__init__(message)
        self._message = message
        if code:
            self.code = code
        self.detail = detail

    @property
    def message(self) -> str:
        """The refusal in the current language."""
        return str(self._message)

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    code = "invalid"


class NotFound(DomainError):
    code = "not_found"
