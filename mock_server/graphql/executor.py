"""Running one GraphQL request: parse, validate, pick the operation, execute.

Parsing and validation results (`depth.py` is a validation rule), and each
operation's cost (`complexity.py`) unless it depends on variables, are cached
by query text in a bounded LRU, so the request path does no per-request schema
work for known documents, and a flood of distinct documents can only evict,
never grow memory. Each cached operation is also compiled once
(`mock_server.graphql._compiler.plans`) when it can be, so that executing it
skips graphql-core's per-request planning. Both limits hold whichever way an
operation then runs (compiled, graphql-core's `execute`, or forwarded).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache
from inspect import isawaitable
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
    get_variable_values,
    parse,
    specified_rules,
    validate,
)

from mock_server.graphql._compiler.plans import (
    CompiledOperation,
    Resolver,
    compile_operation,
)
from mock_server.graphql.complexity import (
    COMPLEXITY_CODE,
    MAX_COMPLEXITY,
    DocumentCosts,
)
from mock_server.graphql.depth import MAX_DEPTH, depth_limit_rule
from mock_server.graphql.error_format import (
    UNAVAILABLE_CODE,
    error_entry,
    format_errors,
)
from mock_server.graphql.variables import variable_errors

if TYPE_CHECKING:
    from collections.abc import Collection

    from graphql import GraphQLSchema

    from mock_server._types import JSONObject
    from mock_server.graphql.context import Caller
    from mock_server.graphql.forwarding import Router, Split
    from mock_server.graphql.operation_log import OperationRecorder

DOCUMENT_CACHE_SIZE = 512
_VARIABLES_MISFIT = "The variables do not fit the types the operation declares"


class Failure(enum.Enum):
    """Why a request did not run (or not fully): the web layer maps it to HTTP.

    Field errors (a domain problem, a resolver bug) are not failures: the
    operation ran, and its result carries them.
    """

    INVALID_REQUEST = "invalid-request"
    """Nothing ran: a malformed request, document or variables."""
    MUTATION_NOT_ALLOWED = "mutation-not-allowed"
    """Nothing ran: a mutation sent where only queries may run (GET)."""
    UNAVAILABLE = "unavailable"
    """It ran, but the store was down: worth retrying."""


@dataclass(frozen=True, slots=True)
class GraphQLResult:
    """One request's result, plus what the access log records.

    Attributes:
        body: The JSON body (`data` and/or `errors`).
        operation: The operation's name, or its type when anonymous.
        outcome: `OK`, or the first error's `extensions.code`.
        failure: Why it did not run (or not fully); None when it ran.
    """

    body: JSONObject | list[Any]
    operation: str | None = None
    outcome: str = "OK"
    failure: Failure | None = None


@dataclass(frozen=True, slots=True)
class _Prepared:
    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    code: str
    # Operation name (None when anonymous) -> plan, for the compilable ones.
    plans: dict[str | None, CompiledOperation]
    costs: DocumentCosts | None = None


class Executor:
    """Runs GraphQL requests against one executable schema.

    Args:
        schema: The schema with resolvers bound.
        max_depth: Deepest allowed nesting of fields (introspection exempt).
        max_complexity: Costliest operation run (see
            `mock_server.graphql.complexity`).
        cache_size: How many distinct query texts to keep parsed and validated.
        sync_resolvers: Resolvers that never return awaitables; see
            `compile_operation`.
        dict_readers: Resolvers that answer a plain dict's own key with it.
        compiled: False runs every operation through graphql-core's `execute`.
        router: Sends the root fields the mock does not implement upstream
            (`serve --upstream`).
        recorder: Records each distinct operation (`serve --record-operations`).
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        *,
        max_depth: int = MAX_DEPTH,
        max_complexity: int = MAX_COMPLEXITY,
        cache_size: int = DOCUMENT_CACHE_SIZE,
        sync_resolvers: Collection[Resolver] = (),
        dict_readers: Collection[Resolver] = (),
        compiled: bool = True,
        router: Router | None = None,
        recorder: OperationRecorder | None = None,
    ) -> None:
        self.schema = schema
        self._router = router
        self._recorder = recorder
        self.needs_caller = router is not None or recorder is not None
        self._rules = (*specified_rules, depth_limit_rule(max_depth))
        self._max_complexity = max_complexity
        self._sync_resolvers = tuple(sync_resolvers)
        self._dict_readers = tuple(dict_readers)
        self._compiled = compiled
        self._prepare = lru_cache(maxsize=cache_size)(self._prepare_uncached)

    def use_schema(self, schema: GraphQLSchema) -> None:
        """Run later requests against `schema` (`serve --watch`).

        Cached documents were validated and compiled against the old schema,
        so the cache starts empty; requests already running finish on the old.
        """
        self.schema = schema
        self._prepare.cache_clear()
        if self._recorder is not None:
            self._recorder.schema = schema

    async def run(
        self,
        payload: object,
        correlation_id: str,
        context: object,
        *,
        read_only: bool = False,
        caller: Caller | None = None,
    ) -> GraphQLResult:
        """Run one request body (already decoded from JSON or a query string).

        Args:
            payload: Should be an object with `query`, and optionally
                `variables` and `operationName`.
            correlation_id: Added to every error entry.
            context: Passed to resolvers as `info.context` (the caller's session).
            read_only: True for GET requests, which may only run queries.
            caller: Who sent it (only needed when `needs_caller`).
        """
        problem = _payload_problem(payload)
        if problem is not None:
            return invalid_request(problem, correlation_id, "BAD_REQUEST")
        assert isinstance(payload, dict)  # checked by _payload_problem
        prepared = self._prepare(payload["query"])
        if prepared.document is None:
            errors = format_errors(
                list(prepared.errors), correlation_id, default_code=prepared.code
            )
            return GraphQLResult(
                {"errors": errors},
                outcome=prepared.code,
                failure=Failure.INVALID_REQUEST,
            )
        operation_name = payload.get("operationName")
        operation = get_operation_ast(prepared.document, operation_name)
        if operation is None:
            message = (
                f"Unknown operation named '{operation_name}'"
                if operation_name
                else "Must provide operation name if query contains multiple operations"
            )
            return invalid_request(message, correlation_id, "BAD_REQUEST")
        label = operation.name.value if operation.name else operation.operation.value
        if operation.operation is OperationType.SUBSCRIPTION:
            return invalid_request(
                "Subscriptions are not supported", correlation_id, "BAD_REQUEST", label
            )
        if read_only and operation.operation is OperationType.MUTATION:
            return invalid_request(
                "Mutations must be sent with POST; GET may only run queries",
                correlation_id,
                "METHOD_NOT_ALLOWED",
                label,
                failure=Failure.MUTATION_NOT_ALLOWED,
            )
        assert prepared.costs is not None  # every valid document has them
        refusal = prepared.costs.refusal(operation, payload.get("variables"))
        if refusal is not None:
            errors = format_errors(
                [refusal], correlation_id, default_code=COMPLEXITY_CODE
            )
            return GraphQLResult(
                {"errors": errors}, label, COMPLEXITY_CODE, Failure.INVALID_REQUEST
            )
        if self._recorder is not None:
            client = caller.client if caller else "unknown"
            self._recorder.record(
                payload["query"], prepared.document, operation, client
            )
        if self._router is not None:
            split = self._router.split(prepared.document, operation)
            if split is not None:
                return await self._forward(
                    split, operation, payload, correlation_id, context, label, caller
                )
        plan = prepared.plans.get(operation.name.value if operation.name else None)
        return await self._execute(
            prepared.document, plan, payload, correlation_id, context, label
        )

    async def _execute(
        self,
        document: DocumentNode,
        plan: CompiledOperation | None,
        payload: JSONObject,
        correlation_id: str,
        context: object,
        label: str,
    ) -> GraphQLResult:
        if plan is not None:
            result = await plan.execute(context, payload.get("variables"))
        else:
            executed = execute(
                self.schema,
                document,
                context_value=context,
                variable_values=payload.get("variables"),
                operation_name=payload.get("operationName"),
            )
            result = await executed if isawaitable(executed) else executed
        if not result.errors:
            return GraphQLResult({"data": result.data}, label)
        if result.data is None and all(error.path is None for error in result.errors):
            # Variables that do not fit their types: nothing ran. graphql-core's
            # messages quote the rejected values (maybe a password), so they are
            # rebuilt without them, only on this rare path.
            operation = get_operation_ast(document, payload.get("operationName"))
            assert operation is not None  # selected before executing
            safe = variable_errors(self.schema, operation, payload.get("variables"))
            errors = format_errors(
                safe or [GraphQLError(_VARIABLES_MISFIT)],
                correlation_id,
                default_code="BAD_USER_INPUT",
            )
            return GraphQLResult(
                {"errors": errors}, label, "BAD_USER_INPUT", Failure.INVALID_REQUEST
            )
        errors = format_errors(
            result.errors, correlation_id, default_code="INTERNAL_SERVER_ERROR"
        )
        outcome = errors[0]["extensions"]["code"]
        # The store being down is worth a retry, unlike a domain error.
        failure = Failure.UNAVAILABLE if outcome == UNAVAILABLE_CODE else None
        return GraphQLResult(
            {"data": result.data, "errors": errors}, label, outcome, failure
        )

    async def _forward(
        self,
        split: Split,
        operation: OperationDefinitionNode,
        payload: JSONObject,
        correlation_id: str,
        context: object,
        label: str,
        caller: Caller | None,
    ) -> GraphQLResult:
        assert self._router is not None  # only called with one
        variables = payload.get("variables")
        coerced = get_variable_values(
            self.schema, operation.variable_definitions or (), variables or {}
        )
        if isinstance(coerced, list):
            # Variables that do not fit: the same safe 400 as any operation.
            document = DocumentNode(definitions=(operation,))
            return await self._execute(
                document, None, payload, correlation_id, context, label
            )

        async def run_local(local: DocumentNode) -> ExecutionResult:
            executed = execute(
                self.schema,
                local,
                context_value=context,
                variable_values=variables,
                operation_name=payload.get("operationName"),
            )
            return await executed if isawaitable(executed) else executed

        body = await self._router.run(
            split,
            self.schema,
            operation,
            run_local,
            variables=variables,
            authorization=caller.authorization if caller else None,
            correlation_id=correlation_id,
            format_local_errors=lambda result: format_errors(
                result.errors or [],
                correlation_id,
                default_code="INTERNAL_SERVER_ERROR",
            ),
        )
        errors = body.get("errors") or []
        outcome = (
            str((errors[0].get("extensions") or {}).get("code")) if errors else "OK"
        )
        return GraphQLResult(body, label, outcome)

    def _prepare_uncached(self, query: str) -> _Prepared:
        try:
            document = parse(query)
        except GraphQLError as error:
            return _Prepared(None, (error,), "GRAPHQL_PARSE_FAILED", {})
        errors = validate(self.schema, document, self._rules)
        if errors:
            return _Prepared(None, tuple(errors), "GRAPHQL_VALIDATION_FAILED", {})
        costs = DocumentCosts(self.schema, document, self._max_complexity)
        return _Prepared(document, (), "OK", self._plans(document), costs)

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


def _payload_problem(payload: object) -> str | None:
    if not isinstance(payload, dict):
        return "A GraphQL request must be a JSON object"
    query = payload.get("query")
    if not isinstance(query, str) or not query.strip():
        return "The request has no 'query' string"
    if not isinstance(payload.get("variables", None), dict | None):
        return "'variables' must be a JSON object or null"
    if not isinstance(payload.get("operationName", None), str | None):
        return "'operationName' must be a string or null"
    return None


def invalid_request(
    message: str,
    correlation_id: str,
    code: str,
    operation: str | None = None,
    *,
    failure: Failure = Failure.INVALID_REQUEST,
) -> GraphQLResult:
    """The result of a request that could not run at all (no `data`)."""
    return GraphQLResult(
        {"errors": [error_entry(message, correlation_id, code)]},
        operation,
        code,
        failure,
    )
