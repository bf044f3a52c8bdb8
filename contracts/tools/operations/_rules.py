"""Validation beyond graphql-core 3.2's rules, and Apollo's client-only parts.

graphql-core 3.2 follows graphql-js 16, which lacks the spec's Operation Type
Existence rule (graphql-js 17 adds it as `KnownOperationTypesRule`): against
a schema without a subscription type a subscription passed every rule.
"""

from __future__ import annotations

from copy import copy
from typing import TYPE_CHECKING, Any

from graphql import (
    REMOVE,
    SKIP,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    ValidationRule,
    VariableNode,
    Visitor,
    visit,
)

if TYPE_CHECKING:
    from graphql.language import SelectionSetNode

# Directives Apollo Client strips before it sends a document (`@client`
# selections go with them): local state, cache keys, rendering hints.
APOLLO_CLIENT_DIRECTIVES = frozenset({"client", "connection", "nonreactive", "unmask"})


class KnownOperationTypesRule(ValidationRule):
    """Operation Type Existence: the schema has a root type for the operation.

    See https://spec.graphql.org/September2025/#sec-Operation-Type-Existence
    """

    def enter_operation_definition(
        self, node: OperationDefinitionNode, *_: Any
    ) -> None:
        """Report an operation whose root type the schema lacks."""
        if self.context.schema.get_root_type(node.operation) is None:
            kind = node.operation.value
            message = f"The {kind} operation is not supported by the schema."
            self.report_error(GraphQLError(message, node))


def _client_only(node: Any) -> bool:
    return any(d.name.value == "client" for d in node.directives or ())


def _empty(selection_set: SelectionSetNode | None) -> bool:
    return selection_set is not None and not selection_set.selections


class _ApolloClientParts(Visitor):
    """Removes what Apollo Client removes before sending a document."""

    def __init__(self) -> None:
        super().__init__()
        self.dropped_spreads: set[str] = set()

    def enter_directive(self, node: DirectiveNode, *_: Any) -> Any:
        return REMOVE if node.name.value in APOLLO_CLIENT_DIRECTIVES else None

    def enter_field(self, node: FieldNode, *_: Any) -> Any:
        return REMOVE if _client_only(node) else None

    def enter_inline_fragment(self, node: InlineFragmentNode, *_: Any) -> Any:
        return REMOVE if _client_only(node) else None

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> Any:
        if _client_only(node):
            self.dropped_spreads.add(node.name.value)
            return REMOVE
        return None

    # A field or inline fragment left with nothing selected goes too.
    def leave_field(self, node: FieldNode, *_: Any) -> Any:
        return REMOVE if _empty(node.selection_set) else None

    def leave_inline_fragment(self, node: InlineFragmentNode, *_: Any) -> Any:
        return REMOVE if _empty(node.selection_set) else None


class _Names(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.variables: set[str] = set()
        self.spreads: set[str] = set()

    def enter_variable_definition(self, *_: Any) -> Any:
        return SKIP  # a definition is not a use

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        self.variables.add(node.name.value)

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
        self.spreads.add(node.name.value)


def without_apollo_client_parts(document: DocumentNode) -> DocumentNode:
    """The document as Apollo Client sends it.

    `@client` fields and fragments are removed, with what only they used
    (emptied selections, their variables, their fragments), and so are the
    directives of `APOLLO_CLIENT_DIRECTIVES`.
    """
    before = _Names()
    visit(document, before)
    parts = _ApolloClientParts()
    stripped = visit(document, parts)
    after = _Names()
    visit(stripped, after)
    dropped_variables = before.variables - after.variables
    definitions = []
    for definition in stripped.definitions:
        name = getattr(definition, "name", None)
        if (
            isinstance(definition, FragmentDefinitionNode)
            and name is not None
            and name.value in parts.dropped_spreads - after.spreads
        ):
            continue
        if isinstance(definition, OperationDefinitionNode) and dropped_variables:
            definition = copy(definition)
            definition.variable_definitions = tuple(
                v
                for v in definition.variable_definitions or ()
                if v.variable.name.value not in dropped_variables
            )
        definitions.append(definition)
    return DocumentNode(definitions=tuple(definitions), loc=stripped.loc)
