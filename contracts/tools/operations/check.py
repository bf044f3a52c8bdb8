"""Checking a frontend's documents against a provider's schema.

Each document is validated whole, as a server receives it, by every rule of
the spec's Validation section: graphql-core's `specified_rules` (Executable
Definitions, Operation Name Uniqueness, Lone Anonymous Operation, Fragments
Must Be Used, ...) plus Operation Type Existence, which graphql-core 3.2
lacks. A document is its own definitions, then the fragments its
interpolations bring (as graphql-tag appends them), then, by name, the
fragments it spreads but does not define, from any other source: two sources
defining one name differently is an error, since which one the build uses is
not for this tool to guess. Recorded documents are taken as they were sent.

An error inside an operation, or inside a fragment it uses, fails that
operation; one in no operation (a type definition, an unused fragment, a
fragment clash) fails every operation of the document, since a server refuses
the whole document. A document of fragments only (a fragments file) is a
library: its fragments are checked, but being unused there is no error.
Fields marked `@deprecated` still work: using one is a warning, never a
failure.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    NoUnusedFragmentsRule,
    Visitor,
    print_ast,
    specified_rules,
    validate,
    visit,
)
from graphql.validation import NoDeprecatedCustomRule

from contracts.tools.operations._rules import (
    KnownOperationTypesRule,
    without_apollo_client_parts,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from graphql import GraphQLError, GraphQLSchema, Node

    from contracts.tools.operations._positions import Position
    from contracts.tools.operations.sources import SourceDocument, Sources

RULES = (*specified_rules, KnownOperationTypesRule)
_LIBRARY_RULES = tuple(r for r in RULES if r is not NoUnusedFragmentsRule)
_Pool = dict[str, list[FragmentDefinitionNode]]


@dataclass(frozen=True, slots=True)
class Finding:
    """One message about one operation.

    Attributes:
        severity: `error` (the provider would refuse it) or `warning` (it
            works, but uses something deprecated).
        message: The rule's message.
        position: Where the offending node is (file:line:column).
        see_also: The other places the message is about (a duplicate's first).
    """

    severity: Literal["error", "warning"]
    message: str
    position: Position | None = None
    see_also: tuple[Position, ...] = ()


@dataclass(frozen=True, slots=True)
class OperationVerdict:
    """An operation, a document or an unreadable source, and its findings.

    Attributes:
        name: The operation's name, `<anonymous>`, `fragment A, B` for a
            document of fragments only, or `<not GraphQL>`.
        position: Where it starts.
        findings: What is wrong with it.
        kind: `operation`, `document` or `source`.
        clients: For a recorded operation, the clients that sent it.
        documents_named: For a recorded operation, how many distinct recorded
            documents carry its name.
    """

    name: str
    position: Position
    findings: tuple[Finding, ...]
    kind: Literal["operation", "document", "source"] = "operation"
    clients: tuple[str, ...] = ()
    documents_named: int = 0

    @property
    def broken(self) -> bool:
        """Whether the provider would refuse it."""
        return any(f.severity == "error" for f in self.findings)

    @property
    def source(self) -> str:
        """Its file."""
        return self.position.path

    @property
    def line(self) -> int:
        """Its line."""
        return self.position.line

    @property
    def location(self) -> str:
        """`file:line:column`, as editors and CI annotations read it."""
        return str(self.position)


def check_operations(
    schema: GraphQLSchema, sources: Sources, *, apollo: bool = False
) -> list[OperationVerdict]:
    """Validate every document of `sources` against `schema`.

    Args:
        schema: The provider's schema.
        sources: What `read_sources` read.
        apollo: Remove Apollo Client's client-only parts (`@client`,
            `@connection`, ...) first, as Apollo Client does before sending.
    """
    verdicts = [
        OperationVerdict(
            "<not GraphQL>" if p.severity == "error" else "<not read>",
            p.position,
            (Finding(p.severity, p.message, p.position),),
            "source",
        )
        for p in sources.problems
    ]
    pool: _Pool = {}
    for document in sources.documents:
        if document.kind != "record":
            for fragment in document.fragments:
                known = pool.setdefault(fragment.name.value, [])
                if all(print_ast(k) != print_ast(fragment) for k in known):
                    known.append(fragment)
    where = {id(d.source): d for d in sources.documents}
    named = Counter(
        op.name.value
        for d in sources.documents
        if d.kind == "record"
        for op in d.operations
        if op.name
    )
    for document in sources.documents:
        checked = _Checked(document, where)
        verdicts += checked.run(schema, pool, apollo, named)
    return verdicts


class _Spreads(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[FragmentSpreadNode] = []

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        self.nodes.append(node)


def _spreads(node: Node) -> list[FragmentSpreadNode]:
    found = _Spreads()
    visit(node, found)
    return found.nodes


class _Checked:
    """One document, assembled and validated, its errors given to operations."""

    def __init__(self, document: SourceDocument, where: dict[int, SourceDocument]):
        self.document = document
        self.where = where
        self.definitions = list(document.document.definitions)
        self.clashes: list[Finding] = []

    def position(self, node: Node) -> Position:
        loc = node.loc
        assert loc is not None  # parsed nodes keep their location
        return self.where[id(loc.source)].position(loc.start)

    def run(
        self, schema: GraphQLSchema, pool: _Pool, apollo: bool, named: Counter[str]
    ) -> list[OperationVerdict]:
        self._include()
        if self.document.kind != "record":
            self._from_pool(pool)
        assembled = DocumentNode(definitions=tuple(self.definitions))
        if apollo:
            assembled = without_apollo_client_parts(assembled)
        operations = self.document.operations
        rules = RULES if operations else _LIBRARY_RULES
        errors = validate(schema, assembled, rules)
        warnings = (
            [] if errors else validate(schema, assembled, [NoDeprecatedCustomRule])
        )
        findings: list[tuple[Literal["error", "warning"], GraphQLError]] = [
            *(("error", e) for e in errors),
            *(("warning", w) for w in warnings),
        ]
        reach = [self._reached(op, assembled) for op in operations]
        per_operation: list[list[Finding]] = [[] for _ in operations]
        rest: list[Finding] = list(self.clashes)
        for severity, error in findings:
            owners = self._owners(error, operations, reach, assembled)
            for index, node in owners.items():
                per_operation[index].append(self._finding(severity, error, node))
            if not owners:
                rest.append(self._finding(severity, error, None))
        # What is in no operation (a type definition, an unused fragment) makes
        # the whole document invalid: each of its operations is refused.
        verdicts = [
            self._verdict(op, (*found, *rest), named)
            for op, found in zip(operations, per_operation, strict=True)
        ]
        if rest and not operations:
            first = self.document.document.definitions[0]
            fragments = [f.name.value for f in self.document.fragments]
            name = f"fragment {', '.join(fragments)}" if fragments else "<document>"
            verdicts.append(
                OperationVerdict(name, self.position(first), tuple(rest), "document")
            )
        return verdicts

    def _include(self) -> None:
        """Append the fragments of interpolated documents, as graphql-tag does."""
        printed = {print_ast(d) for d in self.definitions}
        pending, seen = list(self.document.includes), {id(self.document)}
        while pending:
            included = pending.pop(0)
            if id(included) in seen:
                continue
            seen.add(id(included))
            pending += included.includes
            for fragment in included.fragments:
                if print_ast(fragment) not in printed:
                    printed.add(print_ast(fragment))
                    self.definitions.append(fragment)

    def _from_pool(self, pool: _Pool) -> None:
        """Add, by name, the fragments spread here but defined elsewhere."""
        defined = {
            d.name.value
            for d in self.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        pending = [s for d in self.definitions for s in _spreads(d)]
        while pending:
            spread = pending.pop(0)
            name = spread.name.value
            if name in defined or name not in pool:
                continue
            defined.add(name)
            fragment, *others = pool[name]
            self.definitions.append(fragment)
            pending += _spreads(fragment)
            if others:
                places = [str(self.position(f)) for f in (fragment, *others)]
                message = (
                    f"Fragment '{name}' is defined differently in "
                    f"{' and '.join(places)}, and this document defines none: "
                    "which one it means is unclear. Define or import it here, "
                    "or rename one."
                )
                self.clashes.append(Finding("error", message, self.position(spread)))

    def _reached(self, operation: Node, assembled: DocumentNode) -> set[int]:
        """The fragment definitions (by id) an operation reaches."""
        fragments: dict[str, FragmentDefinitionNode] = {}
        for d in assembled.definitions:
            if isinstance(d, FragmentDefinitionNode):
                fragments.setdefault(d.name.value, d)
        reached: set[int] = set()
        pending = [operation]
        while pending:
            for spread in _spreads(pending.pop()):
                fragment = fragments.get(spread.name.value)
                if fragment is not None and id(fragment) not in reached:
                    reached.add(id(fragment))
                    pending.append(fragment)
        return reached

    def _owners(
        self,
        error: GraphQLError,
        operations: Sequence[Node],
        reach: list[set[int]],
        assembled: DocumentNode,
    ) -> dict[int, Node]:
        """The operations an error is about, each with its node in them."""
        owners: dict[int, Node] = {}
        for node in error.nodes or ():
            for index, operation in enumerate(operations):
                inside = _contains(operation, node) or any(
                    id(f) in reach[index] and _contains(f, node)
                    for f in assembled.definitions
                    if isinstance(f, FragmentDefinitionNode)
                )
                if inside:
                    owners.setdefault(index, node)
        return owners

    def _finding(
        self,
        severity: Literal["error", "warning"],
        error: GraphQLError,
        node: Node | None,
    ) -> Finding:
        nodes = [n for n in error.nodes or () if n.loc is not None]
        node = node or (nodes[0] if nodes else None)
        position = self.position(node) if node is not None else None
        others = tuple(self.position(n) for n in nodes if n is not node)
        return Finding(severity, error.message, position, others)

    def _verdict(
        self, operation: Node, findings: tuple[Finding, ...], named: Counter[str]
    ) -> OperationVerdict:
        name = getattr(operation, "name", None)
        record = self.document.kind == "record"
        return OperationVerdict(
            name.value if name else "<anonymous>",
            self.position(operation),
            findings,
            clients=self.document.clients if record else (),
            documents_named=named[name.value] if record and name else 0,
        )


def _contains(outer: Node, inner: Node) -> bool:
    a, b = outer.loc, inner.loc
    return (
        a is not None
        and b is not None
        and a.source is b.source
        and a.start <= b.start < a.end
    )
