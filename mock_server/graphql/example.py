"""GraphiQL's opening document, derived from the loaded SDL at start-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import GraphQLObjectType, get_named_type

from mock_server.graphql.sdl import CREATE_MUTATION

if TYPE_CHECKING:
    from graphql import GraphQLSchema

MAX_SELECTION_DEPTH = 4

EXAMPLE_VARIABLES = {
    "input": {
        "senderName": "Acme",
        "emailAddress": "a@acme.example",
        "smtpConfiguration": {
            "host": "relay.acme.internal",
            "port": 25,
            "organizationId": "980700673",
            "ipRelayAuth": True,
        },
    }
}
"""The variables GraphiQL opens with: a create the packaged schema accepts."""


def example_operation(schema: GraphQLSchema) -> str:
    """Return the documented mutation with every argument-free output field.

    Built from the schema, so a user's own SDL shows their own fields.
    """
    assert schema.mutation_type is not None  # checked by load_schema_sdl
    field = schema.mutation_type.fields[CREATE_MUTATION]
    input_type = field.args["input"].type
    selection = _selection(get_named_type(field.type), "  ", MAX_SELECTION_DEPTH)
    name = CREATE_MUTATION[0].upper() + CREATE_MUTATION[1:]
    return (
        "# The documented mutation; its input is under Variables. Run it twice\n"
        "# to see the duplicate error. With --token, set the Authorization\n"
        "# header under Headers.\n"
        f"mutation {name}($input: {input_type}) {{\n"
        f"  {CREATE_MUTATION}(input: $input) {selection}\n"
        "}\n"
    )


def _selection(named_type: object, indent: str, depth: int) -> str:
    if not isinstance(named_type, GraphQLObjectType):
        return ""
    lines = []
    for name, field in named_type.fields.items():
        if field.args:
            continue
        inner = get_named_type(field.type)
        if isinstance(inner, GraphQLObjectType):
            if depth > 1:
                nested = _selection(inner, indent + "  ", depth - 1)
                lines.append(f"{indent}  {name} {nested}")
        else:
            lines.append(f"{indent}  {name}")
    return "{\n" + "\n".join(lines) + f"\n{indent}}}"
