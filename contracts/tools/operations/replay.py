"""Replaying recorded operations against a live API.

What the frontend sent yesterday must still work today.

Records hold no variable values, so each variable gets one: `--var NAME=JSON`
first, then a value built from its type (an `ID`/`String` whose name mentions
an organization gets `--org`, other scalars a plain value, a nullable variable
null). Queries are sent as they are. A mutation is sent only with
`--allow-mutations`, and only when it is the documented create, with a fresh
address of the run's namespace: the same safety rules as `smtp-contract run`.

An answer passes when the provider ran the operation (no server error, no
request-level refusal) and its `data` conforms to the schema along the
operation's selection set. Errors at a path (a record not found, say) are
shown, not failed: they are data, not the contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    parse,
    type_from_ast,
)

from contracts.documented import MUTATION_FIELD
from contracts.tools.conformance import conformance_problems
from contracts.tools.operations import sources

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from graphql import GraphQLInputType, GraphQLSchema

    from contracts.client.exchanges import Exchange
    from contracts.client.ledger import Ledger, Namespace
    from contracts.client.target import Target

_SCALARS: dict[str, Any] = {"Int": 1, "Float": 1.0, "Boolean": False}


@dataclass(frozen=True, slots=True)
class Replayed:
    """One recorded operation and what replaying it showed.

    Attributes:
        name: The operation's name, or its hash's start when anonymous.
        outcome: `passed`, `failed` or `skipped`.
        detail: Why it failed or was skipped, or the errors it answered with.
        curl: A `curl` reproducing the request (token as a variable), if sent.
        clients: The clients recorded sending it (name/version or User-Agent).
    """

    name: str
    outcome: Literal["passed", "failed", "skipped"]
    detail: str = ""
    curl: str | None = None
    clients: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReplayOptions:
    """How to fill variables and what may be sent.

    Attributes:
        org: The organization of the run.
        namespace: Names the addresses a replayed create may use.
        password: The credential a replayed create sends.
        overrides: `--var` values by variable name.
        allow_mutations: Send the documented create too.
    """

    org: str
    namespace: Namespace
    password: str
    overrides: Mapping[str, Any]
    allow_mutations: bool = False


def read_records(path: Path) -> list[dict[str, Any]]:
    """The distinct operations of a `--record-operations` file.

    An operation several clients sent is one record (the first), whose
    `clients` lists them all; bad lines are left out.
    """
    recorded, _ = sources.read_records(path.read_text(encoding="utf-8"))
    return [{**r.entry, "clients": list(r.clients)} for r in recorded]


def replay(
    records: list[dict[str, Any]],
    target: Target,
    schema: GraphQLSchema,
    options: ReplayOptions,
    ledger: Ledger,
) -> list[Replayed]:
    """Send each record (or say why not) and judge the answers."""
    results = []
    for record in records:
        name = record.get("operationName") or f"<anonymous {record['hash'][:8]}>"
        clients = tuple(record.get("clients") or ())
        skip = _skip_reason(record, options)
        variables = None if skip else _variables(record, schema, options)
        if skip or isinstance(variables, str):
            results.append(
                Replayed(name, "skipped", skip or str(variables), clients=clients)
            )
            continue
        payload: dict[str, Any] = {"query": record["document"]}
        if record.get("operationName"):
            payload["operationName"] = record["operationName"]
        if variables:
            payload["variables"] = variables
        exchange = target.post(payload)
        curl = exchange.curl(target.url, token_set=target.has_credentials)
        outcome, detail = _judge(schema, payload, exchange)
        if record.get("operationType") == "mutation":
            _record_created(exchange, ledger, options.org)
        results.append(Replayed(name, outcome, detail, curl, clients))
    return results


def _skip_reason(record: Mapping[str, Any], options: ReplayOptions) -> str | None:
    kind = record.get("operationType")
    if kind == "subscription":
        return "subscriptions are not replayed"
    if kind != "mutation":
        return None
    if not options.allow_mutations:
        return "a mutation: replayed only with --allow-mutations"
    fields = {f for f in record.get("fields", []) if f.startswith("Mutation.")}
    if fields != {f"Mutation.{MUTATION_FIELD}"}:
        return f"only the documented {MUTATION_FIELD} may be replayed"
    return None


def _variables(
    record: Mapping[str, Any], schema: GraphQLSchema, options: ReplayOptions
) -> dict[str, Any] | str:
    """Values for the record's variables, or why there are none."""
    operation = parse(record["document"]).definitions[0]
    definitions = getattr(operation, "variable_definitions", None) or ()
    create = _create_input(options)
    values: dict[str, Any] = {}
    for definition in definitions:
        name = definition.variable.name.value
        if name in options.overrides:
            values[name] = options.overrides[name]
            continue
        variable_type = type_from_ast(schema, definition.type)
        if variable_type is None:
            return f"${name} has a type the schema lacks"
        value = _value_for(name, variable_type, options.org, create)
        if value is _MISSING:
            return f"${name} needs a value: pass --var {name}=JSON"
        values[name] = value
    return values


