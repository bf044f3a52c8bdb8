"""Checking a frontend's operations against a provider's schema.

Each operation is validated with the fragments it uses, by graphql-core's own
rules (the rules every GraphQL server applies before running anything), so an
operation that fails here is one the provider would refuse. Fields marked
`@deprecated` still work: using one is a warning, never a failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    NoUnusedFragmentsRule,
    Visitor,
    specified_rules,
    validate,
    visit,
)
from graphql.validation import NoDeprecatedCustomRule

if TYPE_CHECKING:
    from graphql import GraphQLSchema, Node

    from contracts.tools.operations.sources import SourceOperation, Sources

# Only the fragments an operation uses are sent with it, so an unused one
# cannot occur; the rule would only flag fragments from other sources.
_RULES = tuple(rule for rule in specified_rules if rule is not NoUnusedFragmentsRule)


@dataclass(frozen=True, slots=True)
class Finding:
    """One message about one operation.

    Attributes:
        severity: `error` (the provider would refuse the operation) or
            `warning` (it works, but uses something deprecated).
        message: graphql-core's validation message.
    """

    severity: Literal["error", "warning"]
    message: str


@dataclass(frozen=True, slots=True)
class OperationVerdict:
    """An operation (or a source that could not be read) and its findings."""

    name: str
    source: str
    line: int
    findings: tuple[Finding, ...]

    @property
    def broken(self) -> bool:
        """Whether the provider would refuse it."""
        return any(f.severity == "error" for f in self.findings)

    @property
    def location(self) -> str:
        """`file:line`, as editors and CI annotations read it."""
        return f"{self.source}:{self.line}"


def check_operations(schema: GraphQLSchema, sources: Sources) -> list[OperationVerdict]:
    """Validate every operation of `sources` against `schema`."""
    verdicts = [
        OperationVerdict("<not GraphQL>", source, line, (Finding("error", message),))
        for source, line, message in sources.problems
    ]
    for operation in sources.operations:
        document = with_fragments(operation, sources.fragments)
        errors = validate(schema, document, _RULES)
        warnings = (
            [] if errors else validate(schema, document, [NoDeprecatedCustomRule])
        )
        findings = [Finding("error", e.message) for e in errors]
        findings += [Finding("warning", w.message) for w in warnings]
        verdicts.append(
            OperationVerdict(
                operation.name or "<anonymous>",
                operation.source,
                operation.line,
                tuple(findings),
            )
        )
    return verdicts


class _SpreadCollector(Visitor):
    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        self.names.append(node.name.value)


def with_fragments(
    operation: SourceOperation, pool: dict[str, FragmentDefinitionNode]
) -> DocumentNode:
    """The operation and every fragment it reaches, its own document's first.

    This is the document that is validated (and what graphql-inspector is
    given in the oracle test).
    """
    found: dict[str, FragmentDefinitionNode] = {}
    pending: list[Node] = [operation.operation]
    while pending:
        names: list[str] = []
        visit(pending.pop(), _SpreadCollector(names))
        for name in names:
            fragment = operation.fragments.get(name) or pool.get(name)
            if name not in found and fragment is not None:
                found[name] = fragment
                pending.append(fragment)
    return DocumentNode(definitions=(operation.operation, *found.values()))
