"""Checking request variables against their declared types, without echoing them.

graphql-core's own messages quote the rejected value, and the rejected value can
be a whole `smtpConfiguration` object with its password. These messages name
the variable and the path instead, so they are safe to return and stable
enough for fuzzers to group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLError,
    GraphQLNonNull,
    coerce_input_value,
    is_input_type,
    type_from_ast,
)
from graphql.pyutils import inspect

if TYPE_CHECKING:
    from graphql import (
        GraphQLSchema,
        OperationDefinitionNode,
        VariableDefinitionNode,
    )

    from mock_server._types import GraphQLVariables


def variable_errors(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    variables: GraphQLVariables | None,
) -> list[GraphQLError]:
    """Return one error per variable value that does not fit its type."""
    errors: list[GraphQLError] = []
    provided = variables or {}
    for definition in operation.variable_definitions:
        name = definition.variable.name.value
        var_type = type_from_ast(schema, definition.type)
        if var_type is None or not is_input_type(var_type):
            continue  # reported by validation already
        nodes = [definition]
        if name not in provided:
            if isinstance(var_type, GraphQLNonNull) and not definition.default_value:
                message = (
                    f"Variable '${name}' of required type '{var_type}' was not provided"
                )
                errors.append(GraphQLError(message, nodes))
            continue
        value = provided[name]
        if value is None and isinstance(var_type, GraphQLNonNull):
            message = (
                f"Variable '${name}' of non-null type '{var_type}' must not be null"
            )
            errors.append(GraphQLError(message, nodes))
            continue
        errors.extend(_coercion_errors(name, definition, value, var_type))
    return errors


def _coercion_errors(
    name: str, definition: VariableDefinitionNode, value: Any, var_type: Any
) -> list[GraphQLError]:
    errors: list[GraphQLError] = []

    def on_error(
        path: list[str | int], invalid_value: Any, error: GraphQLError
    ) -> None:
        where = "" if not path else " at '" + ".".join(map(str, path)) + "'"
        reason = error.message.replace(inspect(invalid_value), "the given value")
        message = f"Variable '${name}' got an invalid value{where}; {reason}"
        errors.append(GraphQLError(message, definition))

    try:
        coerce_input_value(value, var_type, on_error)
    except RecursionError:
        message = f"Variable '${name}' is nested too deeply"
        return [GraphQLError(message, definition)]
    return errors
