"""Errors raised by domain services; each carries a stable code and a message for people."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses; nothing has been written."""

    code = "invalid"

    def __init__(self, message: str, code: str | None = None, **detail):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.detail = detail


class ValidationError(DomainError):
    code = "invalid"


class NotFound(DomainError):
    code = "not_found"
