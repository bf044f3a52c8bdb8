"""Small walks over parsed GraphQL documents, shared by forwarding and recording."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import FragmentSpreadNode, VariableNode, Visitor, visit

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import FragmentDefinitionNode, Node


def used_fragments(
    root: Node, fragments: Mapping[str, FragmentDefinitionNode]
) -> list[FragmentDefinitionNode]:
    """Every fragment `root` reaches, directly or through other fragments."""
    found: dict[str, FragmentDefinitionNode] = {}
    pending: list[Node] = [root]
    while pending:
        for name in spread_names(pending.pop()):
            if name not in found and name in fragments:
                found[name] = fragments[name]
                pending.append(fragments[name].selection_set)
    return list(found.values())


def spread_names(node: Node) -> list[str]:
    """The names of the fragments spread directly in `node`."""
    names: list[str] = []

    class _Spreads(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_: Any) -> None:
            names.append(spread.name.value)

    visit(node, _Spreads())
    return names


def variables_in(nodes: list[Node]) -> set[str]:
    """The names of the variables the nodes use."""
    names: set[str] = set()

    class _Variables(Visitor):
        def enter_variable(self, node: VariableNode, *_: Any) -> None:
            names.add(node.name.value)

    for node in nodes:
        visit(node, _Variables())
    return names
