"""The `/graphql` endpoint: GraphQL over HTTP, GraphiQL for browsers.

POST takes `application/json` bodies (one request, or a JSON array run as a
batch); GET takes `query`, `variables` and `operationName` parameters and may
only run queries. Anything malformed gets a GraphQL-shaped error with the
matching status, never a 500.

The answer's media type follows `Accept` (`media_types.py`). A request error
(a document that does not parse or validate, a limit, variables that do not
fit) is a 400 in `application/graphql-response+json`, as that type's spec
requires; in `application/json` it is the behaviour profile's
`request_error_status`: 200 by default, as the spec recommends, or the 400 of
earlier versions (and of Apollo Server).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse

from mock_server.graphql.context import Caller
from mock_server.graphql.executor import Failure, GraphQLResult, invalid_request
from mock_server.graphql.operation_log import client_name
from mock_server.web._asgi import RawHeaders, encode_headers, request_headers
from mock_server.web._json import loads as json_loads, send_json
from mock_server.web.bodies import BodyTooLarge, read_body
from mock_server.web.media_types import MediaType, negotiate
from mock_server.web.middleware.auth import caller_role
from mock_server.web.sessions import InvalidSession

if TYPE_CHECKING:
    from starlette.types import Receive, Scope, Send

    from mock_server.domain.ids import IdFactory
    from mock_server.graphql.context import MockContext
    from mock_server.graphql.executor import Executor
    from mock_server.web.sessions import Sessions

MAX_BATCH_SIZE = 20
"""Most operations one batch (a JSON array body) may hold."""


def is_page_request(scope: Scope) -> bool:
    """Whether a request is a browser loading the GraphiQL page.

    That is a GET (or HEAD) of `/graphql` accepting HTML and carrying no query;
    a browser cannot attach a token to a page load, so the page is public.
    """
    if scope["method"] not in ("GET", "HEAD"):
        return False
    accept = Headers(scope=scope).get("accept", "")
    query = QueryParams(scope.get("query_string", b""))
    return "text/html" in accept and "query" not in query


RETRY_AFTER_S = "1"
"""Seconds a client should wait before resending after a store outage (503)."""

_HTTP: dict[Failure | None, tuple[int, RawHeaders]] = {
    None: (200, []),
    Failure.MALFORMED: (400, []),
    # In application/json, the profile's status instead (see the docstring).
    Failure.INVALID_REQUEST: (400, []),
    Failure.MUTATION_NOT_ALLOWED: (405, encode_headers({"Allow": "POST"})),
    # Still in the GraphQL shape, but a status clients know to retry, and when.
    Failure.UNAVAILABLE: (503, encode_headers({"Retry-After": RETRY_AFTER_S})),
}
"""The HTTP status and headers of each kind of executor result."""
_CORRELATION_ID = b"x-correlation-id"
_KNOWN_ACCEPTS = 64


class _Refused(Exception):
    """The request is refused over HTTP before any GraphQL runs."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}


