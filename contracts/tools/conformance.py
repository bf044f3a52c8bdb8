"""Strict checks of GraphQL responses, for fuzzing any operation of the schema.

Schemathesis's own response check for GraphQL is shallow; this one walks the
returned `data` along the operation's selection set and the SDL: every value
has its declared type, non-null fields are not null, the contract's ids are
UUID-formatted and `port` is a decimal string. It also checks the response as
a whole: well-formed, no server error, every error with a code, no password
echoed.
"""

from __future__ import annotations

import contextlib
import json
import re
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
    ObjectFieldNode,
    StringValueNode,
    Visitor,
    get_operation_ast,
    parse,
    visit,
)

from contracts.checks import UUID_TEXT

if TYPE_CHECKING:
    from graphql import DocumentNode, GraphQLOutputType, GraphQLSchema, SelectionSetNode

CONTRACT_ID_TYPES = frozenset({"SmtpCustomEmail", "SmtpConfiguration"})
_DECIMAL = re.compile(r"^-?[0-9]+$")
_TRACEBACK = "Traceback (most recent call last)"

SERVER_ERROR = "no_server_error"
WELL_FORMED = "well_formed_response"
ERROR_CODES = "error_codes"
SDL_CONFORMANCE = "sdl_conformance"
NO_PASSWORD = "no_password_echo"
CHECKS = (SERVER_ERROR, WELL_FORMED, ERROR_CODES, SDL_CONFORMANCE, NO_PASSWORD)


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
) -> list[Problem]:
    """Every problem with one response to one request."""
    if status >= 500:
        return [Problem(SERVER_ERROR, f"HTTP {status}", text[:200])]
    if _TRACEBACK in text:
        return [Problem(SERVER_ERROR, "a traceback in the response")]
    try:
        body = json.loads(text)
    except ValueError:
        return [Problem(WELL_FORMED, "the body is not JSON", text[:200])]
    problems = _shape_problems(body)
    if problems:
        return problems
    problems += _error_problems(body.get("errors") or [])
    problems += [
        Problem(NO_PASSWORD, "a submitted password appears in the response")
        for secret in passwords_in(payload)
        if secret in text
    ][:1]
    if isinstance(body.get("data"), dict):
        problems += [
            Problem(SDL_CONFORMANCE, title, detail)
            for title, detail in conformance_problems(
                schema,
                payload.get("query", ""),
                payload.get("operationName"),
                body["data"],
            )
        ]
    return problems


def _shape_problems(body: Any) -> list[Problem]:
    if not isinstance(body, dict) or not ({"data", "errors"} & set(body)):
        return [Problem(WELL_FORMED, "not a GraphQL response (no data, no errors)")]
    errors = body.get("errors")
    if errors is not None and (
        not isinstance(errors, list)
        or not all(
            isinstance(e, dict) and isinstance(e.get("message"), str) for e in errors
        )
    ):
        return [Problem(WELL_FORMED, "errors is not a list of entries with a message")]
    return []


def _error_problems(errors: list[dict[str, Any]]) -> list[Problem]:
    problems = []
    for entry in errors:
        code = (entry.get("extensions") or {}).get("code")
        if not code:
            problems.append(
                Problem(ERROR_CODES, "an error entry has no extensions.code")
            )
        elif code == "INTERNAL_SERVER_ERROR":
            problems.append(
                Problem(SERVER_ERROR, "INTERNAL_SERVER_ERROR", entry["message"])
            )
    return problems[:1]


def passwords_in(payload: dict[str, Any]) -> set[str]:
    """Passwords a request submits, in its variables or inline in its query.

    Short passwords, and passwords that also stand in another field of the
    request (which may be echoed legitimately), are left out: finding them in
    a response would prove nothing.
    """
    secrets: set[str] = set()
    others: set[str] = set()
    _collect_strings(payload.get("variables"), secrets, others)

    class Inline(Visitor):
        def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
            if isinstance(node.value, StringValueNode):
                into = secrets if node.name.value == "password" else others
                into.add(node.value.value)

    # An unparsable query submits nothing inline.
    with contextlib.suppress(GraphQLError):
        visit(parse(payload.get("query", "")), Inline())
    return {
        secret
        for secret in secrets
        if len(secret) >= 6 and not any(secret in other for other in others)
    }


def _collect_strings(value: Any, secrets: set[str], others: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                (secrets if key == "password" else others).add(item)
            else:
                _collect_strings(item, secrets, others)
    elif isinstance(value, list):
        for item in value:
            _collect_strings(item, secrets, others)


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
            and not _DECIMAL.match(str(value))
        ):
            self.fail("SmtpConfiguration.port is not a decimal string", path)
        elif (
            owner in CONTRACT_ID_TYPES
            and name == "id"
            and not UUID_TEXT.match(str(value))
        ):
            self.fail(f"{owner}.id is not UUID-formatted", path)

    def fail(self, title: str, path: tuple[str, ...]) -> None:
        self.problems.append((title, ".".join(path)))
