"""The one layer in front of the routes answers as the five it replaced (#31)."""

from __future__ import annotations

import functools
import logging

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from contracts.documented import SCENARIO_A_VARIABLES
from mock_server.domain.ids import IdFactory
from mock_server.web.middleware import (
    FaultInjector,
    FaultMiddleware,
    HostPolicy,
    OriginPolicy,
    RequestGate,
)
from tests.helpers import create, created

pytestmark = pytest.mark.anyio


def gate(app, *, allowed_hosts=(), direct=None) -> RequestGate:
    return RequestGate(
        app,
        hosts=HostPolicy.from_options(allowed_hosts),
        origins=OriginPolicy.from_options([], admin_prefix="/__mock/"),
        faults=functools.partial(
            FaultMiddleware,
            injector=FaultInjector(),
            graphql_path="/graphql",
            session_header="X-Mock-Session",
            correlation_ids=IdFactory(),
            max_tokens=100,
        ),
        direct=direct,
    )


async def call(app, scope_changes=None):
    """Call an ASGI app with a bare GET; the messages it sent."""
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/x",
        "root_path": "",
        "query_string": b"",
        "headers": [],
        **(scope_changes or {}),
    }
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent


async def test_an_answer_without_origin_varies_on_origin_as_starlettes_cors_does(
    client,
):
    response = await create(client, SCENARIO_A_VARIABLES)
    created(response)

    assert response.headers["vary"] == "Origin"
    assert "access-control-allow-origin" not in response.headers
    assert list(response.headers) == [
        "content-length",
        "content-type",
        "x-correlation-id",
        "vary",
    ]


async def test_a_vary_of_the_apps_own_gets_origin_added():
    async def app(scope, receive, send):
        headers = [(b"vary", b"Accept"), (b"content-length", b"0")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    [start, _body] = await call(gate(app))

    assert (b"vary", b"Accept, Origin") in start["headers"]


async def test_an_answer_sent_without_headers_still_varies_on_origin():
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 204})
        await send({"type": "http.response.body", "body": b""})

    [start, _body] = await call(gate(app))

    assert start["headers"] == [(b"vary", b"Origin")]


async def test_a_request_without_host_is_served():
    [start, _body] = await call(gate(PlainTextResponse("ok")))

    assert start["status"] == 200


async def test_each_host_is_judged_on_every_request_even_past_the_remembered_few():
    app = gate(PlainTextResponse("ok"), allowed_hosts=[".example.com"])
    hosts = [f"h{n}.example.com".encode() for n in range(100)]

    for _round in range(2):
        for host in [*hosts, b"evil.test"]:
            [start, _body] = await call(app, {"headers": [(b"host", host)]})
            assert start["status"] == (403 if host == b"evil.test" else 200)


async def test_graphql_under_a_root_path_goes_through_the_router():
    seen = []

    class Endpoint:  # an ASGI app, as the mock's endpoint is
        async def __call__(self, scope, receive, send):
            seen.append(scope["path"])
            await PlainTextResponse("ok")(scope, receive, send)

    router = Starlette(routes=[Route("/graphql", Endpoint())])
    app = gate(router, direct={"/graphql": PlainTextResponse("direct")})

    [start, body] = await call(
        app, {"path": "/api/graphql", "root_path": "/api", "headers": []}
    )

    assert (start["status"], body["body"]) == (200, b"ok")
    assert seen == ["/api/graphql"]


async def test_an_app_that_fails_is_logged_as_a_500(caplog):
    caplog.set_level(logging.INFO, logger="mock_server.access")

    async def app(scope, receive, send):
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        await call(gate(app))

    [line] = [r.getMessage() for r in caplog.records if r.name.endswith("access")]
    assert line.startswith("GET /x 500 op=- outcome=- ")


async def test_other_scopes_than_http_go_to_the_app_unchecked():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])

    async def receive():
        return {"type": "lifespan.startup"}

    async def send(message):
        pass

    await gate(app)({"type": "lifespan"}, receive, send)

    assert seen == ["lifespan"]