class GraphQLEndpoint:
    """Serves GraphQL over HTTP for one executor.

    Args:
        executor: Runs the decoded requests.
        sessions: Gives each request the context of its session.
        correlation_ids: Source of per-request correlation ids.
        graphiql_html: The page sent to browsers that GET `/graphql`; None
            answers them like any other GET (`--no-graphiql`).
        request_error_status: The status of a request error answered as
            `application/json` (the profile's `request_error_status`).
    """

    def __init__(
        self,
        executor: Executor,
        sessions: Sessions,
        correlation_ids: IdFactory,
        graphiql_html: str | None,
        *,
        request_error_status: int = 200,
    ) -> None:
        self._executor = executor
        self._sessions = sessions
        self._correlation_ids = correlation_ids
        self._graphiql_html = graphiql_html
        self._request_error_status = request_error_status
        self._header_names = frozenset(
            (b"accept", b"content-type", sessions.header_key)
        )
        self._media_types: dict[str, MediaType] = {}

    def use_page(self, graphiql_html: str | None) -> None:
        """Send `graphiql_html` to browsers from now on (a reloaded schema)."""
        self._graphiql_html = graphiql_html

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request (an ASGI app, so its route takes every method)."""
        if self._graphiql_html is not None and is_page_request(scope):
            await HTMLResponse(self._graphiql_html)(scope, receive, send)
            return
        correlation_id = self._correlation_ids.new_id()
        sent = request_headers(scope, self._header_names)
        media_type = self._media_type(sent.get(b"accept"))
        try:
            result = await self._dispatch(scope, receive, sent, correlation_id)
        except _Refused as refusal:
            result = invalid_request(refusal.message, correlation_id, refusal.code)
            status, headers = refusal.status, encode_headers(refusal.headers)
        else:
            status, headers = _HTTP[result.failure]
            if (
                result.failure is Failure.INVALID_REQUEST
                and media_type is MediaType.JSON
            ):
                status = self._request_error_status
        # Read by the access log, which writes the request's one line.
        state = scope.setdefault("state", {})
        state["operation"] = result.operation
        state["outcome"] = result.outcome
        await send_json(
            send,
            status,
            result.body,
            media_type.content_type,
            headers,
            (_CORRELATION_ID, correlation_id.encode("latin-1")),
        )

    def _media_type(self, accept: str | None) -> MediaType:
        if accept is None:
            return MediaType.JSON
        # Clients send one or two `Accept` values: each is read once.
        media_type = self._media_types.get(accept)
        if media_type is None:
            media_type = negotiate(accept)
            if len(self._media_types) < _KNOWN_ACCEPTS:
                self._media_types[accept] = media_type
        return media_type

    async def _dispatch(
        self,
        scope: Scope,
        receive: Receive,
        sent: dict[bytes, str],
        correlation_id: str,
    ) -> GraphQLResult:
        sessions = self._sessions
        try:
            name = sessions.named(sent.get(sessions.header_key))
        except InvalidSession as exc:
            raise _Refused(400, str(exc), "BAD_REQUEST") from exc
        context = sessions.for_session(name, role=caller_role(scope))
        method = scope["method"]
        if method == "POST":
            return await self._post(scope, receive, sent, correlation_id, context)
        if method in ("GET", "HEAD"):
            return await self._get(Request(scope, receive), correlation_id, context)
        raise _Refused(
            405,
            f"Method {method} is not allowed; use POST, or GET for queries",
            "METHOD_NOT_ALLOWED",
            {"Allow": "GET, POST"},
        )

    async def _get(
        self, request: Request, correlation_id: str, context: MockContext
    ) -> GraphQLResult:
        params = request.query_params
        payload: dict[str, Any] = {
            "query": params.get("query"),
            "operationName": params.get("operationName"),
        }
        raw_variables = params.get("variables")
        if raw_variables:
            try:
                payload["variables"] = json_loads(raw_variables)
            except ValueError:
                raise _Refused(
                    400, "'variables' is not valid JSON", "BAD_REQUEST"
                ) from None
        return await self._executor.run(
            payload,
            correlation_id,
            context,
            read_only=True,
            caller=self._caller(request.scope),
        )

    async def _post(
        self,
        scope: Scope,
        receive: Receive,
        sent: dict[bytes, str],
        correlation_id: str,
        context: MockContext,
    ) -> GraphQLResult:
        media_type = sent.get(b"content-type", "").split(";")[0].strip()
        if media_type.lower() != "application/json":
            raise _Refused(
                415, "Content-Type must be application/json", "UNSUPPORTED_MEDIA_TYPE"
            )
        try:
            body = await read_body(scope, receive)
        except BodyTooLarge as exc:
            raise _Refused(413, str(exc), "PAYLOAD_TOO_LARGE") from None
        try:
            payload = json_loads(body)
        except ValueError:
            raise _Refused(
                400, "Request body is not valid JSON", "BAD_REQUEST"
            ) from None
        caller = self._caller(scope)
        if isinstance(payload, list):
            return await self._batch(payload, correlation_id, context, caller)
        return await self._executor.run(payload, correlation_id, context, caller=caller)

    def _caller(self, scope: Scope) -> Caller | None:
        if not self._executor.needs_caller:
            return None
        headers = Headers(scope=scope)
        return Caller(headers.get("authorization"), client_name(headers))

    async def _batch(
        self,
        payloads: list[Any],
        correlation_id: str,
        context: MockContext,
        caller: Caller | None,
    ) -> GraphQLResult:
        if not 0 < len(payloads) <= MAX_BATCH_SIZE:
            raise _Refused(
                400,
                f"A batch must hold 1 to {MAX_BATCH_SIZE} operations",
                "BAD_REQUEST",
            )
        # In order, one after another: a later mutation may depend on an earlier.
        # The operations share one request's limits (tokens, mutations).
        allowance = self._executor.allowance()
        results = [
            await self._executor.run(
                payload, correlation_id, context, caller=caller, allowance=allowance
            )
            for payload in payloads
        ]
        # Always 200: each operation's own result is in its entry.
        return GraphQLResult(
            [result.body for result in results],
            ",".join(str(result.operation) for result in results),
            ",".join(result.outcome for result in results),
        )
