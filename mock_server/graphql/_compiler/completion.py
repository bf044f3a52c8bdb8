"""What a compiled plan does per request: resolve fields and complete values.

`plans.py` fixes, once per operation, which fields run and how each value is
completed; the `Run` here carries one request's variables, context and errors
through them, step for step as graphql-core 3.2's `execute` does.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLResolveInfo,
    Undefined,
    get_argument_values,
    located_error,
)
from graphql.pyutils import Path, inspect, is_awaitable, is_iterable

from mock_server.graphql._compiler.coercion import ArgumentsBuilder, Unsure

if TYPE_CHECKING:
    from graphql import (
        FieldNode,
        GraphQLField,
        GraphQLLeafType,
        GraphQLObjectType,
        GraphQLOutputType,
    )

    from mock_server.graphql._compiler.plans import CompiledOperation

ABSENT = object()

Resolver = Callable[..., Any]
Completer = Callable[["Run", Any, Path], Any]


@dataclass(slots=True)
class Field:
    """One field of a selection set, with everything a request needs fixed."""

    key: str
    name: str
    nodes: list[FieldNode]
    definition: GraphQLField
    parent: GraphQLObjectType
    resolve: Resolver | None  # None: `__typename`, answered by `constant`
    constant: str | None
    reads_dict: bool  # the resolver answers a plain dict's own key with it
    # Python types the field's scalar serializes unchanged (String: str).
    passes_as_is: tuple[type, ...]
    arguments: ArgumentsBuilder | None  # None: the field takes none
    non_null: bool
    complete: Completer


class Run:
    """The state of one request: its variables, context and errors."""

    __slots__ = ("context", "errors", "operation", "variables")

    def __init__(
        self, operation: CompiledOperation, context: object, variables: dict[str, Any]
    ) -> None:
        self.operation = operation
        self.context = context
        self.variables = variables
        # Plain appends: fields run one after another, so no error can arrive
        # under a position already nulled (graphql-core must filter those).
        self.errors: list[GraphQLError] = []

    def resolve(self, field: Field, source: Any, path: Path) -> Any:
        if field.reads_dict and type(source) is dict and field.name in source:
            return source[field.name]
        if field.resolve is None:
            return field.constant
        plan = self.operation
        info = GraphQLResolveInfo(
            field.name,
            field.nodes,
            field.definition.type,
            field.parent,
            path,
            plan.schema,
            plan.fragments,
            None,
            plan.node,
            self.variables,
            self.context,
            is_awaitable,
        )
        if field.arguments is None:
            return field.resolve(source, info)
        try:
            arguments = field.arguments(self.variables)
        except Unsure:
            # graphql-core builds them, or raises the error it always raises.
            arguments = get_argument_values(
                field.definition, field.nodes[0], self.variables
            )
        return field.resolve(source, info, **arguments)

    def fail(self, raw: Exception, field: Field, path: Path) -> None:
        error = located_error(raw, field.nodes, path.as_list())
        if field.non_null:
            raise error
        self.errors.append(error)

    def fields(self, fields: list[Field], source: Any, path: Path | None) -> Any:
        results: dict[str, Any] = {}
        plain = type(source) is dict
        for field in fields:
            if plain and field.reads_dict:
                # Most fields: a value its scalar would serialize to itself.
                value = source.get(field.name, ABSENT)
                if type(value) in field.passes_as_is:
                    results[field.key] = value
                    continue
            field_path = Path(path, field.key, field.parent.name)
            try:
                value = self.resolve(field, source, field_path)
                results[field.key] = field.complete(self, value, field_path)
            except Exception as raw:
                self.fail(raw, field, field_path)
                results[field.key] = None
        return results

    async def root_fields(self, fields: list[Field]) -> dict[str, Any]:
        # One after another: the order mutations must run in; a compiled query
        # has a single root field, so nothing is lost by not running them at once.
        results: dict[str, Any] = {}
        for field in fields:
            path = Path(None, field.key, field.parent.name)
            results[field.key] = await self.root_field(field, path)
        return results

    async def root_field(self, field: Field, path: Path) -> Any:
        try:
            value = self.resolve(field, None, path)
            if is_awaitable(value):
                value = await value
            if (
                isinstance(value, AsyncIterable)
                and not is_iterable(value)
                and isinstance(nullable(field.definition.type), GraphQLList)
            ):
                value = [item async for item in value]
            return field.complete(self, value, path)
        except Exception as raw:
            self.fail(raw, field, path)
            return None


def nullable(output_type: GraphQLOutputType) -> GraphQLOutputType:
    if isinstance(output_type, GraphQLNonNull):
        return output_type.of_type  # type: ignore[no-any-return]
    return output_type


def non_null(inner: Completer, parent_name: str, field_name: str) -> Completer:
    message = f"Cannot return null for non-nullable field {parent_name}.{field_name}."

    def complete(run: Run, value: Any, path: Path) -> Any:
        if isinstance(value, Exception):
            raise value
        completed = inner(run, value, path)
        if completed is None:
            raise TypeError(message)
        return completed

    return complete


def list_of(
    item: Completer, nodes: list[FieldNode], items_non_null: bool, field: str
) -> Completer:
    message = f"Expected Iterable, but did not find one for field '{field}'."

    def complete(run: Run, value: Any, path: Path) -> Any:
        if isinstance(value, Exception):
            raise value
        if value is None or value is Undefined:
            return None
        if not is_iterable(value):
            raise GraphQLError(message)
        completed = []
        for index, entry in enumerate(value):
            item_path = path.add_key(index, None)
            try:
                completed.append(item(run, entry, item_path))
            except Exception as raw:
                error = located_error(raw, nodes, item_path.as_list())
                if items_non_null:
                    raise error from raw
                run.errors.append(error)
                completed.append(None)
        return completed

    return complete


def leaf(leaf_type: GraphQLLeafType) -> Completer:
    serialize = leaf_type.serialize

    def complete(_run: Run, value: Any, _path: Path) -> Any:
        if isinstance(value, Exception):
            raise value
        if value is None or value is Undefined:
            return None
        serialized = serialize(value)
        if serialized is Undefined or serialized is None:
            raise TypeError(
                f"Expected `{inspect(leaf_type)}.serialize({inspect(value)})`"
                f" to return non-nullable value, returned: {inspect(serialized)}"
            )
        return serialized

    return complete


def object_of(fields: list[Field]) -> Completer:
    def complete(run: Run, value: Any, path: Path) -> Any:
        if isinstance(value, Exception):
            raise value
        if value is None or value is Undefined:
            return None
        return run.fields(fields, value, path)

    return complete
