"""Strict checks of GraphQL responses, for fuzzing any operation of the schema.

Schemathesis's own response check for GraphQL is shallow; this one walks the
returned `data` along the operation's selection set and the SDL: every value
has its declared type, non-null fields are not null, the contract's ids are
UUID-formatted and `port` is a decimal string. It also checks the response as
a whole: well-formed, no server error, every domain error with a code, no
password echoed (quoted by a request-level error, it is a warning). The
rules themselves are `contracts.invariants`: a request-level refusal (any 4xx,
JSON or not) is clean, as it is for `run` and `diff`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    InlineFragmentNode,
    get_operation_ast,
    parse,
)

from contracts.clauses import ClauseId
from contracts.client.exchanges import Exchange
from contracts.invariants import (
    INTERNAL_SERVER_ERROR,
    error_code,
    error_shape_problem,
    is_request_level,
    is_uuid,
    password_leak,
    port_as_string,
    refusal_problem,
    submitted_passwords,
)

if TYPE_CHECKING:
    from graphql import DocumentNode, GraphQLOutputType, GraphQLSchema, SelectionSetNode

CONTRACT_ID_TYPES = frozenset({"SmtpCustomEmail", "SmtpConfiguration"})
_TRACEBACK = "Traceback (most recent call last)"

SERVER_ERROR = "no_server_error"
WELL_FORMED = "well_formed_response"
ERROR_CODES = "error_codes"
SDL_CONFORMANCE = "sdl_conformance"
NO_PASSWORD = "no_password_echo"
CHECKS = (SERVER_ERROR, WELL_FORMED, ERROR_CODES, SDL_CONFORMANCE, NO_PASSWORD)
PASSWORD_IN_REQUEST_ERRORS = "password_in_request_errors"
WARNINGS = {PASSWORD_IN_REQUEST_ERRORS: ClauseId.SECRETS_PASSWORD_IN_REQUEST_ERRORS}
"""Checks whose findings are security warnings: they fail only when strict."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One failed check: its name and a stable title (no generated values)."""

    check: str
    title: str
    detail: str = ""


def check_response(
    schema: GraphQLSchema,
    payload: dict[str, Any],
    status: int,
    text: str,
    *,
    field: str | None = None,
) -> list[Problem]:
    """Every problem with one response to one request.

    Args:
        schema: The schema the data must conform to.
        payload: The request sent (its query and variables).
        status: The response's HTTP status.
        text: The response's raw body.
        field: The root field of the documented create when `payload` is one:
            its value must then be null beside errors, as `run` requires.
    """
    answer = Exchange(payload, True, {}, status, text, _json_or_none(text))
    if status < 500 and _TRACEBACK in text:
        return [Problem(SERVER_ERROR, "a traceback in the response")]
    refused = refusal_problem(answer, may_accept=True)
    if refused is not None:
        check = SERVER_ERROR if status >= 500 else WELL_FORMED
        return [Problem(check, refused, text[:200])]
    problems: list[Problem] = []
    if not is_request_level(answer):
        # A refusal's body and codes are the target's choice (invariants).
        problems = _shape_problems(answer.body) or _error_problems(answer, field)
        if problems and problems[0].check == WELL_FORMED:
            return problems
    leak = password_leak(answer, submitted_passwords(payload))
    if leak is ClauseId.SECRETS_PASSWORD:
        problems.append(
            Problem(NO_PASSWORD, "a submitted password appears in the response")
        )
    elif leak is not None:
        problems.append(
            Problem(
                PASSWORD_IN_REQUEST_ERRORS,
                "a request-level error quotes a submitted password",
            )
        )
    data = answer.body.get("data") if isinstance(answer.body, dict) else None
    if isinstance(data, dict):
        problems += [
            Problem(SDL_CONFORMANCE, title, detail)
            for title, detail in conformance_problems(
                schema, payload.get("query", ""), payload.get("operationName"), data
            )
        ]
    return problems


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _shape_problems(body: Any) -> list[Problem]:
    errors = body.get("errors")
    if errors is not None and (
        not isinstance(errors, list)
        or not all(
            isinstance(e, dict) and isinstance(e.get("message"), str) for e in errors
        )
    ):
        return [Problem(WELL_FORMED, "errors is not a list of entries with a message")]
    return []


def _error_problems(answer: Exchange, field: str | None) -> list[Problem]:
    # A server error outranks the shape of the error that reports it.
    for entry in answer.body.get("errors") or []:
        if error_code(entry) == INTERNAL_SERVER_ERROR:
            return [Problem(SERVER_ERROR, INTERNAL_SERVER_ERROR, entry["message"])]
    shape = error_shape_problem(answer, field=field)
    if shape is not None:
        return [Problem(ERROR_CODES, shape)]
    return []


