"""The `/graphql` endpoint: GraphQL over HTTP, GraphiQL for browsers.

POST takes `application/json` bodies (one request, or a JSON array run as a
batch); GET takes `query`, `variables` and `operationName` parameters and may
only run queries. Anything malformed gets a GraphQL-shaped error with the
matching status, never a 500.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from mock_server.graphql.context import Caller
from mock_server.graphql.executor import GraphQLResponse, request_error
from mock_server.graphql.operation_log import client_name
from mock_server.web._json import JSONResponse, loads as json_loads
from mock_server.web.sessions import InvalidSession

if TYPE_CHECKING:
    from starlette.types import Receive, Scope, Send

    from mock_server.domain.ids import IdFactory
    from mock_server.graphql.context import MockContext
    from mock_server.graphql.executor import Executor
    from mock_server.web.sessions import Sessions

MAX_BODY_BYTES = 1024 * 1024
"""Largest accepted request body (1 MiB); larger ones get 413."""

MAX_BATCH_SIZE = 20
"""Most operations one batch (a JSON array body) may hold."""


class BodyTooLarge(Exception):
    """The request body is over `MAX_BODY_BYTES`."""


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """Read the body, stopping as soon as it passes `limit` bytes.

    Raises:
        BodyTooLarge: when the declared or the actual size is over the limit.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


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


def to_response(result: GraphQLResponse) -> JSONResponse:
    """Turn an executor result into a Starlette response."""
    return JSONResponse(result.body, result.status, headers=dict(result.headers))


class GraphQLEndpoint:
    """Serves GraphQL over HTTP for one executor.

    Args:
        executor: Runs the decoded requests.
        sessions: Gives each request the context of its session.
        correlation_ids: Source of per-request correlation ids.
        graphiql_html: The page sent to browsers that GET `/graphql`; None
            answers them like any other GET (`--no-graphiql`).
    """

    def __init__(
        self,
        executor: Executor,
        sessions: Sessions,
        correlation_ids: IdFactory,
        graphiql_html: str | None,
    ) -> None:
        self._executor = executor
        self._sessions = sessions
        self._correlation_ids = correlation_ids
        self._graphiql_html = graphiql_html

    def use_page(self, graphiql_html: str | None) -> None:
        """Send `graphiql_html` to browsers from now on (a reloaded schema)."""
        self._graphiql_html = graphiql_html

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request (an ASGI app, so its route takes every method)."""
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        """Answer one HTTP request."""
        if self._graphiql_html is not None and is_page_request(request.scope):
            return HTMLResponse(self._graphiql_html)
        correlation_id = self._correlation_ids.new_id()
        try:
            context = self._sessions.context(request.headers)
        except InvalidSession as exc:
            result = request_error(str(exc), correlation_id, "BAD_REQUEST")
        else:
            result = await self._dispatch(request, correlation_id, context)
        # Read by the access log, which writes the request's one line.
        request.state.operation = result.operation
        request.state.outcome = result.outcome
        response = to_response(result)
        response.headers["X-Correlation-Id"] = correlation_id
        return response

    async def _dispatch(
        self, request: Request, correlation_id: str, context: MockContext
    ) -> GraphQLResponse:
        if request.method == "POST":
            result = await self._post(request, correlation_id, context)
        elif request.method in ("GET", "HEAD"):
            result = await self._get(request, correlation_id, context)
        else:
            result = request_error(
                f"Method {request.method} is not allowed; use POST, or GET for queries",
                correlation_id,
                "METHOD_NOT_ALLOWED",
                status=405,
                headers=(("Allow", "GET, POST"),),
            )
        return result

    async def _get(
        self, request: Request, correlation_id: str, context: MockContext
    ) -> GraphQLResponse:
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
                return request_error(
                    "'variables' is not valid JSON", correlation_id, "BAD_REQUEST"
                )
        return await self._executor.run(
            payload,
            correlation_id,
            context,
            read_only=True,
            caller=self._caller(request),
        )

    async def _post(
        self, request: Request, correlation_id: str, context: MockContext
    ) -> GraphQLResponse:
        media_type = request.headers.get("content-type", "").split(";")[0].strip()
        if media_type.lower() != "application/json":
            return request_error(
                "Content-Type must be application/json",
                correlation_id,
                "UNSUPPORTED_MEDIA_TYPE",
                status=415,
            )
        try:
            body = await read_body(request)
        except BodyTooLarge:
            return request_error(
                f"Request body is larger than {MAX_BODY_BYTES} bytes",
                correlation_id,
                "PAYLOAD_TOO_LARGE",
                status=413,
            )
        try:
            payload = json_loads(body)
        except ValueError:
            return request_error(
                "Request body is not valid JSON", correlation_id, "BAD_REQUEST"
            )
        caller = self._caller(request)
        if isinstance(payload, list):
            return await self._batch(payload, correlation_id, context, caller)
        return await self._executor.run(payload, correlation_id, context, caller=caller)

    def _caller(self, request: Request) -> Caller | None:
        if not self._executor.needs_caller:
            return None
        headers = request.headers
        return Caller(headers.get("authorization"), client_name(headers))

    async def _batch(
        self,
        payloads: list[Any],
        correlation_id: str,
        context: MockContext,
        caller: Caller | None,
    ) -> GraphQLResponse:
        if not 0 < len(payloads) <= MAX_BATCH_SIZE:
            return request_error(
                f"A batch must hold 1 to {MAX_BATCH_SIZE} operations",
                correlation_id,
                "BAD_REQUEST",
            )
        # In order, one after another: a later mutation may depend on an earlier.
        results = [
            await self._executor.run(payload, correlation_id, context, caller=caller)
            for payload in payloads
        ]
        return GraphQLResponse(
            200,
            [result.body for result in results],
            ",".join(str(result.operation) for result in results),
            ",".join(result.outcome for result in results),
        )
