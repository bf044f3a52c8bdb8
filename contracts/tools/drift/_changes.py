from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Severity(StrEnum):
    """How much a change matters, most severe first.

    breaking and dangerous are graphql-core's (and graphql-inspector's) words for
    clients in general; the contract's own rules can raise a change to breaking.
    safe is an addition nobody has to use; info changes only documentation.
    """

    BREAKING = "breaking"
    DANGEROUS = "dangerous"
    SAFE = "safe"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe: breaking 3 ... info 0."""
        return 3 - list(Severity).index(self)


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the contract's schema and the target's.

    Attributes:
        coordinate: Where: a schema coordinate (`Type`, `Type.field`,
            `Type.field(arg:)`, `@directive`, `@directive(arg:)`), `schema` for
            the root types, and `<coordinate>.@directive` for a directive used
            on an element.
        kind: What kind of change (`field-type-changed`, ...; see the drift guide).
        severity: For clients in general, or raised by the contract's rules.
        message: What changed, in one sentence.
        in_contract: Whether it touches a type the documented mutation uses.
        clause: The contract clause the change contradicts, when there is one.
        old: The old value (type, default, ...) where one applies.
        new: The new value where one applies.
    """

    coordinate: str
    kind: str
    severity: Severity
    message: str
    in_contract: bool = False
    clause: str | None = None
    old: str | None = None
    new: str | None = None

    @property
    def fails(self) -> bool:
        """A breaking change in the contract's types fails the check."""
        return self.severity is Severity.BREAKING and self.in_contract

    def raised_to(self, severity: Severity) -> Change:
        """This change with the more severe of its own and `severity`."""
        if severity.rank <= self.severity.rank:
            return self
        return replace(self, severity=severity)
