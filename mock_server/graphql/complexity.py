"""Query complexity: the real API refuses an operation that costs over 50,000.

The reference ("Limits of the whole API") says that each field adds about 1 and
that a field inside a list or connection counts once per item: `first:` items,
or a default page size of 50. Precisely, here:

- Each field of the operation costs 1, fragments followed. An alias is a field
  of its own, and a field selected twice counts twice.
- A field whose type, non-null unwrapped, is a list multiplies the cost of its
  selection by its page size: its own `first:` argument, else 50.
- A connection is a type with a `nodes` or `edges` list field (its name does
  not matter). Those two lists, when they take no `first:` of their own, count
  their selection once per item of the page asked of the field that selected
  the connection: that field's `first:`, else 50. The connection field itself
  multiplies nothing, so items are counted once, not twice, and `pageInfo` or
  `totalCount` beside `nodes` count once. For example
  `smtpConfigurations(organizationId: "o") { nodes { id host } }` costs
  1 (`smtpConfigurations`) + 1 (`nodes`) + 50 x 2 (`id`, `host`) = 102.
- `first:` is read from a literal or a variable (its value in the request, else
  its default); null, absent or not an integer counts as 50, a negative value
  as 0.
- Introspection (`__schema` and `__type` with everything below them, and
  `__typename`) costs nothing, as the depth limit exempts it.
- `@skip` and `@include` are ignored: a field they may leave out counts anyway,
  so that a cost depends on no variable but those given to `first:`.

Counting takes time linear in the document: each fragment is counted once,
whatever the number of spreads (its cost is kept as a part of its own and a
part per item of the enclosing page, so it does not depend on where it is
spread), and a selection stops being counted once its count is over the limit
(the refusal then names the count reached: "at least 50024"). A cost that
uses no variable is counted once per document, when the executor caches it;
one that does, once per request; before that, while the document is read
(ahead of the validation rules, issue #28), with each such `first:` as 0, so
that a document whose every request would be over the limit is refused early.

The reference names no code for the refusal: `MAX_COMPLEXITY_EXCEEDED` is the
mock's own choice, in the shape of the depth limit's `MAX_DEPTH_EXCEEDED`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    VariableNode,
    get_named_type,
)

from mock_server.domain.profile import MAX_COMPLEXITY

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import (
        DocumentNode,
        GraphQLNamedType,
        GraphQLSchema,
        NamedTypeNode,
        SelectionSetNode,
        ValueNode,
    )

__all__ = [
    "COMPLEXITY_CODE",
    "MAX_COMPLEXITY",
    "PAGE_SIZE",
    "Complexity",
    "DocumentCosts",
    "operation_complexity",
]

COMPLEXITY_CODE = "MAX_COMPLEXITY_EXCEEDED"
PAGE_SIZE = 50
"""Items counted for a list or connection asked without `first:`."""

_FREE = frozenset({"__schema", "__type", "__typename"})
_PAGED_LISTS = frozenset({"nodes", "edges"})
_CEILING = 2**63
"""Counts stop growing here: numbers stay small whatever the `first:` values."""

# A selection's cost: a part of its own, and a part per item of the page asked
# of the field that selected it (non-zero only when it is a connection).
_Cost = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Complexity:
    """The cost of one operation.

    Attributes:
        value: The cost, or a lower bound of it when not `exact`.
        exact: False when counting stopped early, the count being over the limit.
    """

    value: int
    exact: bool = True


class _NeedsVariables(Exception):
    """The cost depends on a variable's value: count it per request."""


_NO_VARIABLES: Mapping[str, Any] = MappingProxyType({})
"""Counting the least cost: every `first:` naming a variable counts 0 items."""


def operation_complexity(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    *,
    limit: int = MAX_COMPLEXITY,
) -> Complexity:
    """Count the cost of one operation of a validated document.

    Args:
        schema: The schema the document was validated against.
        document: The document, for its fragments.
        operation: The operation to count.
        variables: The request's raw variables (only `first:` reads them).
        limit: Counting may stop once the count is over it.
    """
    return _Counter(schema, _fragments(document), operation, variables, limit).total()


