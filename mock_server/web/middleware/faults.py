"""Fault injection: a bad day on demand, for testing how a frontend copes.

Rules come from `--faults FILE.json` at start and from `POST /__mock/faults` at
run time. Each rule matches an operation name (or `*`) and optionally a
session, and then, on every matching request (or with a probability, or on
every Nth one), adds latency and/or answers with a GraphQL error, an HTTP
status (5xx or 429) or a dropped connection. Random choices come from the
app's seed, so a seeded run injects the same faults every time. `/__mock/*` is
never affected.

Injected answers look like the real thing (issue #28): an `error` is a domain
error of the operation's first root field (`data` null for it, `path`,
`locations`, `extensions.field`, `correlation_id`), and a 429 or 503 says when
to retry (`Retry-After: 1` unless the rule sets `retry_after`, or null for
none).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import FieldNode, GraphQLError, get_operation_ast, parse
from starlette.datastructures import Headers

from mock_server.errors import (
    ConfigurationError,
    DomainError,
    Problem,
    StoreUnavailable,
)
from mock_server.graphql.error_format import error_entry, format_errors
from mock_server.web._json import JSONResponse, loads as json_loads
from mock_server.web.bodies import read_or_forward, replaying

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from graphql import OperationDefinitionNode
    from starlette.types import ASGIApp, Receive, Scope, Send

    from mock_server._types import JSONObject
    from mock_server.domain.ids import IdFactory

ANY_OPERATION = "*"
ERROR_FIELD = "input"
"""The `extensions.field` of an injected error whose rule names none."""
THROTTLING = (429, 503)
RETRY_AFTER_S = 1
"""The `Retry-After` of a 429 or 503 rule that sets no `retry_after`."""
_FIELDS = {
    "operation", "session", "latency_ms", "probability", "every", "error",
    "status", "retry_after", "drop",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Fault:
    """One rule. See the module docstring and the fault-injection guide.

    `error` is `(code, message)` or `(code, message, field)`. `retry_after` is
    the `Retry-After` seconds, or None for no header; `parse_faults` gives a
    429 or 503 rule `RETRY_AFTER_S` unless it says otherwise.
    """

    operation: str = ANY_OPERATION
    session: str | None = None
    latency_ms: tuple[float, float] | None = None
    probability: float = 1.0
    every: int | None = None
    error: tuple[str, str] | tuple[str, str, str] | None = None
    status: int | None = None
    retry_after: int | None = None
    drop: bool = False

    def matches(self, operation: str | None, session: str) -> bool:
        """Whether the rule concerns this request."""
        operation_matches = self.operation in (ANY_OPERATION, operation)
        return operation_matches and self.session in (None, session)

    def as_json(self) -> dict[str, Any]:
        """The rule as `POST /__mock/faults` accepts it."""
        data: dict[str, Any] = {"operation": self.operation}
        if self.session is not None:
            data["session"] = self.session
        if self.latency_ms is not None:
            low, high = self.latency_ms
            data["latency_ms"] = low if low == high else [low, high]
        if self.probability != 1.0:
            data["probability"] = self.probability
        if self.every is not None:
            data["every"] = self.every
        if self.error is not None:
            data["error"] = dict(
                zip(("code", "message", "field"), self.error, strict=False)
            )
        if self.status is not None:
            data["status"] = self.status
        if self.retry_after is not None or self.status in THROTTLING:
            data["retry_after"] = self.retry_after
        if self.drop:
            data["drop"] = True
        return data


def parse_faults(data: Any) -> list[Fault]:
    """Rules from JSON: a list, or an object with a `faults` list.

    Raises:
        ConfigurationError: naming the rule's index and what is wrong.
    """
    rules = data.get("faults") if isinstance(data, dict) else data
    if not isinstance(rules, list):
        raise ConfigurationError(
            "faults must be a list, or an object with a 'faults' list"
        )
    return [_parse_rule(index, rule) for index, rule in enumerate(rules)]


def _parse_rule(index: int, rule: Any) -> Fault:
    def wrong(message: str) -> ConfigurationError:
        return ConfigurationError(f"fault {index}: {message}")

    if not isinstance(rule, dict):
        raise wrong("must be an object")
    unknown = set(rule) - _FIELDS
    if unknown:
        raise wrong(f"unknown field(s) {', '.join(sorted(unknown))}")
    latency = rule.get("latency_ms")
    if latency is not None:
        pair = latency if isinstance(latency, list) else [latency, latency]
        if len(pair) != 2 or not all(
            isinstance(v, int | float) and 0 <= v <= 60_000 for v in pair
        ):
            raise wrong("latency_ms must be milliseconds (0..60000) or [low, high]")
        latency = (float(min(pair)), float(max(pair)))
    probability = rule.get("probability", 1.0)
    if not isinstance(probability, int | float) or not 0 <= probability <= 1:
        raise wrong("probability must be between 0 and 1")
    every = rule.get("every")
    if every is not None and (not isinstance(every, int) or every < 1):
        raise wrong("every must be a positive integer")
    error = rule.get("error")
    if error is not None:
        if not isinstance(error, dict) or not error.get("code"):
            raise wrong("error must be an object with a code (and a message)")
        error = (
            str(error["code"]),
            str(error.get("message") or "Injected fault"),
            *([str(error["field"])] if error.get("field") else []),
        )
    status = rule.get("status")
    if status is not None and status not in (429, *range(500, 600)):
        raise wrong("status must be 429 or 5xx")
    retry_after = rule.get(
        "retry_after", RETRY_AFTER_S if status in THROTTLING else None
    )
    if retry_after is not None and (
        not isinstance(retry_after, int)
        or isinstance(retry_after, bool)
        or retry_after < 0
    ):
        raise wrong("retry_after must be whole seconds (0 or more), or null")
    return Fault(
        operation=str(rule.get("operation", ANY_OPERATION)),
        session=rule.get("session"),
        latency_ms=latency,
        probability=float(probability),
        every=every,
        error=error,
        status=status,
        retry_after=retry_after,
        drop=bool(rule.get("drop", False)),
    )


@dataclass
class FaultInjector:
    """The app's current rules and the state that makes them deterministic.

    Args:
        seed: Seeds the random choices (None: unpredictable).
    """

    seed: int | None = None
    faults: list[Fault] = field(default_factory=list)
    _counts: dict[int, int] = field(default_factory=dict)
    _random: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.replace(self.faults)

    def replace(self, faults: list[Fault]) -> None:
        """Install a new rule set, with fresh counters and random sequence."""
        self.faults = list(faults)
        self._counts = {}
        self._random = random.Random(
            None if self.seed is None else f"{self.seed}:faults"
        )

    def triggered(self, operation: str | None, session: str) -> list[Fault]:
        """The rules that fire for this request, in order."""
        fired = []
        for index, fault in enumerate(self.faults):
            if not fault.matches(operation, session):
                continue
            self._counts[index] = count = self._counts.get(index, 0) + 1
            if fault.every is not None and count % fault.every != 0:
                continue
            if fault.probability < 1.0 and self._random.random() >= fault.probability:
                continue
            fired.append(fault)
        return fired

    def latency_seconds(self, fault: Fault) -> float:
        """The delay a fired rule adds."""
        if fault.latency_ms is None:
            return 0.0
        low, high = fault.latency_ms
        return (low if low == high else self._random.uniform(low, high)) / 1000


class DroppedConnection(ConnectionAbortedError):
    """Raised on purpose to cut a response short."""


class HideDroppedConnections(logging.Filter):
    """Keeps the server's log free of tracebacks for drops injected on purpose.

    The access log already records such requests as `outcome=FAULT_INJECTED`.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop records whose exception is an injected drop."""
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, DroppedConnection)


class FaultMiddleware:
    """Applies the injector's rules to GraphQL requests (never to `/__mock/*`).

    Args:
        app: The app to wrap.
        injector: The rules.
        graphql_path: The GraphQL route.
        session_header: Header naming the caller's session.
        correlation_ids: Gives each injected answer its correlation id.
        max_tokens: Longest document read for its operation (the request
            limit `tokens`); a longer one matches `*` rules only.
        refresh: Reloads rules other workers set (see `shared_faults`).
    """

    def __init__(
        self,
        app: ASGIApp,
        injector: FaultInjector,
        graphql_path: str,
        session_header: str,
        correlation_ids: IdFactory,
        max_tokens: int,
        refresh: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._app = app
        self._injector = injector
        self._path = graphql_path
        self._session_header = session_header
        self._correlation_ids = correlation_ids
        self._max_tokens = max_tokens
        self._refresh = refresh

    def applies(self, scope: Scope) -> bool:
        """Whether a request may meet a rule: a GraphQL one, with rules to apply.

        With a shared store the rules may have changed in another worker.
        """
        return scope["path"] == self._path and (
            self._refresh is not None or bool(self._injector.faults)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app, perhaps after a delay, or answer with the fault."""
        graphql = scope["type"] == "http" and scope["path"] == self._path
        if graphql and self._refresh is not None:
            # An unreachable store keeps the rules this worker has; the
            # request itself then meets the outage where it reads the store.
            with contextlib.suppress(StoreUnavailable):
                await self._refresh()
        if not graphql or not self._injector.faults:
            await self._app(scope, receive, send)
            return
        # No rule is judged on a body the endpoint refuses (413) anyway.
        body = await read_or_forward(self._app, scope, receive, send)
        if body is None:
            return
        replay = replaying(body, receive)
        session = Headers(scope=scope).get(self._session_header, "default")
        request = _Request(body, self._max_tokens)
        fired = self._injector.triggered(request.operation_name(), session)
        for fault in fired:
            await asyncio.sleep(self._injector.latency_seconds(fault))
        terminal = next((f for f in fired if f.drop or f.status or f.error), None)
        if terminal is None:
            await self._app(scope, replay, send)
            return
        scope.setdefault("state", {})["outcome"] = "FAULT_INJECTED"
        if terminal.drop:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            raise DroppedConnection("fault injection: connection dropped")
        correlation_id = self._correlation_ids.new_id()
        response = _fault_response(terminal, request, correlation_id)
        await response(scope, replay, send)


