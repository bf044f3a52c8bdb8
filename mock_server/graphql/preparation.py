"""Reading a query text once: parse, the limits, validation, compiled plans.

The order keeps the cost of any document small (issue #28): the parser stops
at what is left of the request's tokens; then the API's documented limits
(depth, complexity) and the mock's own (`limits.py`: the walk of `shapes.py`,
then `introspection.py`) are checked by cheap walks; only a document within
them meets graphql-core's validation rules, whose cost grows with repeated
selections; last, each operation is compiled
(`mock_server.graphql._compiler.plans`) when it can be.

Results are cached by query text in a bounded LRU, so the request path does no
per-request schema work for known documents, and a flood of distinct documents
can only evict, never grow memory.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graphql import (
    GraphQLError,
    OperationDefinitionNode,
    parse,
    specified_rules,
    validate,
)

from mock_server.graphql._compiler.plans import compile_operation
from mock_server.graphql.complexity import DocumentCosts
from mock_server.graphql.depth import depth_refusal
from mock_server.graphql.introspection import (
    full_introspection_count,
    introspection_counts,
)
from mock_server.graphql.limits import (
    INTROSPECTION_CODE,
    OPERATIONS_CODE,
    SPREADS_CODE,
    TOKENS_CODE,
    Allowance,
    count_tokens,
    introspection_refusal,
    is_token_limit,
    operations_refusal,
    spreads_refusal,
    tokens_refusal,
)
from mock_server.graphql.shapes import check_shape, mutation_fields

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping

    from graphql import DocumentNode, GraphQLSchema

    from mock_server.graphql._compiler.plans import CompiledOperation, Resolver
    from mock_server.graphql.limits import RequestLimits

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
_SHARED_CODES = (TOKENS_CODE, SPREADS_CODE, OPERATIONS_CODE, INTROSPECTION_CODE)
_TOO_DEEP = "The document nests fragments or selections too deeply to be read"


@dataclass(frozen=True, slots=True)
class Prepared:
    """A query text read once: its document, or why it cannot run.

    Attributes:
        document: The parsed, valid document; None when refused.
        errors: Why it was refused (parse, a limit, validation).
        code: `OK`, or the refusal's default `extensions.code`.
        tokens: How many tokens the document holds (0 when not parsed).
        spreads: How many fragment spreads it holds (0 when not counted).
        operations: How many operations it holds (0 when not counted).
        plans: Operation name (None when anonymous) -> compiled plan.
        costs: The operations' complexity, for the ones that need variables.
        mutation_fields: Mutation operation name -> the root fields it runs.
        introspection: Operation name -> the fields its introspection resolves.
    """

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...] = ()
    code: str = "OK"
    tokens: int = 0
    spreads: int = 0
    operations: int = 0
    plans: Mapping[str | None, CompiledOperation] = field(default_factory=dict)
    costs: DocumentCosts | None = None
    mutation_fields: Mapping[str | None, int] = field(default_factory=dict)
    introspection: Mapping[str | None, int] = field(default_factory=dict)


class Preparer:
    """Reads query texts against one schema, caching what it read.

    Args:
        schema: The schema documents are validated against.
        limits: The mock's own limits (`tokens` and the shape ones).
        max_depth: Deepest allowed nesting of fields (introspection exempt).
        max_complexity: Costliest operation allowed.
        cache_size: How many distinct query texts to keep.
        sync_resolvers: Passed to `compile_operation`.
        dict_readers: Passed to `compile_operation`.
        compiled: False compiles nothing.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        *,
        limits: RequestLimits,
        max_depth: int,
        max_complexity: int,
        cache_size: int,
        sync_resolvers: Collection[Resolver] = (),
        dict_readers: Collection[Resolver] = (),
        compiled: bool = True,
    ) -> None:
        self.schema = schema
        self._limits = limits
        self._max_depth = max_depth
        self._max_complexity = max_complexity
        self._cache_size = cache_size
        self._cache: OrderedDict[str, Prepared] = OrderedDict()
        self._sync_resolvers = tuple(sync_resolvers)
        self._dict_readers = tuple(dict_readers)
        self._compiled = compiled
        self.introspection_limit = self._introspection_limit()

    def use_schema(self, schema: GraphQLSchema) -> None:
        """Read later documents against `schema`; forget those read before."""
        self.schema = schema
        self._cache.clear()
        self.introspection_limit = self._introspection_limit()

    def _introspection_limit(self) -> int:
        # GraphiQL and code generators must always get the schema they ask for.
        full = 2 * full_introspection_count(self.schema)
        return max(self._limits.introspection, full)

    def prepare(self, query: str, allowance: Allowance) -> Prepared:
        """Read one query text, spending what reading it costs from `allowance`."""
        prepared = self._cache.get(query)
        if prepared is not None:
            self._cache.move_to_end(query)
        else:
            left = Allowance(
                tokens=max(min(allowance.tokens, self._limits.tokens), 0),
                spreads=max(min(allowance.spreads, self._limits.spreads), 0),
                operations=max(min(allowance.operations, self._limits.operations), 0),
                mutations=allowance.mutations,
                introspection=max(
                    min(allowance.introspection, self.introspection_limit), 0
                ),
            )
            prepared = self._prepare(query, left)
            # A refusal for want of what is left of a batch's allowance is not
            # the document's own: it is not kept.
            limits = self._limits
            full = (limits.tokens, limits.spreads, limits.operations)
            partial = (left.tokens, left.spreads, left.operations) != full
            partial = partial or left.introspection != self.introspection_limit
            if not (partial and prepared.code in _SHARED_CODES):
                self._cache[query] = prepared
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        if prepared.code == TOKENS_CODE or prepared.tokens > allowance.tokens:
            allowance.tokens = 0  # the request is over: later documents are too
            return _refused(tokens_refusal(self._limits.tokens), PARSE_FAILED)
        if prepared.spreads > allowance.spreads:
            error = spreads_refusal(self._limits.spreads)
            return _refused(error, VALIDATION_FAILED)
        if prepared.operations > allowance.operations:
            error = operations_refusal(self._limits.operations)
            return _refused(error, VALIDATION_FAILED)
        allowance.tokens -= prepared.tokens
        allowance.spreads -= prepared.spreads
        allowance.operations -= prepared.operations
        return prepared

    def _prepare(self, query: str, left: Allowance) -> Prepared:
        try:
            document = parse(query, max_tokens=left.tokens)
        except GraphQLError as error:
            if is_token_limit(error, left.tokens):
                error = tokens_refusal(self._limits.tokens)
            return _refused(error, PARSE_FAILED)
        tokens = count_tokens(document)
        spreads, operations, introspection = 0, 0, {}
        try:
            costs = DocumentCosts(self.schema, document, self._max_complexity)
            refusal = depth_refusal(document, self._max_depth) or costs.early_refusal()
            if refusal is None:
                shape = check_shape(document, self._limits, left)
                refusal, spreads, operations = (
                    shape.refusal,
                    shape.spreads,
                    shape.operations,
                )
            if refusal is None:
                limit = left.introspection
                introspection = introspection_counts(self.schema, document, limit)
                if max(introspection.values(), default=0) > limit:
                    refusal = introspection_refusal(self.introspection_limit)
        except RecursionError:
            refusal = GraphQLError(_TOO_DEEP)
        if refusal is not None:
            return _refused(refusal, VALIDATION_FAILED, tokens)
        errors = validate(self.schema, document, specified_rules)
        if errors:
            return Prepared(
                None, tuple(errors), VALIDATION_FAILED, tokens, spreads, operations
            )
        return Prepared(
            document,
            tokens=tokens,
            spreads=spreads,
            operations=operations,
            plans=self._plans(document),
            costs=costs,
            mutation_fields=mutation_fields(document),
            introspection=introspection,
        )

    def _plans(self, document: DocumentNode) -> dict[str | None, CompiledOperation]:
        if not self._compiled:
            return {}
        plans: dict[str | None, CompiledOperation] = {}
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                plan = compile_operation(
                    self.schema,
                    document,
                    definition,
                    sync_resolvers=self._sync_resolvers,
                    dict_readers=self._dict_readers,
                )
                if plan is not None:
                    name = definition.name.value if definition.name else None
                    plans[name] = plan
        return plans


def _refused(error: GraphQLError, default_code: str, tokens: int = 0) -> Prepared:
    code = (error.extensions or {}).get("code") or default_code
    return Prepared(None, (error,), str(code), tokens)


def payload_problem(payload: object) -> str | None:
    """What makes a decoded body no GraphQL request (no `query` string, ...)."""
    if not isinstance(payload, dict):
        return "A GraphQL request must be a JSON object"
    query = payload.get("query")
    if not isinstance(query, str) or not query.strip():
        return "The request has no 'query' string"
    if not isinstance(payload.get("variables", None), dict | None):
        return "'variables' must be a JSON object or null"
    if not isinstance(payload.get("operationName", None), str | None):
        return "'operationName' must be a string or null"
    if not isinstance(payload.get("extensions", None), dict | None):
        return "'extensions' must be a JSON object or null"
    return None