_MISSING = object()


def _value_for(
    name: str, variable_type: GraphQLInputType, org: str, create: dict[str, Any]
) -> Any:
    required = isinstance(variable_type, GraphQLNonNull)
    named = (
        variable_type.of_type
        if isinstance(variable_type, GraphQLNonNull)
        else variable_type
    )
    lowered = name.lower()
    if isinstance(named, GraphQLInputObjectType):
        for key in ("input", "smtpConfiguration"):
            shape = create if key == "input" else create[key]
            if set(named.fields) >= set(shape):
                return shape
        return _MISSING if required else None
    if isinstance(named, GraphQLList):
        return [] if required else None
    if isinstance(named, GraphQLEnumType):
        return next(iter(named.values))
    assert isinstance(named, GraphQLScalarType)
    if named.name in _SCALARS:
        return _SCALARS[named.name]
    if "org" in lowered:
        return org
    for key in ("senderName", "emailAddress"):
        if lowered == key.lower():
            return create[key]
    return "replay" if required else None


def _create_input(options: ReplayOptions) -> dict[str, Any]:
    return {
        "senderName": "Replayed operation",
        "emailAddress": options.namespace.fresh_address(),
        "smtpConfiguration": {
            "host": "smtp.example.com",
            "port": 587,
            "organizationId": options.org,
            "username": "replay",
            "password": options.password,
        },
    }


def _judge(
    schema: GraphQLSchema, payload: dict[str, Any], exchange: Exchange
) -> tuple[Literal["passed", "failed"], str]:
    body = exchange.body
    if exchange.status >= 500:
        return "failed", f"HTTP {exchange.status}"
    if not isinstance(body, dict) or not ({"data", "errors"} & body.keys()):
        return "failed", f"HTTP {exchange.status}: not a GraphQL response"
    errors = [e for e in body.get("errors") or [] if isinstance(e, dict)]
    refused = [e for e in errors if "path" not in e]
    if refused or body.get("data") is None:
        messages = "; ".join(str(e.get("message")) for e in refused or errors)
        return "failed", f"HTTP {exchange.status}: refused: {messages}"
    problems = conformance_problems(
        schema, payload["query"], payload.get("operationName"), body["data"]
    )
    if problems:
        return "failed", "; ".join(f"{title} {detail}" for title, detail in problems)
    located = "; ".join(f"{e.get('path')}: {e.get('message')}" for e in errors)
    return "passed", f"answered with errors at {located}" if located else ""


def _record_created(exchange: Exchange, ledger: Ledger, org: str) -> None:
    data = exchange.body.get("data") if isinstance(exchange.body, dict) else None
    created = ((data or {}).get(MUTATION_FIELD) or {}).get("smtpCustomEmail") or {}
    if isinstance(created, dict) and created.get("id"):
        configuration = created.get("smtpConfiguration") or {}
        ledger.record(
            str(created["id"]),
            str(configuration.get("id", "")),
            str(created.get("emailAddress", "")),
            org,
        )
