"""What a document's shape costs to read: the walk behind the mock's own limits.

`check_shape` counts the fragment spreads and operations a document spends of
its request's allowance and checks the `directives` and `repeats` limits
(`limits.py`); `mutation_fields` counts the mutations each operation runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
)

from mock_server.graphql.limits import (
    DIRECTIVES_CODE,
    REPEATS_CODE,
    operations_refusal,
    refusal,
    spreads_refusal,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from graphql import DirectiveNode, DocumentNode, Node, SelectionSetNode

    from mock_server.graphql.limits import Allowance, RequestLimits

__all__ = ["Shape", "check_shape", "mutation_fields"]


@dataclass(frozen=True, slots=True)
class Shape:
    """What the walk of a document found: what it spends, or the limit it passes."""

    spreads: int
    operations: int
    refusal: GraphQLError | None = None


def check_shape(
    document: DocumentNode, limits: RequestLimits, left: Allowance
) -> Shape:
    """Count the document's spreads and operations; check directives and repeats.

    One walk, each selection visited once. Selections that answer one place of
    the result are counted together, as field merging compares them: those of
    inline fragments with their selection set's, and the subselections of a
    field selected several times with each other. A fragment is walked where
    it is defined, not where it is spread.

    Args:
        document: A parsed document.
        limits: The limits on directives and repeats, and their names.
        left: What the request may still spend (`spreads`, `operations`).
    """
    walk = _ShapeWalk(limits, left.spreads)
    operations = 0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            operations += 1
            if operations > left.operations:
                refused = operations_refusal(limits.operations, definition)
                return Shape(walk.spreads, operations, refused)
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            located = [definition, *(definition.variable_definitions or ())]
            for node in located:
                error = _directives(node, node.directives, limits)
                if error is not None:
                    return Shape(walk.spreads, operations, error)
            walk.pending.append(("", [definition.selection_set]))
    while walk.pending:
        path, group = walk.pending.pop()
        error = walk.place(path, group)
        if error is not None:
            return Shape(walk.spreads, operations, error)
    return Shape(walk.spreads, operations)


class _ShapeWalk:
    def __init__(self, limits: RequestLimits, spreads_left: int) -> None:
        self.limits = limits
        self.spreads_left = spreads_left
        self.spreads = 0
        self.pending: list[tuple[str, list[SelectionSetNode]]] = []

    def place(self, path: str, group: list[SelectionSetNode]) -> GraphQLError | None:
        """Check the selection sets answering one place of the result (`path`)."""
        by_name: dict[str, list[FieldNode]] = {}
        merged = list(group)
        while merged:
            for selection in merged.pop().selections:
                error = _directives(selection, selection.directives, self.limits)
                if error is not None:
                    return error
                if isinstance(selection, FieldNode):
                    name = (selection.alias or selection.name).value
                    same = by_name.setdefault(name, [])
                    same.append(selection)
                    if len(same) > self.limits.repeats:
                        return self._repeated(f"{path}{name}", selection)
                elif isinstance(selection, InlineFragmentNode):
                    merged.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    self.spreads += 1
                    if self.spreads > self.spreads_left:
                        return spreads_refusal(self.limits.spreads, selection)
        for name, same in by_name.items():
            children = [node.selection_set for node in same if node.selection_set]
            if children:
                self.pending.append((f"{path}{name}.", children))
        return None

    def _repeated(self, path: str, node: FieldNode) -> GraphQLError:
        message = (
            f"'{path}' is selected more than {self.limits.repeats} times at one "
            "place of the result, the mock's limit"
        )
        return refusal(message, "repeats", REPEATS_CODE, node)


def _directives(
    node: Node, directives: Sequence[DirectiveNode] | None, limits: RequestLimits
) -> GraphQLError | None:
    count = len(directives or ())
    if count <= limits.directives:
        return None
    message = (
        f"{count} directives on one {node.kind.replace('_', ' ')}, more than the "
        f"mock's limit of {limits.directives}"
    )
    return refusal(message, "directives", DIRECTIVES_CODE, node)


def mutation_fields(document: DocumentNode) -> dict[str | None, int]:
    """How many root fields each mutation operation runs, fragments followed.

    `__typename` runs nothing and is not counted.
    """
    fragments: Mapping[str, FragmentDefinitionNode] = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    memo: dict[str, int] = {}
    counts: dict[str | None, int] = {}
    for definition in document.definitions:
        if (
            isinstance(definition, OperationDefinitionNode)
            and definition.operation is OperationType.MUTATION
        ):
            name = definition.name.value if definition.name else None
            counts[name] = _root_fields(definition.selection_set, fragments, memo)
    return counts


def _root_fields(
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    memo: dict[str, int],
) -> int:
    count = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            count += selection.name.value != "__typename"
        elif isinstance(selection, InlineFragmentNode):
            count += _root_fields(selection.selection_set, fragments, memo)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in memo:
                memo[name] = 0  # a cycle counts nothing (NoFragmentCycles says why)
                fragment = fragments.get(name)
                if fragment is not None:
                    memo[name] = _root_fields(fragment.selection_set, fragments, memo)
            count += memo[name]
    return count
