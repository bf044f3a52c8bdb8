"""Checking request variables against their declared types, without echoing them.

graphql-core's own messages quote the rejected value, and the rejected value can
be a whole `smtpConfiguration` object with its password. These messages name
the variable and the path instead, so they are safe to return and stable
enough for fuzzers to group. As graphql-core does, the check stops after
`MAX_ERRORS` problems: an object of 60,000 unknown keys is one request, not
60,000 messages (issue #28: listing them all kept a worker busy for minutes).
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

MAX_ERRORS = 50
"""Most problems listed for one request's variables (graphql-core's own limit)."""


class _Enough(Exception):
    """`MAX_ERRORS` problems were found: the check stops there."""


def variable_errors(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    variables: GraphQLVariables | None,
) -> list[GraphQLError]:
    """Return one error per variable value that does not fit its type.

    At most `MAX_ERRORS`, and then one more saying that the list stops there.
    """
    errors: list[GraphQLError] = []
    try:
        _check(schema, operation, variables or {}, errors)
    except _Enough:
        message = f"Too many invalid values in the variables: the first {MAX_ERRORS}"
        errors.append(GraphQLError(f"{message} are listed"))
    return errors


def _check(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    provided: GraphQLVariables,
    errors: list[GraphQLError],
) -> None:
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
                _add(errors, GraphQLError(message, nodes))
            continue
        value = provided[name]
        if value is None and isinstance(var_type, GraphQLNonNull):
            message = (
                f"Variable '${name}' of non-null type '{var_type}' must not be null"
            )
            _add(errors, GraphQLError(message, nodes))
            continue
        _coercion_errors(name, definition, value, var_type, errors)


def _add(errors: list[GraphQLError], error: GraphQLError) -> None:
    if len(errors) == MAX_ERRORS:
        raise _Enough
    errors.append(error)


def _coercion_errors(
    name: str,
    definition: VariableDefinitionNode,
    value: Any,
    var_type: Any,
    errors: list[GraphQLError],
) -> None:
    # How graphql-core quotes each rejected value, worked out once per value
    # (an object with many unknown keys is rejected once per key). The value
    # is kept with it, so that its id cannot be another's meanwhile.
    shown: dict[int, tuple[Any, str]] = {}

    def on_error(
        path: list[str | int], invalid_value: Any, error: GraphQLError
    ) -> None:
        where = "" if not path else " at '" + ".".join(map(str, path)) + "'"
        known = shown.get(id(invalid_value))
        if known is None or known[0] is not invalid_value:
            known = shown[id(invalid_value)] = (invalid_value, inspect(invalid_value))
        reason = error.message.replace(known[1], "the given value")
        message = f"Variable '${name}' got an invalid value{where}; {reason}"
        _add(errors, GraphQLError(message, definition))

    try:
        coerce_input_value(value, var_type, on_error)
    except RecursionError:
        message = f"Variable '${name}' is nested too deeply"
        _add(errors, GraphQLError(message, definition))
