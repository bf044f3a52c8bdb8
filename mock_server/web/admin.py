"""The admin API under `/__mock/`: state, reset, seed and health.

Seed items are shaped like the mutation's input and go through the same GraphQL
input coercion (derived from the SDL), the same domain rules and the same
atomic store write as the mutation: a load is all or nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError, GraphQLInputType, coerce_input_value
from graphql.pyutils import inspect
from starlette.requests import Request
from starlette.routing import Route

from mock_server.domain.profile_files import profile_document
from mock_server.domain.senders import build_sender
from mock_server.errors import DomainError, StoreUnavailable
from mock_server.graphql.error_format import UNAVAILABLE_MESSAGE
from mock_server.graphql.resolvers import draft_from_input, sender_to_graphql
from mock_server.web._json import JSONResponse, error_response, loads as json_loads
from mock_server.web.bodies import MAX_BODY_BYTES, BodyTooLarge, read_body
from mock_server.web.endpoint import RETRY_AFTER_S
from mock_server.web.middleware.faults import parse_faults
from mock_server.web.sessions import InvalidSession

if TYPE_CHECKING:
    from mock_server._types import JSONObject
    from mock_server.domain.ids import IdFactory
    from mock_server.domain.senders import SmtpCustomEmail
    from mock_server.errors import Problem
    from mock_server.graphql.context import MockContext
    from mock_server.web.middleware.faults import FaultInjector
    from mock_server.web.middleware.shared_faults import SharedFaults
    from mock_server.web.sessions import Sessions

logger = logging.getLogger("mock_server")

REDACTED = "[REDACTED]"
SEED_KEY = "smtpCustomEmails"
_ITEM_FIELD = re.compile(rf"{SEED_KEY}\[(\d+)\]\.(.+)")
_TOO_LARGE = f"Request body is larger than {MAX_BODY_BYTES // (1024 * 1024)} MiB"


def state_entry(sender: SmtpCustomEmail) -> JSONObject:
    """Shape a stored sender for `/__mock/state`: as returned, plus credentials.

    The username is shown so testers can check what was kept; the password
    never leaves the store.
    """
    entry = sender_to_graphql(sender)
    configuration = sender.configuration
    entry["smtpConfiguration"]["username"] = configuration.username
    entry["smtpConfiguration"]["password"] = (
        None if configuration.password is None else REDACTED
    )
    return entry


_Handler = Callable[[Request, "MockContext"], Awaitable[JSONResponse]]
_Endpoint = Callable[[Request], Awaitable[JSONResponse]]


class AdminApi:
    """Handlers of the admin routes.

    Args:
        sessions: Gives each request its session's store and the id source.
        seed_type: The mutation's input type, used to coerce seed items.
        restartable: Id sources rewound by a reset, so a seeded server replays
            the same ids after `/__mock/reset` as after a restart.
        injector: The fault-injection rules `/__mock/faults` manages.
        shared: Keeps those rules in a shared store for every worker, if any.
    """

    def __init__(
        self,
        sessions: Sessions,
        seed_type: GraphQLInputType,
        restartable: tuple[IdFactory, ...],
        injector: FaultInjector,
        shared: SharedFaults | None = None,
    ) -> None:
        self._injector = injector
        self._shared = shared
        self._sessions = sessions
        self._seed_type = seed_type
        self._restartable = restartable

    def use_seed_type(self, seed_type: GraphQLInputType) -> None:
        """Coerce seed items with `seed_type` from now on (a reloaded schema)."""
        self._seed_type = seed_type

    def routes(self) -> list[Route]:
        """Return the admin routes."""
        return [
            Route("/__mock/health", self.health, methods=["GET"]),
            Route("/__mock/state", self._in_session(self.state), methods=["GET"]),
            Route("/__mock/reset", self._in_session(self.reset), methods=["POST"]),
            Route("/__mock/seed", self._in_session(self.seed), methods=["POST"]),
            Route("/__mock/faults", self.faults, methods=["GET", "POST", "DELETE"]),
            Route("/__mock/profile", self.profile, methods=["GET"]),
        ]

    async def profile(self, _request: Request) -> JSONResponse:
        """The behaviour profile in force (see `mock_server.domain.profile`)."""
        return JSONResponse(profile_document(self._sessions.profile))

    def _in_session(self, handler: _Handler) -> _Endpoint:
        """Give a handler its request's session; answer store outages with 503."""

        async def endpoint(request: Request) -> JSONResponse:
            try:
                return await handler(request, self._sessions.context(request.headers))
            except InvalidSession as exc:
                return _error(400, str(exc))
            except StoreUnavailable as exc:
                logger.warning("%s", exc)
                response = _error(503, UNAVAILABLE_MESSAGE)
                response.headers["Retry-After"] = RETRY_AFTER_S
                return response

        return endpoint

    async def faults(self, request: Request) -> JSONResponse:
        """List (GET), replace (POST) or clear (DELETE) the fault rules."""
        rules = []
        if request.method == "POST":
            try:
                rules = parse_faults(json_loads(await _read_body(request)))
            except BodyTooLarge:
                return _error(413, _TOO_LARGE)
            except ValueError as exc:
                return _error(400, str(exc) or "Request body is not valid JSON")
        try:
            if self._shared is not None and request.method == "GET":
                await self._shared.refresh()
            elif self._shared is not None:
                await self._shared.publish(rules)
            elif request.method != "GET":
                self._injector.replace(rules)
        except StoreUnavailable as exc:
            logger.warning("%s", exc)
            return _error(503, UNAVAILABLE_MESSAGE)
        return JSONResponse(
            {"faults": [fault.as_json() for fault in self._injector.faults]}
        )

    async def health(self, _request: Request) -> JSONResponse:
        """Answer 200 while the server is up."""
        return JSONResponse({"status": "ok"})

    async def state(self, _request: Request, context: MockContext) -> JSONResponse:
        """Return every stored sender of the session, passwords redacted."""
        senders = await context.store.list_all()
        return JSONResponse({SEED_KEY: [state_entry(sender) for sender in senders]})

    async def reset(self, _request: Request, context: MockContext) -> JSONResponse:
        """Delete the session's senders and rewind seeded ids."""
        await context.store.clear()
        for ids in self._restartable:
            ids.restart()
        return JSONResponse({"status": "reset"})

    async def seed(self, request: Request, context: MockContext) -> JSONResponse:
        """Load senders, all or none; 422 with a reason per item otherwise."""
        try:
            payload = json_loads(await _read_body(request))
        except BodyTooLarge:
            return _error(413, _TOO_LARGE)
        except ValueError:
            return _error(400, "Request body is not valid JSON")
        items = payload.get(SEED_KEY) if isinstance(payload, dict) else None
        if not isinstance(items, list):
            return _error(400, f"Body must be an object with a '{SEED_KEY}' list")
        senders: list[SmtpCustomEmail] = []
        problems: list[JSONObject] = []
        for index, item in enumerate(items):
            try:
                senders.append(self._sender_from_item(item, context))
            except _InvalidItem as exc:
                problems.extend(
                    {"index": index, "field": field, "message": message}
                    for field, message in exc.problems
                )
        if not problems:
            try:
                await context.store.add_all(senders)
            except DomainError as exc:
                problems = [_stored_item_problem(problem) for problem in exc.problems]
        if problems:
            return JSONResponse({"errors": problems}, 422)
        return JSONResponse({"loaded": len(senders)})

    def _sender_from_item(self, item: Any, context: MockContext) -> SmtpCustomEmail:
        coercion_problems: list[tuple[str, str]] = []

        def on_error(
            path: list[str | int], invalid_value: Any, error: GraphQLError
        ) -> None:
            # graphql-core quotes the rejected value; it may be a password.
            message = error.message.replace(inspect(invalid_value), "<value>")
            field = ".".join(map(str, path)) or "(item)"
            coercion_problems.append((field, message))

        coerced = coerce_input_value(item, self._seed_type, on_error)
        if coercion_problems:
            raise _InvalidItem(coercion_problems)
        try:
            return build_sender(draft_from_input(coerced), context.ids, context.profile)
        except DomainError as exc:
            raise _InvalidItem(
                [(problem.field, problem.message) for problem in exc.problems]
            ) from exc


def _stored_item_problem(problem: Problem) -> JSONObject:
    # `smtpCustomEmails[2].emailAddress` from a store: index 2, its own field.
    named = _ITEM_FIELD.fullmatch(problem.field)
    if named is None:
        return {"field": problem.field, "message": problem.message}
    index, field = named.groups()
    return {"index": int(index), "field": field, "message": problem.message}


class _InvalidItem(Exception):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


async def _read_body(request: Request) -> bytes:
    return await read_body(request.scope, request.receive)


async def admin_disabled(request: Request) -> JSONResponse:
    """Any `/__mock/*` route but health under `--no-admin`: a JSON 404 saying why."""
    return error_response(
        404,
        "NOT_FOUND",
        f"{request.url.path} is not served: the mock was started with --no-admin "
        "(only /__mock/health stays on)",
    )


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message}]}, status)
