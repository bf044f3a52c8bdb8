"""How many fields an operation's introspection resolves: a limit of the mock's.

Complexity leaves introspection free, so that GraphiQL and code generators
keep working (`complexity.py`). But `__schema { types { fields { name } } }`
resolves a field per field of every type, and aliases multiply it: 200 such
aliases kept a worker busy for over a second (issue #28). This counts what
the introspection of an operation would resolve on the served schema, without
resolving it, and stops once the count passes the limit, so counting costs at
most as many steps as the limit allows.

Counted, as an upper bound: every field under `__schema` or `__type` (one per
item of each list, from the schema's own lists), fragments followed, type
conditions and `@skip`/`@include` ignored. `__type(name: $variable)` counts as
the type with the most fields. Fields outside introspection are the
complexity rule's.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    InlineFragmentNode,
    OperationDefinitionNode,
    StringValueNode,
    get_introspection_query,
    is_abstract_type,
    parse,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import DocumentNode, GraphQLSchema, SelectionSetNode

__all__ = ["full_introspection_count", "introspection_counts"]

# What each introspection object is: (kind, the schema object it describes).
_Value = tuple[str, Any]


class _Over(Exception):
    """The count passed the limit: counting stops."""


def introspection_counts(
    schema: GraphQLSchema, document: DocumentNode, limit: int
) -> dict[str | None, int]:
    """The fields each operation's introspection resolves (limit + 1 when over).

    Args:
        schema: The served schema, whose lists the count follows.
        document: A parsed document (validated or not).
        limit: Counting an operation stops once it passes this.
    """
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    counts: dict[str | None, int] = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            counter = _Counter(schema, fragments, limit)
            with contextlib.suppress(_Over):
                counter.root(definition.selection_set, set())
            name = definition.name.value if definition.name else None
            counts[name] = counter.count
    return counts


def full_introspection_count(schema: GraphQLSchema) -> int:
    """What the full introspection query (all options) resolves on `schema`."""
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    counts = introspection_counts(schema, parse(query), 2**62)
    return max(counts.values(), default=0)


class _Counter:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        limit: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.limit = limit
        self.count = 0

    def root(self, selection_set: SelectionSetNode, visiting: set[str]) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name == "__schema":
                    self.field(selection, ("schema", self.schema))
                elif name == "__type":
                    self.field(selection, ("type", self._named(selection)))
            elif isinstance(selection, InlineFragmentNode):
                self.root(selection.selection_set, visiting)
            elif isinstance(selection, FragmentSpreadNode):
                self._spread(selection.name.value, visiting, self.root)

    def field(self, node: FieldNode, value: _Value) -> None:
        self._add()
        if node.selection_set is not None and value[1] is not None:
            self.selection(node.selection_set, value, set())

    def selection(
        self, selection_set: SelectionSetNode, value: _Value, visiting: set[str]
    ) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self._add()
                if selection.selection_set is not None:
                    for child in _children(self.schema, value, selection.name.value):
                        self.selection(selection.selection_set, child, set())
            elif isinstance(selection, InlineFragmentNode):
                self.selection(selection.selection_set, value, visiting)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value

                def within(inner: SelectionSetNode, seen: set[str]) -> None:
                    self.selection(inner, value, seen)

                self._spread(name, visiting, within)

    def _spread(self, name: str, visiting: set[str], walk: Any) -> None:
        fragment = self.fragments.get(name)
        # A cycle is reported by the spec's NoFragmentCycles rule; stop here.
        if fragment is not None and name not in visiting:
            walk(fragment.selection_set, visiting | {name})

    def _add(self) -> None:
        self.count += 1
        if self.count > self.limit:
            raise _Over

    def _named(self, node: FieldNode) -> Any:
        argument = next((a for a in node.arguments if a.name.value == "name"), None)
        if argument is not None and isinstance(argument.value, StringValueNode):
            return self.schema.get_type(argument.value.value)
        # A variable: the widest type stands for it.
        return max(
            self.schema.type_map.values(),
            key=lambda t: len(getattr(t, "fields", {})),
            default=None,
        )


def _children(schema: GraphQLSchema, value: _Value, name: str) -> list[_Value]:
    """The introspection objects a field of `value` resolves to (none: a leaf)."""
    kind, item = value
    if kind == "schema":
        if name == "types":
            return [("type", t) for t in schema.type_map.values()]
        if name == "directives":
            return [("directive", d) for d in schema.directives]
        root = {
            "queryType": schema.query_type,
            "mutationType": schema.mutation_type,
            "subscriptionType": schema.subscription_type,
        }.get(name)
        return [("type", root)] if root is not None else []
    if kind == "type":
        return _type_children(schema, item, name)
    if kind in ("field", "directive") and name == "args":
        return [("input", argument) for argument in item.args.values()]
    if kind in ("field", "input") and name == "type":
        return [("type", item.type)]
    return []


def _type_children(schema: GraphQLSchema, item: Any, name: str) -> list[_Value]:
    if name == "ofType":
        wrapped = isinstance(item, GraphQLList | GraphQLNonNull)
        return [("type", item.of_type)] if wrapped else []
    if isinstance(item, GraphQLObjectType | GraphQLInterfaceType):
        if name == "fields":
            return [("field", f) for f in item.fields.values()]
        if name == "interfaces":
            return [("type", i) for i in item.interfaces]
    if name == "possibleTypes" and is_abstract_type(item):
        return [("type", t) for t in schema.get_possible_types(item)]
    if name == "enumValues" and isinstance(item, GraphQLEnumType):
        return [("leaf", v) for v in item.values.values()]
    if name == "inputFields" and isinstance(item, GraphQLInputObjectType):
        return [("input", f) for f in item.fields.values()]
    return []
