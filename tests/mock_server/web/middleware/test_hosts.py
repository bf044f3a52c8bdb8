from __future__ import annotations

import logging

import pytest

from contracts.documented import SCENARIO_A_VARIABLES
from mock_server import create_app
from mock_server.errors import ConfigurationError
from mock_server.web.middleware.hosts import (
    HostPolicy,
    bound_hosts,
    host_name,
    is_loopback,
)
from tests.helpers import create, created, guarded_requests, state

pytestmark = pytest.mark.anyio

FOREIGN = {"host": "evil.example"}
FAULT = [{"operation": "*", "latency_ms": 1}]


@pytest.mark.parametrize(("method", "path"), guarded_requests())
async def test_a_foreign_host_is_refused_everywhere_and_changes_nothing(
    client, method, path
):
    created(await create(client, SCENARIO_A_VARIABLES))
    assert (await client.post("/__mock/faults", json=FAULT)).status_code == 200
    before = await state(client)

    response = await client.request(
        method, path, headers=FOREIGN, json={"smtpCustomEmails": []}
    )

    assert response.status_code == 403
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "FORBIDDEN_HOST"}
    assert "'evil.example'" in error["message"]
    assert "--allowed-host evil.example" in error["message"]
    assert "SMTP_MOCK_ALLOWED_HOSTS" in error["message"]
    assert await state(client) == before
    assert len((await client.get("/__mock/faults")).json()["faults"]) == 1


def test_every_admin_route_and_graphql_are_checked():
    paths = {path for _method, path in guarded_requests()}

    assert {"/graphql", "/__mock/reset", "/__mock/state", "/__mock/health"} <= paths


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "localhost:5173",
        "LocalHost:4000",
        "localhost.:4000",
        "127.0.0.1",
        "127.0.0.1:1",
        "[::1]",
        "[::1]:65535",
    ],
)
async def test_local_hosts_are_served_on_any_port(client, host):
    response = await client.get("/__mock/health", headers={"host": host})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "host",
    [
        "localhost.evil.example",
        "127.0.0.2",
        "0.0.0.0",
        "[::2]:4000",
        "evil.localhost",
        "192.168.1.5:4000",
    ],
)
async def test_names_that_only_look_local_are_refused(client, host):
    response = await client.get("/__mock/health", headers={"host": host})

    assert response.status_code == 403


async def test_a_request_without_a_host_header_is_served(app):
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.0",
        "method": "GET",
        "scheme": "http",
        "path": "/__mock/health",
        "raw_path": b"/__mock/health",
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 4000),
    }
    async with app.router.lifespan_context(app):
        await app(scope, receive, send)

    assert sent[0]["status"] == 200


async def test_allowed_hosts_are_added_to_the_local_ones(client_for):
    app = create_app(allowed_hosts=["mock.internal", "[fe80::1]", "10.0.0.7"])
    async with client_for(app) as client:
        statuses = {
            host: (await client.get("/__mock/health", headers={"host": host}))
            for host in (
                "mock.internal:4000",
                "[fe80::1]:4000",
                "10.0.0.7",
                "localhost",
                "api.mock.internal",
                "evil.example",
            )
        }

    assert {host: r.status_code for host, r in statuses.items()} == {
        "mock.internal:4000": 200,
        "[fe80::1]:4000": 200,
        "10.0.0.7": 200,
        "localhost": 200,
        "api.mock.internal": 403,
        "evil.example": 403,
    }


def test_a_leading_dot_allows_the_domain_and_its_subdomains():
    policy = HostPolicy.from_options([".Example.com"])

    assert policy.allows("example.com")
    assert policy.allows("api.example.com")
    assert policy.allows("a.b.example.com")
    assert not policy.allows("evilexample.com")
    assert not policy.allows("example.com.evil.test")


async def test_star_turns_the_check_off(client_for):
    async with client_for(create_app(allowed_hosts=["*"])) as client:
        response = await client.post("/__mock/reset", headers=FOREIGN)

    assert response.status_code == 200


@pytest.mark.parametrize(
    "value", ["http://mock.internal", "mock.internal:4000", "a b", "", ".", "a..b"]
)
def test_a_value_that_is_not_a_host_is_a_configuration_error(value):
    with pytest.raises(ConfigurationError, match=r"--allowed-host .* is not a host"):
        create_app(allowed_hosts=[value])


async def test_a_refusal_is_logged_with_its_outcome(client, caplog):
    caplog.set_level(logging.INFO, logger="mock_server.access")

    await client.get("/__mock/state", headers=FOREIGN)

    [line] = [r.getMessage() for r in caplog.records if r.name == "mock_server.access"]
    assert line.startswith("GET /__mock/state 403 op=- outcome=FORBIDDEN_HOST")
    assert "evil.example" not in line


def test_a_long_host_is_cut_short_in_the_message():
    from mock_server.web.middleware.hosts import forbidden_host_response

    body = forbidden_host_response("a" * 5000).body

    assert len(body) < 600


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("Localhost:5173", "localhost"),
        ("[::1]:4000", "::1"),
        ("[::1]", "::1"),
        ("[::1", "::1"),
        ("example.com.", "example.com"),
        (" 127.0.0.1:80 ", "127.0.0.1"),
    ],
)
def test_host_name_drops_port_brackets_and_case(header, name):
    assert host_name(header) == name


@pytest.mark.parametrize(
    ("bind", "loopback", "bound"),
    [
        ("127.0.0.1", True, ("127.0.0.1",)),
        ("127.0.0.2", True, ("127.0.0.2",)),
        ("localhost", True, ("localhost",)),
        ("::1", True, ("::1",)),
        ("0.0.0.0", False, ()),
        ("::", False, ()),
        ("[::]", False, ()),
        ("192.168.1.5", False, ("192.168.1.5",)),
        ("mock.lan", False, ("mock.lan",)),
    ],
)
def test_binds_are_loopback_or_not_and_name_their_host(bind, loopback, bound):
    assert is_loopback(bind) is loopback
    assert bound_hosts(bind) == bound
