"""Fixed requests the suite sends: the guide's scenarios varied, and the probes.

Shared by the pytest suite and `smtp-contract diff`, so both send exactly the
same thing. Each builder takes the run's `Namespace` (fresh addresses) and the
organizations, and returns the requests in order; the last one is observed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from contracts.clauses import ClauseId
from contracts.client.ledger import Namespace
from contracts.documented import (
    DOCUMENTED_OPERATION,
    OPERATION_NAME,
    SCENARIO_A_VARIABLES,
    SCENARIO_B_VARIABLES,
    create_payload,
)

CLIENT_MUTATION_ID_OPERATION = """
mutation ContractClientMutationId(
  $input: CreateSmtpCustomEmailWithConfigurationInput!
) {
  createSmtpCustomEmailWithConfiguration(input: $input) {
    clientMutationId
    smtpCustomEmail { id smtpConfiguration { id } }
  }
}
"""


@dataclass(frozen=True, slots=True)
class Request:
    """One GraphQL request to send."""

    variables: dict[str, Any]
    query: str = DOCUMENTED_OPERATION
    operation_name: str | None = OPERATION_NAME
    authenticated: bool = True

    def payload(self) -> dict[str, Any]:
        """The JSON body."""
        return create_payload(
            self.variables, query=self.query, operation_name=self.operation_name
        )


@dataclass(frozen=True, slots=True)
class Context:
    """What builders need: fresh addresses, organizations, a password marker."""

    namespace: Namespace
    org: str
    other_org: str | None

    @property
    def password_marker(self) -> str:
        """Prefix of the run's generated passwords (see `Namespace`)."""
        return self.namespace.password_marker


Builder = Callable[[Context], list[Request]]


@dataclass(frozen=True, slots=True)
class Step:
    """A labelled sequence of requests checking one clause or probe."""

    clause: ClauseId
    label: str
    build: Builder = field(repr=False)


