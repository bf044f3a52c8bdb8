"""Every difference between two schemas, element by element.

graphql-core's change detection reports only what can break or endanger a
client, and nothing about default values of input fields, descriptions,
deprecations or directives used on elements (issue #19). This walk visits
every element of both schemas; severities for clients in general follow
graphql-core's rules (and `_core` raises any that graphql-core grades higher).
A type that is new is listed with all its parts, as graphql-inspector does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    is_required_input_field,
)
from graphql.utilities.find_breaking_changes import (
    is_change_safe_for_object_or_interface_field as _safe_output_change,
)

from contracts.tools.drift._changes import Change, Severity
from contracts.tools.drift._elements import Elements, paired, type_str

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import (
        GraphQLDirective,
        GraphQLField,
        GraphQLInputField,
        GraphQLNamedType,
        GraphQLSchema,
    )

_B, _D, _S = Severity.BREAKING, Severity.DANGEROUS, Severity.SAFE
PLAIN_INTROSPECTION = "smtp_contract_plain_introspection"
"""Marks (in `GraphQLSchema.extensions`) a schema from the plain introspection
query: its schema description, specifiedBy URLs and repeatable flags are unknown."""
_ROOTS = ("query", "mutation", "subscription")


def walk(old: GraphQLSchema, new: GraphQLSchema) -> list[Change]:
    """Every change from `old` to `new`, in schema order."""
    # What a plain introspection cannot tell is not compared (see PLAIN_INTROSPECTION).
    found = _Walk(
        complete=not any(s.extensions.get(PLAIN_INTROSPECTION) for s in (old, new))
    )
    for root in _ROOTS:
        old_root, new_root = (getattr(s, f"{root}_type") for s in (old, new))
        old_name = old_root.name if old_root else None
        new_name = new_root.name if new_root else None
        if old_name != new_name:
            found.add(
                "schema",
                "root-type-changed",
                _B,
                f"The {root} root type changed from {old_name} to {new_name}.",
                old_name,
                new_name,
            )
    if found.complete:
        found.described("schema", old.description, new.description)
    found.usages("schema", old.ast_node, new.ast_node)
    names = sorted(set(old.type_map) | set(new.type_map))
    for name in (n for n in names if not n.startswith("__")):
        found.named_type(old.type_map.get(name), new.type_map.get(name), name)
    old_directives = {d.name: d for d in old.directives}
    new_directives = {d.name: d for d in new.directives}
    for name in sorted(set(old_directives) | set(new_directives)):
        found.directive(old_directives.get(name), new_directives.get(name), name)
    return found.changes


def _kind(named: GraphQLNamedType) -> str:
    return type(named).__name__.removeprefix("GraphQL").removesuffix("Type")


class _Walk(Elements):
    def named_type(
        self, old: GraphQLNamedType | None, new: GraphQLNamedType | None, name: str
    ) -> None:
        if new is None:
            self.add(name, "type-removed", _B, f"{name} was removed.")
        elif old is None:
            self.add(name, "type-added", _S, f"{name} was added.")
            self.members(None, new, name)
        elif _kind(old) != _kind(new):
            self.add(
                name,
                "type-kind-changed",
                _B,
                f"{name} changed from {_kind(old)} to {_kind(new)}.",
                _kind(old),
                _kind(new),
            )
        else:
            self.described(name, old.description, new.description)
            self.usages(name, old.ast_node, new.ast_node)
            self.members(old, new, name)

    def members(self, old: Any, new: GraphQLNamedType, name: str) -> None:
        """The parts of a type; `old` None means the whole type is new."""
        if isinstance(new, GraphQLObjectType | GraphQLInterfaceType):
            self.listed(
                name,
                "interface",
                [i.name for i in new.interfaces],
                [i.name for i in old.interfaces] if old else [],
                old is None,
            )
            self.fields(name, old.fields if old else {}, new.fields, old is None)
        elif isinstance(new, GraphQLUnionType):
            self.listed(
                name,
                "union-member",
                [t.name for t in new.types],
                [t.name for t in old.types] if old else [],
                old is None,
            )
        elif isinstance(new, GraphQLEnumType):
            self.enum_values(name, old.values if old else {}, new.values, old is None)
        elif isinstance(new, GraphQLInputObjectType):
            self.inputs(name, old.fields if old else {}, new.fields, fresh=old is None)
        elif isinstance(new, GraphQLScalarType) and self.complete:
            before, after = old.specified_by_url if old else None, new.specified_by_url
            if before != after:
                self.add(
                    name,
                    "specified-by-changed",
                    _D,
                    f"The specifiedBy URL of {name} changed to {after}.",
                    before,
                    after,
                )

    def fields(
        self,
        name: str,
        old: Mapping[str, GraphQLField],
        new: Mapping[str, GraphQLField],
        fresh: bool,
    ) -> None:
        for field_name, before, after in paired(old, new):
            where = f"{name}.{field_name}"
            if after is None:
                self.add(where, "field-removed", _B, f"{where} was removed.")
                continue
            if before is None:
                self.add(
                    where,
                    "field-added",
                    _S,
                    f"{where} was added.",
                    None,
                    type_str(after.type),
                )
                self.arguments(where, {}, after.args, fresh=True)
                continue
            if str(before.type) != str(after.type):
                safe = _safe_output_change(before.type, after.type)
                self.add(
                    where,
                    "field-type-changed",
                    _S if safe else _B,
                    f"{where} changed type from {before.type} to {after.type}.",
                    type_str(before.type),
                    type_str(after.type),
                )
            self.element(where, before, after)
            self.arguments(where, before.args, after.args, fresh=fresh)

    def inputs(
        self,
        name: str,
        old: Mapping[str, GraphQLInputField],
        new: Mapping[str, GraphQLInputField],
        *,
        fresh: bool,
    ) -> None:
        for field_name, before, after in paired(old, new):
            where = f"{name}.{field_name}"
            if after is None:
                self.add(where, "input-field-removed", _B, f"{where} was removed.")
            elif before is None:
                required = is_required_input_field(after)
                severity = _S if fresh else _B if required else _D
                self.add(
                    where,
                    "input-field-added",
                    severity,
                    f"{'A required' if required else 'An optional'} input field "
                    f"{where} was added.",
                    None,
                    type_str(after.type),
                )
            else:
                self.valued(where, "input-field", before, after)

    def enum_values(
        self, name: str, old: Mapping[str, Any], new: Mapping[str, Any], fresh: bool
    ) -> None:
        for value_name, before, after in paired(old, new):
            where = f"{name}.{value_name}"
            if after is None:
                self.add(where, "enum-value-removed", _B, f"{where} was removed.")
            elif before is None:
                self.add(
                    where,
                    "enum-value-added",
                    _S if fresh else _D,
                    f"{where} was added.",
                )
            else:
                self.element(where, before, after)

    def directive(
        self, old: GraphQLDirective | None, new: GraphQLDirective | None, name: str
    ) -> None:
        where = f"@{name}"
        if new is None:
            self.add(where, "directive-removed", _B, f"{where} was removed.")
            return
        if old is None:
            self.add(where, "directive-added", _S, f"{where} was added.")
        else:
            self.described(where, old.description, new.description)
            if self.complete and old.is_repeatable != new.is_repeatable:
                self.add(
                    where,
                    "directive-repeatable-changed",
                    _B if old.is_repeatable else _S,
                    f"{where} is {'no longer ' if old.is_repeatable else ''}"
                    "repeatable.",
                )
        old_locations = [loc.name for loc in old.locations] if old else []
        self.listed(
            where,
            "directive-location",
            [loc.name for loc in new.locations],
            old_locations,
            fresh=True,
        )
        self.arguments(
            where, old.args if old else {}, new.args, fresh=old is None, directive=True
        )
