from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from graphql import (
    Undefined,
    ast_from_value,
    is_required_argument,
    print_ast,
)
from graphql.utilities.find_breaking_changes import (
    is_change_safe_for_input_object_field_or_field_arg as _safe_input_change,
)

from contracts.tools.drift._changes import Change, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from graphql import GraphQLArgument, GraphQLType

_T = TypeVar("_T")
_B, _D, _S, _I = Severity.BREAKING, Severity.DANGEROUS, Severity.SAFE, Severity.INFO
# Compared as deprecations and `specifiedBy` URLs, which introspection also shows.
_SEMANTIC_DIRECTIVES = frozenset({"deprecated", "specifiedBy"})


def type_str(type_: GraphQLType | None) -> str | None:
    """A type reference as SDL spells it (`[String!]!`)."""
    return None if type_ is None else str(type_)


def paired(
    old: Mapping[str, _T], new: Mapping[str, _T]
) -> Iterator[tuple[str, _T | None, _T | None]]:
    """Every name on either side (the new order, then the removed), both elements."""
    for name in [*new, *(n for n in old if n not in new)]:
        yield name, old.get(name), new.get(name)


def default_str(value: Any, type_: GraphQLType) -> str | None:
    """A default value as SDL spells it, None when there is no default."""
    if value is Undefined:
        return None
    node = ast_from_value(value, type_)  # type: ignore[arg-type]
    return repr(value) if node is None else print_ast(node)


def _directive_uses(node: Any) -> dict[str, str] | None:
    """Directives used on an SDL element (None without SDL, e.g. introspected)."""
    if node is None:
        return None
    uses: dict[str, str] = {}
    for directive in getattr(node, "directives", None) or ():
        name = directive.name.value
        if name not in _SEMANTIC_DIRECTIVES:
            printed = print_ast(directive)
            uses[name] = f"{uses[name]} {printed}" if name in uses else printed
    return uses


class Elements:
    """Collects changes; compares the parts every kind of element shares."""

    def __init__(self, *, complete: bool = True) -> None:
        self.changes: list[Change] = []
        self.complete = complete

    def add(
        self,
        coordinate: str,
        kind: str,
        severity: Severity,
        message: str,
        old: str | None = None,
        new: str | None = None,
    ) -> None:
        self.changes.append(
            Change(coordinate, kind, severity, message, old=old, new=new)
        )

    def described(self, coordinate: str, old: str | None, new: str | None) -> None:
        if old != new:
            self.add(
                coordinate,
                "description-changed",
                _I,
                f"The description of {coordinate} changed.",
                old,
                new,
            )

    def deprecated(self, coordinate: str, old: str | None, new: str | None) -> None:
        if old == new:
            return
        if new is None:
            message = f"{coordinate} is no longer deprecated."
        elif old is None:
            message = f"{coordinate} was deprecated: {new}"
        else:
            message = f"The deprecation reason of {coordinate} changed to: {new}"
        self.add(coordinate, "deprecation-changed", _I, message, old, new)

    def usages(self, coordinate: str, old_node: Any, new_node: Any) -> None:
        old, new = _directive_uses(old_node), _directive_uses(new_node)
        if old is None or new is None:
            return  # one side was introspected: its uses are unknown
        for name in sorted(set(old) | set(new)):
            where, before, after = f"{coordinate}.@{name}", old.get(name), new.get(name)
            if before is None:
                self.add(
                    where,
                    "directive-usage-added",
                    _D,
                    f"{after} was added to {coordinate}.",
                    None,
                    after,
                )
            elif after is None:
                self.add(
                    where,
                    "directive-usage-removed",
                    _D,
                    f"{before} was removed from {coordinate}.",
                    before,
                )
            elif before != after:
                self.add(
                    where,
                    "directive-usage-changed",
                    _D,
                    f"{before} on {coordinate} changed to {after}.",
                    before,
                    after,
                )

    def listed(
        self, name: str, what: str, new: list[str], old: list[str], fresh: bool
    ) -> None:
        for added in (n for n in new if n not in old):
            self.add(
                name,
                f"{what}-added",
                _S if fresh else _D,
                f"{added} was added to {name} ({what}).",
                None,
                added,
            )
        for removed in (n for n in old if n not in new):
            self.add(
                name,
                f"{what}-removed",
                _B,
                f"{removed} was removed from {name} ({what}).",
                removed,
            )

    def element(self, where: str, old: Any, new: Any) -> None:
        """Description, deprecation and directives used: on every element."""
        self.described(where, old.description, new.description)
        self.deprecated(where, old.deprecation_reason, new.deprecation_reason)
        self.usages(where, old.ast_node, new.ast_node)

    def arguments(
        self,
        owner: str,
        old: Mapping[str, GraphQLArgument],
        new: Mapping[str, GraphQLArgument],
        *,
        fresh: bool,
        directive: bool = False,
    ) -> None:
        for arg_name, before, after in paired(old, new):
            where = f"{owner}({arg_name}:)"
            if after is None:
                self.add(where, "argument-removed", _B, f"{where} was removed.")
            elif before is None:
                required = is_required_argument(after)
                optional = _S if fresh or directive else _D
                self.add(
                    where,
                    "argument-added",
                    _B if required and not fresh else optional,
                    f"{'A required' if required else 'An optional'} argument "
                    f"{where} was added.",
                    None,
                    type_str(after.type),
                )
            else:
                self.valued(where, "argument", before, after)

    def valued(self, where: str, kind: str, old: Any, new: Any) -> None:
        """An argument or input field present on both sides."""
        if str(old.type) != str(new.type):
            safe = _safe_input_change(old.type, new.type)
            self.add(
                where,
                f"{kind}-type-changed",
                _S if safe else _B,
                f"{where} changed type from {old.type} to {new.type}.",
                type_str(old.type),
                type_str(new.type),
            )
        before = default_str(old.default_value, old.type)
        after = default_str(new.default_value, new.type)
        if before != after:
            self.add(
                where,
                f"{kind}-default-changed",
                _D,
                f"The default of {where} changed from {before} to {after}.",
                before,
                after,
            )
        self.element(where, old, new)