def _fault_response(
    fault: Fault, request: _Request, correlation_id: str
) -> JSONResponse:
    headers = {"X-Correlation-Id": correlation_id}
    if fault.retry_after is not None:
        headers["Retry-After"] = str(fault.retry_after)
    if fault.status is not None:
        message = "Too many requests" if fault.status == 429 else "Injected failure"
        code = "RATE_LIMITED" if fault.status == 429 else "FAULT_INJECTED"
        refused = {"errors": [error_entry(message, correlation_id, code)]}
        return JSONResponse(refused, fault.status, headers=headers)
    assert fault.error is not None
    code, message, *field = fault.error
    root = request.first_root_field()
    if root is None:  # no operation to point at (a GET, a body that does not parse)
        data_null = {
            "data": None,
            "errors": [error_entry(message, correlation_id, code)],
        }
        return JSONResponse(data_null, headers=headers)
    # Built as the mock's own domain errors are, so it has their shape.
    key = (root.alias or root.name).value
    problem = Problem(field[0] if field else ERROR_FIELD, message, code)
    error = GraphQLError(
        message, root, path=[key], original_error=DomainError((problem,))
    )
    errors = format_errors([error], correlation_id, default_code=code)
    return JSONResponse({"data": {key: None}, "errors": errors}, headers=headers)


class _Request:
    """The GraphQL request in a body, read only as far as a rule needs."""

    def __init__(self, body: bytes, max_tokens: int) -> None:
        self._body = body
        self._max_tokens = max_tokens
        self._payload: JSONObject | None = None
        try:
            payload = json_loads(body)
        except ValueError:
            return
        if isinstance(payload, dict) and isinstance(payload.get("query"), str):
            self._payload = payload

    def operation_name(self) -> str | None:
        if self._payload is None:
            return None
        name = self._payload.get("operationName")
        if isinstance(name, str):
            return name
        operation = self._operation()
        return operation.name.value if operation and operation.name else None

    def first_root_field(self) -> FieldNode | None:
        operation = self._operation()
        if operation is None:
            return None
        return next(
            (s for s in operation.selection_set.selections if isinstance(s, FieldNode)),
            None,
        )

    def _operation(self) -> OperationDefinitionNode | None:
        if self._payload is None:
            return None
        name = self._payload.get("operationName")
        try:
            document = parse(self._payload["query"], max_tokens=self._max_tokens)
            return get_operation_ast(document, name if isinstance(name, str) else None)
        except GraphQLError:
            return None
