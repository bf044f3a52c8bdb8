"""Fast coercion of variables and arguments for the common case: values that fit.

graphql-core's `get_variable_values` and `get_argument_values` walk every value
generically so that they can report each problem precisely. Most requests
carry valid values, so `compile_variables` and `compile_arguments` turn an
operation's definitions into plain functions that build the same values the
way graphql-core does (each scalar's own `parse_value`, defaults, `out_type`,
`value_from_ast` for literals) and give up at the first doubt by raising
`Unsure`. The caller then asks graphql-core, which builds the value or reports
errors exactly as it always does; nothing here ever produces an error message.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, cast

from graphql import (
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    NullValueNode,
    ObjectValueNode,
    Undefined,
    VariableNode,
    is_input_type,
    is_leaf_type,
    type_from_ast,
    value_from_ast,
)
from graphql.pyutils import is_iterable

if TYPE_CHECKING:
    from graphql import (
        FieldNode,
        GraphQLArgument,
        GraphQLField,
        GraphQLInputField,
        GraphQLInputType,
        GraphQLLeafType,
        GraphQLSchema,
        ValueNode,
        VariableDefinitionNode,
    )

MAX_DEPTH = 32
"""Deeper values are left to graphql-core, which has its own nesting limit."""

_Coerce = Callable[[Any, int], Any]
VariablesCoercer = Callable[[dict[str, Any]], dict[str, Any]]
ArgumentsBuilder = Callable[[dict[str, Any]], dict[str, Any]]
_Build = Callable[[dict[str, Any]], Any]
# One entry of an argument list or object literal: output name, the variable
# it names (if it is one), how to build it (None: the default), the default,
# and whether it is required.
_Entry = tuple[str, "str | None", "_Build | None", Any, bool]


class Unsure(Exception):
    """The fast path cannot vouch for this value; ask graphql-core."""


def compile_variables(
    schema: GraphQLSchema, definitions: Collection[VariableDefinitionNode]
) -> VariablesCoercer | None:
    """Return a coercer for an operation's variables, or None if it has none.

    The coercer returns what graphql-core's `get_variable_values` returns for
    valid variables, and raises `Unsure` (or RecursionError) otherwise.
    """
    compiler = _Compiler()
    variables: list[tuple[str, _Coerce, ValueNode | None, Any, bool]] = []
    for definition in definitions:
        var_type = type_from_ast(schema, definition.type)
        if var_type is None or not is_input_type(var_type):
            return None  # validation rejects these; graphql-core reports them
        variables.append(
            (
                definition.variable.name.value,
                compiler.coercer(cast("GraphQLInputType", var_type)),
                definition.default_value,
                var_type,
                isinstance(var_type, GraphQLNonNull),
            )
        )

    def coerce(inputs: dict[str, Any]) -> dict[str, Any]:
        coerced: dict[str, Any] = {}
        for name, coerce_value, default, var_type, required in variables:
            if name not in inputs:
                if default is not None:
                    coerced[name] = value_from_ast(default, var_type)
                elif required:
                    raise Unsure
                continue
            coerced[name] = coerce_value(inputs[name], 0)
        return coerced

    return coerce


class _Compiler:
    def __init__(self) -> None:
        # Input objects by name, so that a recursive input type compiles once.
        self._objects: dict[str, _Coerce] = {}

    def coercer(self, input_type: GraphQLInputType) -> _Coerce:
        if isinstance(input_type, GraphQLNonNull):
            return _non_null(self.coercer(input_type.of_type))
        if isinstance(input_type, GraphQLList):
            return _list(self.coercer(input_type.of_type))
        if isinstance(input_type, GraphQLInputObjectType):
            return self._object(input_type)
        assert is_leaf_type(input_type)
        return _leaf(input_type)  # type: ignore[arg-type]

    def _object(self, object_type: GraphQLInputObjectType) -> _Coerce:
        known = self._objects.get(object_type.name)
        if known is not None:
            return known
        if getattr(object_type, "is_one_of", False):  # graphql-core >= 3.2.6
            return _never
        fields: list[tuple[str, str, _Coerce, Any, bool]] = []

        def coerce(value: Any, depth: int) -> Any:
            if value is None or value is Undefined:
                return None
            if not isinstance(value, dict) or depth > MAX_DEPTH:
                raise Unsure
            coerced: dict[str, Any] = {}
            present = 0
            for name, out_name, coerce_field, default, required in fields:
                if name in value:
                    present += 1
                    coerced[out_name] = coerce_field(value[name], depth + 1)
                elif default is not Undefined:
                    coerced[out_name] = default
                elif required:
                    raise Unsure
            if present != len(value):
                raise Unsure  # a field the type does not define
            return object_type.out_type(coerced)

        self._objects[object_type.name] = coerce
        for name, field in object_type.fields.items():
            fields.append(
                (
                    name,
                    field.out_name or name,
                    self.coercer(field.type),
                    field.default_value,
                    isinstance(field.type, GraphQLNonNull),
                )
            )
        return coerce


def _never(_value: Any, _depth: int) -> Any:
    raise Unsure


def _non_null(inner: _Coerce) -> _Coerce:
    def coerce(value: Any, depth: int) -> Any:
        if value is None or value is Undefined:
            raise Unsure
        return inner(value, depth)

    return coerce


def _list(item: _Coerce) -> _Coerce:
    def coerce(value: Any, depth: int) -> Any:
        if value is None or value is Undefined:
            return None
        if depth > MAX_DEPTH:
            raise Unsure
        if is_iterable(value):
            return [item(entry, depth + 1) for entry in value]
        return [item(value, depth + 1)]  # a single value counts as a list of one

    return coerce


def _leaf(leaf_type: GraphQLLeafType) -> _Coerce:
    parse_value = leaf_type.parse_value

    def coerce(value: Any, _depth: int) -> Any:
        if value is None or value is Undefined:
            return None
        try:
            parsed = parse_value(value)
        except Exception as error:
            raise Unsure from error
        if parsed is Undefined:
            raise Unsure
        return parsed

    return coerce


def compile_arguments(definition: GraphQLField, node: FieldNode) -> ArgumentsBuilder:
    """Return a builder of one field's arguments from the coerced variables.

    It returns what graphql-core's `get_argument_values` returns when that
    succeeds, and raises `Unsure` otherwise.
    """
    values = {argument.name.value: argument.value for argument in node.arguments}
    entries = _entries(definition.args, values)
    if entries is None:
        return _unsure

    def build(variables: dict[str, Any]) -> dict[str, Any]:
        return _assemble(entries, variables)

    return build


def _entries(
    definitions: dict[str, GraphQLArgument] | dict[str, GraphQLInputField],
    values: dict[str, ValueNode],
) -> list[_Entry] | None:
    entries: list[_Entry] = []
    for name, definition in definitions.items():
        out_name = definition.out_name or name
        required = isinstance(definition.type, GraphQLNonNull)
        value = values.get(name)
        if value is None:
            if definition.default_value is not Undefined:
                entries.append((out_name, None, None, definition.default_value, False))
            elif required:
                return None  # validation refuses this; graphql-core says why
            continue
        variable = value.name.value if isinstance(value, VariableNode) else None
        build = _builder(value, definition.type)
        entries.append((out_name, variable, build, definition.default_value, required))
    return entries


def _assemble(entries: list[_Entry], variables: dict[str, Any]) -> dict[str, Any]:
    built: dict[str, Any] = {}
    for out_name, variable, build, default, required in entries:
        if build is None:
            built[out_name] = default
        elif variable is not None and variable not in variables:
            # A variable that was not sent counts as a missing value.
            if default is not Undefined:
                built[out_name] = default
            elif required:
                raise Unsure
        else:
            built[out_name] = build(variables)
    return built


def _builder(node: ValueNode, input_type: GraphQLInputType) -> _Build:
    required = isinstance(input_type, GraphQLNonNull)
    if isinstance(node, VariableNode):
        name = node.name.value

        def read(variables: dict[str, Any]) -> Any:
            value = variables.get(name, Undefined)
            if value is Undefined or (value is None and required):
                raise Unsure
            return value

        return read
    nullable = (
        input_type.of_type if isinstance(input_type, GraphQLNonNull) else input_type
    )
    if isinstance(node, NullValueNode):
        return _unsure if required else _null
    if (
        isinstance(node, ObjectValueNode)
        and isinstance(nullable, GraphQLInputObjectType)
        and not getattr(nullable, "is_one_of", False)
    ):
        values = {field.name.value: field.value for field in node.fields}
        entries = _entries(nullable.fields, values)
        if entries is None or not values.keys() <= nullable.fields.keys():
            return _unsure
        out_type = nullable.out_type

        def build(variables: dict[str, Any]) -> Any:
            return out_type(_assemble(entries, variables))

        return build

    def literal(variables: dict[str, Any]) -> Any:
        # Lists and scalars: graphql-core's own conversion, every time.
        value = value_from_ast(node, input_type, variables)
        if value is Undefined:
            raise Unsure
        return value

    return literal


def _unsure(_variables: dict[str, Any]) -> Any:
    raise Unsure


def _null(_variables: dict[str, Any]) -> None:
    return None
