"""The contract, clause by clause: what is checked, from where, and how firmly.

Tiers:
- documented: stated by the guide; a failure fails the run.
- inferred: the real API's conventions; a failure fails the run unless the run
  is limited to `--tier documented`.
- probe: left open by the guide; never fails, the report records what the
  target did.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Tier(StrEnum):
    """How firmly a clause binds."""

    DOCUMENTED = "documented"
    INFERRED = "inferred"
    PROBE = "probe"


@dataclass(frozen=True, slots=True)
class Clause:
    """One checkable statement about the API.

    Attributes:
        id: Stable identifier, shown in reports and failures.
        tier: How firmly it binds.
        source: Where it comes from (the guide's section, paraphrased).
        statement: What must hold, in one sentence.
    """

    id: str
    tier: Tier
    source: str
    statement: str


_D, _I, _P = Tier.DOCUMENTED, Tier.INFERRED, Tier.PROBE

CLAUSES: tuple[Clause, ...] = (
    Clause("create.both-objects", _D, "Why this use case; Key notes",
           "One call creates the sender and its configuration, with two distinct "
           "UUID-formatted ids, fresh on every create."),
    Clause("create.echo", _D, "Expected responses",
           "senderName, emailAddress, host and organizationId are returned as sent."),
    Clause("create.port-string", _D, "Arguments; expected responses",
           "port is sent as an Int and returned as its decimal String."),
    Clause("relay.default-false", _D, "Arguments; Key notes",
           "ipRelayAuth omitted is false in the response."),
    Clause("credentials.required", _D, "Arguments; Key notes",
           "Without IP relay, a missing username or password is an error and "
           "creates nothing."),
    Clause("relay.no-credentials", _D, "Scenario B",
           "With ipRelayAuth true, a create without credentials succeeds."),
    Clause("email.unique-in-org", _D, "Key notes",
           "A second create with the same address in the organization fails and "
           "the first sender stays intact."),
    Clause("email.other-org", _D, "Key notes",
           "The same address in another organization can be created."),
    Clause("arguments.required", _D, "Arguments",
           "senderName, emailAddress, host, port and organizationId are required."),
    Clause("create.no-trace", _D, "Why this use case",
           "A failed create leaves nothing behind: the corrected request succeeds."),
    Clause("errors.shape", _I, "Real API convention",
           "A failed create answers data.createSmtpCustomEmailWithConfiguration: "
           "null and errors[] entries with a message and extensions.code."),
    Clause("secrets.password", _I, "Real API convention",
           "No submitted password ever appears in any response."),
    Clause("auth.token", _I, "Prerequisites (authentication)",
           "A request without a valid token gets HTTP 401."),
    Clause("relay.client-mutation-id", _I, "Real API convention (Relay)",
           "clientMutationId is echoed in the payload."),
    Clause("errors.malformed-json", _I, "Real API convention (HTTP)",
           "A body that is not strict JSON (NaN, an unpaired surrogate escape, "
           "invalid UTF-8, ...) gets a well-formed answer, never a 5xx."),
    Clause("probe.email-case", _P, "Key notes (silent on case)",
           "Is uniqueness case-insensitive?"),
    Clause("probe.whitespace", _P, "Arguments (silent on whitespace)",
           "What happens to an address with surrounding spaces?"),
    Clause("probe.malformed-email", _P, "Arguments (silent on syntax)",
           "Is a malformed address accepted?"),
    Clause("probe.port-range", _P, "Arguments (silent on range)",
           "Is a port outside 1..65535 accepted?"),
    Clause("probe.relay-credentials", _P, "Scenario B (silent)",
           "Is a relay create that also sends credentials accepted?"),
    Clause("probe.no-configuration", _P, "Arguments (configuration nullable)",
           "What does a create without smtpConfiguration do?"),
    Clause("probe.long-values", _P, "Arguments (silent on length)",
           "Are very long names and hosts accepted?"),
    Clause("probe.non-ascii", _P, "Arguments (silent on charset)",
           "Are non-ASCII sender names and addresses accepted?"),
)  # fmt: skip

CLAUSES_BY_ID = {clause.id: clause for clause in CLAUSES}


def clause(clause_id: str) -> Clause:
    """Return the clause with this id.

    Raises:
        KeyError: there is no such clause (a typo in a marker).
    """
    return CLAUSES_BY_ID[clause_id]
