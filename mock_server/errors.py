"""Errors raised by the mock server.

    MockServerError
    ├── SchemaLoadError (ValueError)   the SDL file is missing, invalid or incomplete
    ├── ConfigurationError (ValueError) an option given to the app or the CLI is wrong
    ├── StoreUnavailable               the store's server or file cannot be reached
    └── DomainError                    a create or load broke a documented rule
        ├── ValidationFailed           one or more fields are invalid
        ├── ConfigurationMissing       `smtpConfiguration` was omitted
        ├── EmailTaken                 the address exists in the organization
        ├── ConfigurationNotFound      no SMTP configuration has the id sent
        ├── ConfigurationInUse         a sender uses the configuration to delete
        └── PermissionDenied           the caller may not manage configurations

Domain errors are expected outcomes: the GraphQL layer turns them into the real
API's error shape, and they are logged as one line, never as a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class MockServerError(Exception):
    """Base class of every error the mock server raises on purpose."""


class SchemaLoadError(MockServerError, ValueError):
    """The SDL file cannot serve as the mock's schema."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"Cannot load schema from {str(self.path)!r}: {self.reason}"

    def __repr__(self) -> str:
        return f"SchemaLoadError(path={str(self.path)!r}, reason={self.reason!r})"


class ConfigurationError(MockServerError, ValueError):
    """An option given to the app factory or the CLI is invalid."""


class StoreUnavailable(MockServerError):
    """The store cannot be reached right now; requests get HTTP 503."""

    def __init__(self, store: str, reason: str) -> None:
        super().__init__(store, reason)
        self.store = store
        self.reason = reason

    def __str__(self) -> str:
        return f"The {self.store} store is unavailable: {self.reason}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: the input field it concerns and a stable, human message.

    `field` is a dotted path in the mutation's input (`smtpConfiguration.port`).
    The message names the field and never echoes the submitted value, so the same
    failure always reads the same.
    """

    field: str
    message: str
    code: str | None = None
    """The problem's own `extensions.code`, when it is not its error's."""
    fields: tuple[str, ...] = ()
    """The field(s) as the entry names them, when not `field` (a profile's choice)."""
    field_key: str = "field"
    """The `extensions` key naming them: `field`, `fields` (a list), or `none`."""


class DomainError(MockServerError):
    """A request broke a documented rule; nothing was stored."""

    code = "RECORD_INVALID"

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        return "; ".join(problem.message for problem in self.problems)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(problems={self.problems!r})"


class ValidationFailed(DomainError):
    """One or more input fields are invalid."""


class ConfigurationMissing(DomainError):
    """The sender came without `smtpConfiguration`, so it has no organization."""

    code = "INVALID_INPUT"


class EmailTaken(DomainError):
    """The address is already used by a sender of the same organization."""


class ConfigurationNotFound(DomainError):
    """No SMTP configuration of the caller's session has the id sent."""

    code = "RESOURCE_NOT_FOUND"


class ConfigurationInUse(DomainError):
    """A sender uses the configuration, and the profile refuses to delete it."""


class PermissionDenied(DomainError):
    """The caller's token lacks manage access to the SMTP configurations."""

    code = "PERMISSION_DENIED"