def scenario(ctx: Context, base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A guide scenario in the run's namespace, organization and password marker.

    Keyword arguments change `smtpConfiguration` fields (None removes one), or
    `senderName` and `emailAddress`.
    """
    variables = copy.deepcopy(base)
    variables["emailAddress"] = ctx.namespace.fresh_address()
    configuration = variables["smtpConfiguration"]
    configuration["organizationId"] = ctx.org
    if "password" in configuration:
        configuration["password"] = f"{ctx.password_marker}-guide"
    for name, value in changes.items():
        if name in ("senderName", "emailAddress"):
            variables[name] = value
        elif value is None:
            configuration.pop(name, None)
        else:
            configuration[name] = value
    return variables


def relay(ctx: Context, **changes: Any) -> dict[str, Any]:
    """Scenario B (IP relay) in the run's namespace."""
    return scenario(ctx, SCENARIO_B_VARIABLES, **changes)


def credentials(ctx: Context, **changes: Any) -> dict[str, Any]:
    """Scenario A (credentials) in the run's namespace."""
    return scenario(ctx, SCENARIO_A_VARIABLES, **changes)


CLIENT_FORMS = ("mixed case", "surrounding spaces")
"""How clients send an address that a store may normalize on one side only;
`test_documented` sends each twice (#26)."""
FAMILY_REQUESTS = 23
"""Requests `test_family` sends against a target with the whole family.

Kept here, not in the suite's modules: counting a run must not import them,
or `@given` would keep the Hypothesis profile loaded before the budget's."""

OMITTED = object()
"""Stands for a field left out of the input altogether."""
RELAY_OFF: dict[str, Any] = {"false": False, "omitted": OMITTED, "null": None}
"""Every way a client leaves relay off (null: an untouched form checkbox)."""
CREDENTIAL_MISSING: dict[str, Any] = {"omitted": OMITTED, "null": None, "empty": ""}
"""Every way a credential can be missing."""


def _coercion_failure_with_password(ctx: Context) -> dict[str, Any]:
    """Scenario A without `host`: the variable fails to coerce, password inside."""
    return credentials(ctx, host=None)


def _duplicate(ctx: Context) -> list[Request]:
    first = credentials(ctx)
    second = {**copy.deepcopy(first), "senderName": "Duplicate"}
    return [Request(first), Request(second)]


def _other_org(ctx: Context) -> list[Request]:
    first = relay(ctx)
    other = copy.deepcopy(first)
    other["smtpConfiguration"]["organizationId"] = ctx.other_org
    return [Request(first), Request(other)] if ctx.other_org else [Request(first)]


def _failed_then_corrected(ctx: Context) -> list[Request]:
    broken = credentials(ctx, password=None)
    fixed = copy.deepcopy(broken)
    fixed["smtpConfiguration"]["password"] = f"{ctx.password_marker}-fix"
    return [Request(broken), Request(fixed)]


def _client_mutation_id(ctx: Context) -> list[Request]:
    variables = {"input": {**relay(ctx), "clientMutationId": "contract-cmid-1"}}
    return [Request(variables, CLIENT_MUTATION_ID_OPERATION, None)]


def _case_variant(ctx: Context) -> list[Request]:
    first = relay(ctx)
    variant = {**copy.deepcopy(first), "emailAddress": first["emailAddress"].upper()}
    return [Request(first), Request(variant)]


def _spaced(where: str) -> Builder:
    def build(ctx: Context) -> list[Request]:
        variables = relay(ctx)
        variables[where] = f"  {variables[where]} "
        return [Request(variables)]

    return build


def _malformed(suffix: str) -> Builder:
    def build(ctx: Context) -> list[Request]:
        local = ctx.namespace.fresh_address().split("@")[0]
        return [Request(relay(ctx, emailAddress=f"{local}-{suffix}"))]

    return build


def _no_configuration(as_null: bool) -> Builder:
    def build(ctx: Context) -> list[Request]:
        variables = relay(ctx)
        if as_null:
            variables["smtpConfiguration"] = None
        else:
            del variables["smtpConfiguration"]
        return [Request(variables)]

    return build


def _long(name: str, length: int) -> Builder:
    def build(ctx: Context) -> list[Request]:
        if name == "host":
            return [Request(relay(ctx, host="h" * length + ".example"))]
        return [Request(relay(ctx, senderName="N" * length))]

    return build


def _non_ascii_email(ctx: Context) -> list[Request]:
    local, domain = ctx.namespace.fresh_address().split("@")
    return [Request(relay(ctx, emailAddress=f"{local}-ü@{domain}"))]


def _fixed(build: Callable[[Context], dict[str, Any]]) -> Builder:
    return lambda ctx: [Request(build(ctx))]


COERCION_WITH_PASSWORD = Step(
    ClauseId.ARGUMENTS_REQUIRED,
    "host missing, password sent",
    _fixed(_coercion_failure_with_password),
)
"""A variable that does not coerce, with a password in it: graphql-js and
graphql-ruby quote it whole (`secrets.password-in-request-errors`)."""

DOCUMENTED_STEPS: tuple[Step, ...] = (
    Step(ClauseId.CREATE_BOTH_OBJECTS, "scenario A", _fixed(credentials)),
    Step(ClauseId.RELAY_NO_CREDENTIALS, "scenario B", _fixed(relay)),
    Step(ClauseId.RELAY_DEFAULT_FALSE, "ipRelayAuth omitted",
         _fixed(lambda ctx: credentials(ctx, ipRelayAuth=None))),
    Step(ClauseId.CREDENTIALS_REQUIRED, "password missing",
         _fixed(lambda ctx: credentials(ctx, password=None))),
    Step(ClauseId.CREDENTIALS_REQUIRED, "username missing",
         _fixed(lambda ctx: credentials(ctx, username=None))),
    Step(ClauseId.EMAIL_UNIQUE_IN_ORG, "same address twice", _duplicate),
    Step(ClauseId.EMAIL_OTHER_ORG, "same address, other organization", _other_org),
    Step(ClauseId.ARGUMENTS_REQUIRED, "host missing",
         _fixed(lambda ctx: relay(ctx, host=None))),
    COERCION_WITH_PASSWORD,
    Step(ClauseId.CREATE_NO_TRACE, "failed, then corrected", _failed_then_corrected),
    Step(ClauseId.RELAY_CLIENT_MUTATION_ID, "clientMutationId", _client_mutation_id),
)  # fmt: skip
"""Requests checking documented and inferred clauses, one step each."""

PROBE_STEPS: tuple[Step, ...] = (
    Step(ClauseId.PROBE_EMAIL_CASE, "upper-case variant", _case_variant),
    Step(ClauseId.PROBE_WHITESPACE, "emailAddress", _spaced("emailAddress")),
    Step(ClauseId.PROBE_WHITESPACE, "senderName", _spaced("senderName")),
    Step(ClauseId.PROBE_MALFORMED_EMAIL, "no-at-sign", _malformed("no-at-sign")),
    Step(ClauseId.PROBE_MALFORMED_EMAIL, "two@@example.com",
         _malformed("two@@example.com")),
    Step(ClauseId.PROBE_MALFORMED_EMAIL, "trailing-dot@example.com.",
         _malformed("trailing-dot@example.com.")),
    Step(ClauseId.PROBE_MALFORMED_EMAIL, "a@b", _malformed("a@b")),
    Step(ClauseId.PROBE_PORT_RANGE, "port 0", _fixed(lambda ctx: relay(ctx, port=0))),
    Step(ClauseId.PROBE_PORT_RANGE, "port -1", _fixed(lambda ctx: relay(ctx, port=-1))),
    Step(ClauseId.PROBE_PORT_RANGE, "port 65536",
         _fixed(lambda ctx: relay(ctx, port=65536))),
    Step(ClauseId.PROBE_PORT_RANGE, "port 2147483647",
         _fixed(lambda ctx: relay(ctx, port=2**31 - 1))),
    Step(ClauseId.PROBE_BLANK_CREDENTIALS, "password of spaces",
         _fixed(lambda ctx: credentials(ctx, password="   "))),
    Step(ClauseId.PROBE_BLANK_CREDENTIALS, "username of spaces",
         _fixed(lambda ctx: credentials(ctx, username="  "))),
    Step(ClauseId.PROBE_RELAY_CREDENTIALS, "relay with credentials",
         _fixed(lambda ctx: relay(
             ctx, username="contract-user", password=f"{ctx.password_marker}-relay"))),
    Step(ClauseId.PROBE_NO_CONFIGURATION, "omitted", _no_configuration(as_null=False)),
    Step(ClauseId.PROBE_NO_CONFIGURATION, "null", _no_configuration(as_null=True)),
    Step(ClauseId.PROBE_LONG_VALUES, "senderName of 300", _long("senderName", 300)),
    Step(ClauseId.PROBE_LONG_VALUES, "senderName of 5000", _long("senderName", 5000)),
    Step(ClauseId.PROBE_LONG_VALUES, "host of 300", _long("host", 300)),
    Step(ClauseId.PROBE_NON_ASCII, "senderName",
         _fixed(lambda ctx: relay(ctx, senderName="Équipe 支持 Ünïcødé 🚀"))),
    Step(ClauseId.PROBE_NON_ASCII, "emailAddress", _non_ascii_email),
)  # fmt: skip
"""The probes: what the guide leaves open."""
