"""Issue #20 against the real `smtp-mock serve`: what a website cannot do to it."""

from __future__ import annotations

import httpx
import pytest

from contracts.documented import SCENARIO_A_VARIABLES
from tests.e2e.conftest import Server, running_server
from tests.helpers import guarded_requests

# Their subprocesses run code other tests measure (CONTRIBUTING.md, "Coverage").
pytestmark = pytest.mark.no_cover_subprocesses

PREFLIGHT = {
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization, content-type",
}
FAULTS = [{"operation": "*", "latency_ms": 1}]


def base(server: Server) -> str:
    return server.url.removesuffix("/graphql")


def client(server: Server) -> httpx.Client:
    return httpx.Client(
        base_url=base(server),
        headers={"Authorization": f"Bearer {server.token}"},
        timeout=10,
    )


def allow_headers(response: httpx.Response) -> set[str]:
    return {k for k in response.headers if k.startswith("access-control-allow-")}


@pytest.fixture(scope="module")
def local_server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("local-security")) as server:
        yield server


def test_a_foreign_host_gets_403_everywhere_and_the_state_is_unchanged(local_server):
    with client(local_server) as http:
        http.post("/__mock/reset").raise_for_status()
        seeded = {"smtpCustomEmails": [SCENARIO_A_VARIABLES]}
        http.post("/__mock/seed", json=seeded).raise_for_status()
        http.post("/__mock/faults", json=FAULTS).raise_for_status()
        before = http.get("/__mock/state").json(), http.get("/__mock/faults").json()

        answers = {
            (method, path): http.request(
                method, path, headers={"host": "evil.example"}, json=seeded
            )
            for method, path in guarded_requests()
        }

        after = http.get("/__mock/state").json(), http.get("/__mock/faults").json()
        http.delete("/__mock/faults").raise_for_status()

    assert len(answers) >= 7  # /graphql GET+POST and every /__mock/* route
    for request, response in answers.items():
        assert response.status_code == 403, request
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN_HOST", request
        assert "--allowed-host evil.example" in error["message"]
    assert after == before
    assert len(before[0]["smtpCustomEmails"]) == 1
    assert "outcome=FORBIDDEN_HOST" in local_server.log_with("outcome=FORBIDDEN_HOST")


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:5173", "127.0.0.1:1", "[::1]:4000", "LOCALHOST"]
)
def test_local_hosts_with_any_port_are_served(local_server, host):
    with client(local_server) as http:
        response = http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"host": host}
        )

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


def test_a_foreign_preflight_gets_no_allow_headers(local_server):
    with client(local_server) as http:
        answers = [
            http.options(path, headers={"origin": "http://evil.example", **PREFLIGHT})
            for path in ("/graphql", "/__mock/reset", "/__mock/state")
        ]

    for response in answers:
        assert response.status_code == 403
        assert allow_headers(response) == set()


def test_a_local_dev_server_preflight_is_allowed(local_server):
    with client(local_server) as http:
        answers = [
            http.options(path, headers={"origin": "http://localhost:5173", **PREFLIGHT})
            for path in ("/graphql", "/__mock/reset")
        ]

    for response in answers:
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == (
            "http://localhost:5173"
        )
        assert "POST" in response.headers["access-control-allow-methods"]
        assert "authorization" in response.headers["access-control-allow-headers"]


def test_the_start_is_quiet_on_loopback(local_server):
    assert "WARNING" not in local_server.log()


def test_a_specific_bind_address_is_served_by_its_own_name(tmp_path):
    # 127.0.0.2 is loopback on Linux, so binding it exposes nothing.
    with (
        running_server(tmp_path, host="127.0.0.2") as server,
        client(server) as http,
    ):
        own = http.get("/__mock/health")
        other = http.get("/__mock/health", headers={"host": "127.0.0.3"})

    assert own.status_code == 200
    assert other.status_code == 403


def test_star_serves_any_host_and_says_so_at_start(tmp_path):
    with (
        running_server(tmp_path, "--allowed-host", "*") as server,
        client(server) as http,
    ):
        response = http.get("/__mock/health", headers={"host": "evil.example"})

    assert response.status_code == 200
    assert "Host check off (--allowed-host '*')" in server.log()
