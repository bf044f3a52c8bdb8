"""Running one GraphQL request: read the document, pick the operation, execute.

Reading a query text (`preparation.py`: parse, the limits, validation and a
compiled plan) happens once per distinct text; each operation's cost
(`complexity.py`) is counted then too, unless it depends on variables. The
limits hold whichever way an operation then runs (compiled, graphql-core's
`execute`, or forwarded).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
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
)

from mock_server.graphql.complexity import MAX_COMPLEXITY
from mock_server.graphql.depth import MAX_DEPTH
from mock_server.graphql.error_format import (
    UNAVAILABLE_CODE,
    error_entry,
    format_errors,
)
from mock_server.graphql.limits import (
    RequestLimits,
    introspection_refusal,
    mutations_refusal,
)
from mock_server.graphql.preparation import Preparer, payload_problem
from mock_server.graphql.variables import variable_errors

if TYPE_CHECKING:
    from collections.abc import Collection

    from graphql import GraphQLSchema

    from mock_server._types import JSONObject
    from mock_server.graphql._compiler.plans import CompiledOperation, Resolver
    from mock_server.graphql.context import Caller
    from mock_server.graphql.forwarding import Router, Split
    from mock_server.graphql.limits import Allowance
    from mock_server.graphql.operation_log import OperationRecorder
    from mock_server.graphql.preparation import Prepared

DOCUMENT_CACHE_SIZE = 512
_VARIABLES_MISFIT = "The variables do not fit the types the operation declares"


class Failure(enum.Enum):
    """Why a request did not run (or not fully): the web layer maps it to HTTP.

    Field errors (a domain problem, a resolver bug) are not failures: the
    operation ran, and its result carries them.
    """

    MALFORMED = "malformed"
    """Nothing ran: the body is not a GraphQL request (no query string, ...)."""
    INVALID_REQUEST = "invalid-request"
    """Nothing ran: a request error (document, limits, operation, variables)."""
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


class Executor:
    """Runs GraphQL requests against one executable schema.

    Args:
        schema: The schema with resolvers bound.
        max_depth: Deepest allowed nesting of fields (introspection exempt).
        max_complexity: Costliest operation run (see
            `mock_server.graphql.complexity`).
        limits: The mock's own limits on one request (see
            `mock_server.graphql.limits`).
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
        limits: RequestLimits | None = None,
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
        self.limits = limits or RequestLimits()
        self._preparer = Preparer(
            schema,
            limits=self.limits,
            max_depth=max_depth,
            max_complexity=max_complexity,
            cache_size=cache_size,
            sync_resolvers=sync_resolvers,
            dict_readers=dict_readers,
            compiled=compiled,
        )

    def use_schema(self, schema: GraphQLSchema) -> None:
        """Run later requests against `schema` (`serve --watch`).

        Cached documents were validated and compiled against the old schema,
        so the cache starts empty; requests already running finish on the old.
        """
        self.schema = schema
        self._preparer.use_schema(schema)
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
        allowance: Allowance | None = None,
    ) -> GraphQLResult:
        """Run one request body (already decoded from JSON or a query string).

        Args:
            payload: Should be an object with `query`, and optionally
                `variables`, `operationName` and `extensions`.
            correlation_id: Added to every error entry.
            context: Passed to resolvers as `info.context` (the caller's session).
            read_only: True for GET requests, which may only run queries.
            caller: Who sent it (only needed when `needs_caller`).
            allowance: What is left of the request's limits, shared by the
                operations of a batch; a fresh one by default.
        """
        problem = payload_problem(payload)
        if problem is not None:
            return invalid_request(
                problem, correlation_id, "BAD_REQUEST", failure=Failure.MALFORMED
            )
        assert isinstance(payload, dict)  # checked by payload_problem
        if allowance is None:
            allowance = self.allowance()
        prepared = self._preparer.prepare(payload["query"], allowance)
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
        refusal = self._spend(prepared, operation, payload, allowance)
        if refusal is not None:
            errors = format_errors([refusal], correlation_id, default_code="")
            code = errors[0]["extensions"]["code"]
            return GraphQLResult(
                {"errors": errors}, label, code, Failure.INVALID_REQUEST
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
        plan = prepared.plans.get(_name(operation))
        return await self._execute(
            prepared.document, plan, payload, correlation_id, context, label
        )

    def allowance(self) -> Allowance:
        """A fresh allowance of the limits on one request (a batch shares one)."""
        return self.limits.allowance(self._preparer.introspection_limit)

    def _spend(
        self,
        prepared: Prepared,
        operation: OperationDefinitionNode,
        payload: JSONObject,
        allowance: Allowance,
    ) -> GraphQLError | None:
        """Spend what running `operation` costs, or refuse it if that is over.

        Its complexity is counted again when it depends on the variables.
        """
        assert prepared.costs is not None  # every valid document has them
        refusal = prepared.costs.refusal(operation, payload.get("variables"))
        if refusal is not None:
            return refusal
        name = _name(operation)
        mutations = prepared.mutation_fields.get(name, 0)
        introspection = prepared.introspection.get(name, 0)
        if mutations > allowance.mutations:
            return mutations_refusal(self.limits.mutations, operation)
        if introspection > allowance.introspection:
            return introspection_refusal(self._preparer.introspection_limit, operation)
        allowance.mutations -= mutations
        allowance.introspection -= introspection
        return None

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


def _name(operation: OperationDefinitionNode) -> str | None:
    return operation.name.value if operation.name else None


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
