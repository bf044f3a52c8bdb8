"""A validation rule limiting how deeply a query may nest (the real API allows 15)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    ValidationRule,
)

from mock_server.domain.profile import MAX_DEPTH

if TYPE_CHECKING:
    from graphql import SelectionSetNode, ValidationContext

__all__ = ["MAX_DEPTH", "depth_limit_rule"]

_INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


def depth_limit_rule(max_depth: int = MAX_DEPTH) -> type[ValidationRule]:
    """Return a rule rejecting operations nested deeper than `max_depth` fields.

    Introspection (`__schema`, `__type`) is exempt: GraphiQL and code generators
    send deep introspection queries that must keep working.
    """

    class DepthLimitRule(ValidationRule):
        def enter_operation_definition(
            self, node: OperationDefinitionNode, *_args: Any
        ) -> None:
            depth = _depth(node.selection_set, self.context, set(), {})
            if depth > max_depth:
                self.report_error(
                    GraphQLError(
                        f"Query is nested too deeply: the maximum depth is {max_depth}",
                        node,
                        extensions={"code": "MAX_DEPTH_EXCEEDED"},
                    )
                )

    return DepthLimitRule


def _depth(
    selection_set: SelectionSetNode | None,
    context: ValidationContext,
    visiting: set[str],
    memo: dict[str, int],
) -> int:
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value in _INTROSPECTION_FIELDS:
                continue
            deepest = max(
                deepest, 1 + _depth(selection.selection_set, context, visiting, memo)
            )
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(
                deepest, _depth(selection.selection_set, context, visiting, memo)
            )
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = context.get_fragment(name)
            # A cycle is reported by the spec's NoFragmentCycles rule; stop here.
            if fragment is None or name in visiting:
                continue
            # Memoized so that a document spreading one fragment many times
            # cannot make this rule exponential.
            if name not in memo:
                memo[name] = _depth(
                    fragment.selection_set, context, visiting | {name}, memo
                )
            deepest = max(deepest, memo[name])
    return deepest
