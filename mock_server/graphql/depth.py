"""How deeply a query may nest: the real API allows 15 levels of fields.

`depth_refusal` checks a parsed document before validation (the executor's
way: cheap, and first, issue #28); `depth_limit_rule` is the same check as a
graphql-core validation rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    ValidationRule,
)

from mock_server.domain.profile import MAX_DEPTH

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import DocumentNode, SelectionSetNode

__all__ = ["DEPTH_CODE", "MAX_DEPTH", "depth_limit_rule", "depth_refusal"]

DEPTH_CODE = "MAX_DEPTH_EXCEEDED"
_INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


def depth_refusal(document: DocumentNode, max_depth: int) -> GraphQLError | None:
    """The error refusing the first operation nested deeper than `max_depth`.

    Introspection (`__schema`, `__type`) is exempt: GraphiQL and code generators
    send deep introspection queries that must keep working. Fragments are
    followed (each measured once), and a fragment cycle stops the walk.
    """
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    memo: dict[str, int] = {}
    for definition in document.definitions:
        if (
            isinstance(definition, OperationDefinitionNode)
            and _depth(definition.selection_set, fragments, set(), memo) > max_depth
        ):
            return _refusal(definition, max_depth)
    return None


def depth_limit_rule(max_depth: int = MAX_DEPTH) -> type[ValidationRule]:
    """Return a validation rule doing what `depth_refusal` does."""

    class DepthLimitRule(ValidationRule):
        def enter_operation_definition(
            self, node: OperationDefinitionNode, *_args: Any
        ) -> None:
            fragments = {
                fragment.name.value: fragment
                for fragment in self.context.document.definitions
                if isinstance(fragment, FragmentDefinitionNode)
            }
            if _depth(node.selection_set, fragments, set(), {}) > max_depth:
                self.report_error(_refusal(node, max_depth))

    return DepthLimitRule


def _refusal(node: OperationDefinitionNode, max_depth: int) -> GraphQLError:
    return GraphQLError(
        f"Query is nested too deeply: the maximum depth is {max_depth}",
        node,
        extensions={"code": DEPTH_CODE},
    )


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
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
                deepest, 1 + _depth(selection.selection_set, fragments, visiting, memo)
            )
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(
                deepest, _depth(selection.selection_set, fragments, visiting, memo)
            )
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            # A cycle is reported by the spec's NoFragmentCycles rule; stop here.
            if fragment is None or name in visiting:
                continue
            # Memoized so that a document spreading one fragment many times
            # cannot make this walk exponential.
            if name not in memo:
                memo[name] = _depth(
                    fragment.selection_set, fragments, visiting | {name}, memo
                )
            deepest = max(deepest, memo[name])
    return deepest