class DocumentCosts:
    """The costs of a validated document's operations, checked against a limit.

    Counted when the document enters the executor's cache; an operation whose
    cost depends on its variables is counted again on each request.
    """

    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, limit: int
    ) -> None:
        self._schema = schema
        self._fragments = _fragments(document)
        self._limit = limit
        # Operation name (None when anonymous) -> its cost, if fixed.
        self._fixed: dict[str | None, Complexity] = {}
        # The cost of every operation, with each variable `first:` as 0.
        self._least: list[tuple[OperationDefinitionNode, Complexity]] = []
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                try:
                    cost = self._count(definition, None)
                except _NeedsVariables:
                    least = self._count(definition, _NO_VARIABLES)
                    self._least.append((definition, replace(least, exact=False)))
                    continue
                self._fixed[_name(definition)] = cost
                self._least.append((definition, cost))

    def early_refusal(self) -> GraphQLError | None:
        """The error refusing an operation over the limit whatever its variables."""
        for operation, cost in self._least:
            if cost.value > self._limit:
                return self._error(operation, cost)
        return None

    def refusal(
        self, operation: OperationDefinitionNode, variables: Mapping[str, Any] | None
    ) -> GraphQLError | None:
        """The error refusing `operation` with these variables, or None."""
        cost = self._fixed.get(_name(operation))
        if cost is None:
            cost = self._count(operation, variables or {})
        if cost.value <= self._limit:
            return None
        return self._error(operation, cost)

    def _error(
        self, operation: OperationDefinitionNode, cost: Complexity
    ) -> GraphQLError:
        value = cost.value if cost.exact else f"at least {cost.value}"
        return GraphQLError(
            f"Query is too complex: its complexity is {value} "
            f"and the maximum is {self._limit}",
            operation,
            extensions={"code": COMPLEXITY_CODE},
        )

    def _count(
        self, operation: OperationDefinitionNode, variables: Mapping[str, Any] | None
    ) -> Complexity:
        counter = _Counter(
            self._schema, self._fragments, operation, variables, self._limit
        )
        return counter.total()


class _Counter:
    """One count: fragments memoized, `first:` read from `variables`.

    `variables` is None when counting before any request: a `first:` naming a
    variable then raises `_NeedsVariables`.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
        limit: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.operation = operation
        self.variables = variables
        self.limit = limit
        self.exact = True
        self.memo: dict[str, _Cost] = {}
        self.visiting: set[str] = set()

    def total(self) -> Complexity:
        root = self.schema.get_root_type(self.operation.operation)
        own, per_item = self.selection(self.operation.selection_set, root)
        # Lists named `nodes` or `edges` at the root: no page was asked.
        return Complexity(self.cap(own + per_item * PAGE_SIZE), self.exact)

    def cap(self, count: int) -> int:
        if count < _CEILING:
            return count
        self.exact = False
        return _CEILING

    def selection(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None
    ) -> _Cost:
        own = per_item = 0
        for selection in selection_set.selections:
            if own > self.limit:
                self.exact = False
                break
            if isinstance(selection, FieldNode):
                cost = self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                cost = self.selection(
                    selection.selection_set,
                    self.condition(selection.type_condition, parent),
                )
            else:
                assert isinstance(selection, FragmentSpreadNode)
                cost = self.spread(selection.name.value)
            own = self.cap(own + cost[0])
            per_item = self.cap(per_item + cost[1])
        return own, per_item

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> _Cost:
        name = node.name.value
        if name in _FREE:
            return 0, 0
        fields = (
            parent.fields
            if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
            else {}
        )
        definition = fields.get(name)
        if definition is None:  # not in a validated document
            return 1, 0
        inner = 0
        if node.selection_set is not None:
            own, per_item = self.selection(
                node.selection_set, get_named_type(definition.type)
            )
            inner = own + per_item * self.page(node) if per_item else own
        field_type = definition.type
        if isinstance(field_type, GraphQLNonNull):
            field_type = field_type.of_type
        if not isinstance(field_type, GraphQLList):
            return self.cap(1 + inner), 0
        if name in _PAGED_LISTS and _argument(node, "first") is None:
            return 1, self.cap(inner)
        return self.cap(1 + self.page(node) * inner), 0

    def spread(self, name: str) -> _Cost:
        known = self.memo.get(name)
        if known is not None:
            return known
        fragment = self.fragments.get(name)
        # A cycle is reported by the spec's NoFragmentCycles rule; stop here.
        if fragment is None or name in self.visiting:
            return 0, 0
        self.visiting.add(name)
        cost = self.selection(
            fragment.selection_set, self.condition(fragment.type_condition, None)
        )
        self.visiting.discard(name)
        self.memo[name] = cost
        return cost

    def condition(
        self, condition: NamedTypeNode | None, parent: GraphQLNamedType | None
    ) -> GraphQLNamedType | None:
        if condition is None:
            return parent
        return self.schema.get_type(condition.name.value)

    def page(self, node: FieldNode) -> int:
        value = _argument(node, "first")
        if isinstance(value, IntValueNode):
            return max(0, int(value.value))
        if not isinstance(value, VariableNode):
            return PAGE_SIZE  # absent or null
        if self.variables is None:
            raise _NeedsVariables
        if self.variables is _NO_VARIABLES:
            return 0
        name = value.name.value
        if name in self.variables:
            return _page_of(self.variables[name])
        for definition in self.operation.variable_definitions or ():
            default = definition.default_value
            if definition.variable.name.value == name and isinstance(
                default, IntValueNode
            ):
                return max(0, int(default.value))
        return PAGE_SIZE


def _page_of(value: Any) -> int:
    # Anything but an integer is refused by variable coercion later, if it runs.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return max(0, value)
    return PAGE_SIZE


def _argument(node: FieldNode, name: str) -> ValueNode | None:
    for argument in node.arguments:
        if argument.name.value == name:
            return argument.value
    return None


def _name(operation: OperationDefinitionNode) -> str | None:
    return operation.name.value if operation.name else None


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
