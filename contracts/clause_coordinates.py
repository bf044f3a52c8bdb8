"""Which clause each element of the schema carries: the contract's side of drift.

A schema change is graded for clients in general by graphql-core's rules; a
change to an element listed here is also graded against the guide (issue #19):
it is `breaking` and names the clause it contradicts, even where a client
would not notice (an input made optional, a default flipped). Kept apart from
`clauses.py` so that the clause list stays one table; the ids are the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts.clauses import ClauseId


@dataclass(frozen=True, slots=True)
class SchemaClaim:
    """What the guide documents about one schema coordinate.

    Attributes:
        coordinate: A schema coordinate (`Type.field`, `Type.field(arg:)`).
        clause: The clause a changed type or default contradicts.
        required_clause: The clause contradicted when the element is removed or
            loses its `!`, when that is another one (a documented "Required").
    """

    coordinate: str
    clause: ClauseId
    required_clause: ClauseId | None = None

    def contradicted_by(
        self, kind: str, old: str | None, new: str | None
    ) -> ClauseId | None:
        """The clause a change of this kind contradicts, or None.

        Args:
            kind: The change's kind (`input-field-type-changed`, ...).
            old: The old type or default, where the kind has one.
            new: The new type or default.
        """
        verb = kind.rsplit("-", 2)[-2:]
        if verb[-1] == "removed":
            return self.required_clause or self.clause
        if verb == ["type", "changed"]:
            lost_bang = bool(
                old and new and old.endswith("!") and not new.endswith("!")
            )
            return (self.required_clause if lost_bang else None) or self.clause
        if verb == ["default", "changed"]:
            return self.clause
        return None


_REQUIRED = ClauseId.ARGUMENTS_REQUIRED
_ECHO, _BOTH, _PORT = (
    ClauseId.CREATE_ECHO,
    ClauseId.CREATE_BOTH_OBJECTS,
    ClauseId.CREATE_PORT_STRING,
)
_INPUT, _CONFIG_INPUT = (
    "CreateSmtpCustomEmailWithConfigurationInput",
    "SmtpConfigurationInput",
)

INPUT_CLAIMS: tuple[SchemaClaim, ...] = (
    SchemaClaim("Mutation.createSmtpCustomEmailWithConfiguration(input:)", _REQUIRED),
    SchemaClaim(f"{_INPUT}.senderName", _REQUIRED),
    SchemaClaim(f"{_INPUT}.emailAddress", _REQUIRED),
    SchemaClaim(f"{_INPUT}.smtpConfiguration", _BOTH),
    SchemaClaim(f"{_CONFIG_INPUT}.host", _REQUIRED),
    SchemaClaim(f"{_CONFIG_INPUT}.port", _PORT, required_clause=_REQUIRED),
    SchemaClaim(f"{_CONFIG_INPUT}.organizationId", _REQUIRED),
    SchemaClaim(f"{_CONFIG_INPUT}.ipRelayAuth", ClauseId.RELAY_DEFAULT_FALSE),
    SchemaClaim(f"{_CONFIG_INPUT}.username", ClauseId.CREDENTIALS_REQUIRED),
    SchemaClaim(f"{_CONFIG_INPUT}.password", ClauseId.CREDENTIALS_REQUIRED),
)
"""The documented arguments: their types, their "Required" marks, the default."""

SELECTION_CLAIMS: tuple[SchemaClaim, ...] = (
    SchemaClaim("Mutation.createSmtpCustomEmailWithConfiguration", _BOTH),
    SchemaClaim("CreateSmtpCustomEmailWithConfigurationPayload.smtpCustomEmail", _BOTH),
    SchemaClaim("SmtpCustomEmail.id", _BOTH),
    SchemaClaim("SmtpCustomEmail.emailAddress", _ECHO),
    SchemaClaim("SmtpCustomEmail.senderName", _ECHO),
    SchemaClaim("SmtpCustomEmail.smtpConfiguration", _BOTH),
    SchemaClaim("SmtpConfiguration.id", _BOTH),
    SchemaClaim("SmtpConfiguration.host", _ECHO),
    SchemaClaim("SmtpConfiguration.port", _PORT),
    SchemaClaim("SmtpConfiguration.organizationId", _ECHO),
    SchemaClaim("SmtpConfiguration.ipRelayAuth", ClauseId.RELAY_DEFAULT_FALSE),
)
"""Every output field of the documented selection: its type, nullability included."""

CLAIMS_BY_COORDINATE = {c.coordinate: c for c in (*INPUT_CLAIMS, *SELECTION_CLAIMS)}