def conformance_problems(
    schema: GraphQLSchema, query: str, operation_name: str | None, data: dict[str, Any]
) -> list[tuple[str, str]]:
    """Where `data` departs from the SDL for this operation: (title, path)."""
    try:
        document = parse(query)
    except GraphQLError:
        return []
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return []
    root = schema.get_root_type(operation.operation)
    if root is None:
        return []
    walker = _Walker(schema, document)
    walker.object(root, operation.selection_set, data, ())
    return walker.problems


class _Walker:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d
            for d in document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        self.problems: list[tuple[str, str]] = []

    def object(
        self,
        owner: Any,
        selections: SelectionSetNode,
        value: Any,
        path: tuple[str, ...],
    ) -> None:
        if not isinstance(value, dict):
            self.fail(f"{owner.name} is not an object", path)
            return
        runtime = self.schema.get_type(value.get("__typename", owner.name)) or owner
        for node in self.fields(selections, runtime):
            key = node.alias.value if node.alias else node.name.value
            if node.name.value == "__typename":
                continue
            if key not in value:
                self.fail(f"{runtime.name}.{node.name.value} is missing", (*path, key))
                continue
            field = getattr(runtime, "fields", {}).get(node.name.value)
            if field is not None:
                self.value(runtime.name, node, field.type, value[key], (*path, key))

    def fields(self, selections: SelectionSetNode, runtime: Any) -> list[FieldNode]:
        found: list[FieldNode] = []
        for node in selections.selections:
            if isinstance(node, FieldNode):
                found.append(node)
                continue
            if isinstance(node, FragmentSpreadNode):
                fragment = self.fragments.get(node.name.value)
                condition, inner = (
                    (fragment.type_condition, fragment.selection_set)
                    if fragment
                    else (None, None)
                )
            elif isinstance(node, InlineFragmentNode):
                condition, inner = node.type_condition, node.selection_set
            else:  # pragma: no cover - graphql-core has no other selection kind
                continue
            if inner is not None and (
                condition is None or condition.name.value in self.names_of(runtime)
            ):
                found += self.fields(inner, runtime)
        return found

    def names_of(self, runtime: Any) -> set[str]:
        names = {runtime.name}
        names |= {interface.name for interface in getattr(runtime, "interfaces", ())}
        for union in self.schema.type_map.values():
            if runtime in getattr(union, "types", ()):
                names.add(union.name)
        return names

    def value(
        self,
        owner: str,
        node: FieldNode,
        of_type: GraphQLOutputType,
        value: Any,
        path: tuple[str, ...],
    ) -> None:
        if isinstance(of_type, GraphQLNonNull):
            if value is None:
                self.fail(
                    f"{owner}.{node.name.value} is null but declared non-null", path
                )
                return
            of_type = of_type.of_type
        if value is None:
            return
        if isinstance(of_type, GraphQLList):
            if not isinstance(value, list):
                self.fail(f"{owner}.{node.name.value} is not a list", path)
                return
            for index, item in enumerate(value):
                self.value(owner, node, of_type.of_type, item, (*path, str(index)))
            return
        if isinstance(of_type, GraphQLScalarType):
            self.scalar(owner, node.name.value, of_type.name, value, path)
        elif isinstance(of_type, GraphQLEnumType):
            if value not in of_type.values:
                self.fail(
                    f"{owner}.{node.name.value} is not a value of {of_type.name}", path
                )
        elif node.selection_set is not None:
            self.object(of_type, node.selection_set, value, path)

    def scalar(
        self, owner: str, name: str, type_name: str, value: Any, path: tuple[str, ...]
    ) -> None:
        expected: dict[str, tuple[type, ...]] = {
            "String": (str,),
            "ID": (str,),
            "Int": (int,),
            "Float": (int, float),
            "Boolean": (bool,),
        }
        kinds = expected.get(type_name)
        if kinds is not None and (
            not isinstance(value, kinds)
            or (bool not in kinds and isinstance(value, bool))
        ):
            self.fail(f"{owner}.{name} is not a {type_name}", path)
        elif (
            owner == "SmtpConfiguration"
            and name == "port"
            and not port_as_string(value)
        ):
            self.fail("SmtpConfiguration.port is not a decimal string", path)
        elif owner in CONTRACT_ID_TYPES and name == "id" and not is_uuid(value):
            self.fail(f"{owner}.id is not UUID-formatted", path)

    def fail(self, title: str, path: tuple[str, ...]) -> None:
        self.problems.append((title, ".".join(path)))
