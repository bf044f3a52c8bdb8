"""The contract, clause by clause: what is checked, from where, and how firmly.

Tiers:
- documented: stated by the guide; a failure fails the run.
- inferred: the real API's conventions; a failure fails the run unless the run
  is limited to `--tier documented`.
- warning: a security finding outside the guide, common to mainstream server
  stacks; reported in every report, fails the run only with `--strict-secrets`.
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
    WARNING = "warning"
    PROBE = "probe"


class ClauseId(StrEnum):
    """The id of every clause: a typo is an `AttributeError` at import time.

    Members are strings, so reports, JUnit properties and pytest markers show
    the id itself (`create.echo`).
    """

    CREATE_BOTH_OBJECTS = "create.both-objects"
    CREATE_ECHO = "create.echo"
    CREATE_PORT_STRING = "create.port-string"
    RELAY_DEFAULT_FALSE = "relay.default-false"
    CREDENTIALS_REQUIRED = "credentials.required"
    RELAY_NO_CREDENTIALS = "relay.no-credentials"
    EMAIL_UNIQUE_IN_ORG = "email.unique-in-org"
    EMAIL_UNIQUE_IN_ORG_CONCURRENT = "email.unique-in-org.concurrent"
    EMAIL_OTHER_ORG = "email.other-org"
    ARGUMENTS_REQUIRED = "arguments.required"
    CREATE_NO_TRACE = "create.no-trace"
    ERRORS_SHAPE = "errors.shape"
    ERRORS_RETRY_AFTER = "errors.retry-after"
    SECRETS_PASSWORD = "secrets.password"
    SECRETS_PASSWORD_IN_REQUEST_ERRORS = "secrets.password-in-request-errors"
    AUTH_TOKEN = "auth.token"
    RELAY_CLIENT_MUTATION_ID = "relay.client-mutation-id"
    ERRORS_MALFORMED_JSON = "errors.malformed-json"
    FAMILY_CREATE = "family.create"
    FAMILY_LISTED = "family.listed"
    FAMILY_UPDATE_PASSWORD = "family.update-password"
    FAMILY_UPDATE_VALIDATES = "family.update-validates"
    FAMILY_DELETE = "family.delete"
    FAMILY_DELETE_UNKNOWN = "family.delete-unknown"
    FAMILY_DEFAULT_FILTER = "family.default-filter"
    PROBE_EMAIL_CASE = "probe.email-case"
    PROBE_WHITESPACE = "probe.whitespace"
    PROBE_MALFORMED_EMAIL = "probe.malformed-email"
    PROBE_PORT_RANGE = "probe.port-range"
    PROBE_BLANK_CREDENTIALS = "probe.blank-credentials"
    PROBE_RELAY_CREDENTIALS = "probe.relay-credentials"
    PROBE_NO_CONFIGURATION = "probe.no-configuration"
    PROBE_LONG_VALUES = "probe.long-values"
    PROBE_NON_ASCII = "probe.non-ascii"


@dataclass(frozen=True, slots=True)
class Clause:
    """One checkable statement about the API.

    Attributes:
        id: Stable identifier, shown in reports and failures.
        tier: How firmly it binds.
        source: Where it comes from (the guide's section, paraphrased).
        statement: What must hold, in one sentence.
    """

    id: ClauseId
    tier: Tier
    source: str
    statement: str


_C = ClauseId
_D, _I, _W, _P = Tier.DOCUMENTED, Tier.INFERRED, Tier.WARNING, Tier.PROBE

CLAUSES: tuple[Clause, ...] = (
    Clause(_C.CREATE_BOTH_OBJECTS, _D, "Why this use case; Key notes",
           "One call creates the sender and its configuration, with two distinct "
           "UUID-formatted ids, fresh on every create."),
    Clause(_C.CREATE_ECHO, _D, "Expected responses",
           "senderName, emailAddress, host and organizationId are returned as sent."),
    Clause(_C.CREATE_PORT_STRING, _D, "Arguments; expected responses",
           "port is sent as an Int and returned as its decimal String."),
    Clause(_C.RELAY_DEFAULT_FALSE, _D, "Arguments; Key notes",
           "ipRelayAuth omitted is false in the response."),
    Clause(_C.CREDENTIALS_REQUIRED, _D, "Arguments; Key notes",
           "Without IP relay, a missing username or password is an error and "
           "creates nothing."),
    Clause(_C.RELAY_NO_CREDENTIALS, _D, "Scenario B",
           "With ipRelayAuth true, a create without credentials succeeds."),
    Clause(_C.EMAIL_UNIQUE_IN_ORG, _D, "Key notes",
           "A second create with the same address in the organization fails and "
           "the first sender stays intact."),
    Clause(_C.EMAIL_UNIQUE_IN_ORG_CONCURRENT, _D, "Key notes",
           "Of simultaneous creates of one address (or of its case variants, "
           "where the target compares case-insensitively) exactly one succeeds; "
           "every other gets the duplicate error and one sender is stored."),
    Clause(_C.EMAIL_OTHER_ORG, _D, "Key notes",
           "The same address in another organization can be created."),
    Clause(_C.ARGUMENTS_REQUIRED, _D, "Arguments",
           "senderName, emailAddress, host, port and organizationId are required."),
    Clause(_C.CREATE_NO_TRACE, _D, "Why this use case",
           "A failed create leaves nothing behind: the corrected request succeeds."),
    Clause(_C.FAMILY_CREATE, _D, "Create SMTP Configuration",
           "createSmtpConfiguration returns the configuration with the host, "
           "organizationId and username sent and port as its decimal String, and "
           "refuses one without credentials unless IP relay."),
    Clause(_C.FAMILY_LISTED, _D, "List SMTP Configurations; Key notes (both objects)",
           "A created configuration, and the configuration a sender was created "
           "with, appear in smtpConfigurations of their organization with the "
           "host, port and organizationId sent."),
    Clause(_C.FAMILY_UPDATE_PASSWORD, _D, "Update SMTP Configuration",
           "An update changes only the fields sent; a password omitted or null "
           "keeps encryptedPassword unchanged, a new password changes it."),
    Clause(_C.FAMILY_UPDATE_VALIDATES, _D, "Update SMTP Configuration; Arguments",
           "An update that blanks a credential of a configuration without IP "
           "relay is refused and changes nothing."),
    Clause(_C.FAMILY_DELETE, _D, "Delete SMTP Configuration",
           "A delete answers success: true and the configuration is no longer "
           "listed."),
    Clause(_C.FAMILY_DELETE_UNKNOWN, _D, "Delete SMTP Configuration",
           "Deleting an id that does not exist is an error, never success: true."),
    Clause(_C.FAMILY_DEFAULT_FILTER, _D, "List SMTP Configurations",
           "smtpConfigurations(defaultSmtp: X) lists only configurations whose "
           "defaultSmtp is X, and at most one default."),
    Clause(_C.ERRORS_SHAPE, _I, "Real API convention",
           "A failed create answers data.createSmtpCustomEmailWithConfiguration: "
           "null and errors[] entries with a message, extensions.code and a path; "
           "data is never null without errors."),
    Clause(_C.ERRORS_RETRY_AFTER, _I, "HTTP semantics (RFC 9110, Retry-After)",
           "A 503 or 429 answer says when to retry, in a Retry-After header."),
    Clause(_C.SECRETS_PASSWORD, _I, "Real API convention",
           "No submitted password appears in data, in a domain error (HTTP 200) "
           "or in a success."),
    Clause(_C.SECRETS_PASSWORD_IN_REQUEST_ERRORS, _W, "Security (outside the guide)",
           "No submitted password is quoted by a request-level error (HTTP 4xx), "
           "such as graphql-js's variable-coercion message."),
    Clause(_C.AUTH_TOKEN, _I, "Prerequisites (authentication)",
           "A request without a valid token gets HTTP 401."),
    Clause(_C.RELAY_CLIENT_MUTATION_ID, _I, "Real API convention (Relay)",
           "clientMutationId is echoed in the payload."),
    Clause(_C.ERRORS_MALFORMED_JSON, _I, "Real API convention (HTTP)",
           "A body that is not strict JSON (NaN, an unpaired surrogate escape, "
           "invalid UTF-8, ...) is refused (any 4xx) or gets a well-formed "
           "GraphQL answer, never a 5xx."),
    Clause(_C.PROBE_EMAIL_CASE, _P, "Key notes (silent on case)",
           "Is uniqueness case-insensitive?"),
    Clause(_C.PROBE_WHITESPACE, _P, "Arguments (silent on whitespace)",
           "What happens to an address with surrounding spaces?"),
    Clause(_C.PROBE_MALFORMED_EMAIL, _P, "Arguments (silent on syntax)",
           "Is a malformed address accepted?"),
    Clause(_C.PROBE_PORT_RANGE, _P, "Arguments (silent on range)",
           "Is a port outside 1..65535 accepted?"),
    Clause(_C.PROBE_BLANK_CREDENTIALS, _P, "Arguments (silent on blank values)",
           "Is a whitespace-only username or password accepted?"),
    Clause(_C.PROBE_RELAY_CREDENTIALS, _P, "Scenario B (silent)",
           "Is a relay create that also sends credentials accepted?"),
    Clause(_C.PROBE_NO_CONFIGURATION, _P, "Arguments (configuration nullable)",
           "What does a create without smtpConfiguration do?"),
    Clause(_C.PROBE_LONG_VALUES, _P, "Arguments (silent on length)",
           "Are very long names and hosts accepted?"),
    Clause(_C.PROBE_NON_ASCII, _P, "Arguments (silent on charset)",
           "Are non-ASCII sender names and addresses accepted?"),
)  # fmt: skip

CLAUSES_BY_ID: dict[ClauseId, Clause] = {clause.id: clause for clause in CLAUSES}


def clause(clause_id: ClauseId | str) -> Clause:
    """Return the clause with this id.

    A plain string is accepted for ids read back from outside the code (a
    pytest marker, a report); code names clauses with `ClauseId` members.

    Raises:
        KeyError: there is no such clause (a typo in a marker).
    """
    try:
        return CLAUSES_BY_ID[ClauseId(clause_id)]
    except ValueError:
        raise KeyError(clause_id) from None
