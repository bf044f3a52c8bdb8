"""Helpers shared by the toolkit's own tests: the guide's scenarios, varied."""

from __future__ import annotations

import copy
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from contracts.documented import (
    DOCUMENTED_OPERATION,
    MUTATION_FIELD,
    SCENARIO_A_VARIABLES,
    SCENARIO_B_VARIABLES,
)


def scenario_a(**changes: Any) -> dict[str, Any]:
    """Scenario A's variables, with top-level or configuration fields changed."""
    return _changed(SCENARIO_A_VARIABLES, changes)


def scenario_b(**changes: Any) -> dict[str, Any]:
    """Scenario B's variables, with top-level or configuration fields changed."""
    return _changed(SCENARIO_B_VARIABLES, changes)


_TOP_LEVEL = ("senderName", "emailAddress", "smtpConfiguration")


def _changed(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    variables = copy.deepcopy(base)
    for key, value in changes.items():
        target = variables if key in _TOP_LEVEL else variables["smtpConfiguration"]
        if value is _DROP:
            target.pop(key, None)
        else:
            target[key] = value
    return variables


_DROP = object()
DROP: Any = _DROP
"""Pass as a value to remove the key."""


async def create(
    client: httpx.AsyncClient, variables: dict[str, Any]
) -> httpx.Response:
    """Send the guide's operation with these variables."""
    return await client.post(
        "/graphql", json={"query": DOCUMENTED_OPERATION, "variables": variables}
    )


def created(response: httpx.Response) -> dict[str, Any]:
    """The created sender of a successful create."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    sender: dict[str, Any] = body["data"][MUTATION_FIELD]["smtpCustomEmail"]
    return sender


def error_entries(response: httpx.Response) -> list[dict[str, Any]]:
    """The error entries of a failed create, after checking the real API's shape."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] == {MUTATION_FIELD: None}
    entries: list[dict[str, Any]] = body["errors"]
    assert entries
    return entries


async def state(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    response = await client.get("/__mock/state")
    assert response.status_code == 200
    senders: list[dict[str, Any]] = response.json()["smtpCustomEmails"]
    return senders


def guarded_requests() -> list[tuple[str, str]]:
    """Every (method, path) of /graphql and the admin API, as the app routes them.

    Read from the app itself, so a route added later is covered by the tests
    that must reach every one (the Host check of #20).
    """
    from starlette.routing import Route

    from mock_server import create_app

    requests = []
    for route in create_app().routes:
        assert isinstance(route, Route)
        # /graphql is an ASGI endpoint answering GET and POST itself.
        methods = route.methods or {"GET", "POST"}
        requests += [(method, route.path) for method in sorted(methods)]
    return [(method, path) for method, path in requests if method != "HEAD"]


def single_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The one error entry of a request refused whole (no `data`)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert "data" not in body
    entry: dict[str, Any]
    [entry] = body["errors"]
    assert entry["message"]
    assert entry["extensions"]["code"] == code
    return entry


def smtp_contract(
    *args: str,
    token: str | None,
    command: str = "run",
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`smtp-contract COMMAND ARGS` as a pipeline runs it: no inherited settings.

    `env` adds variables (e.g. a service account's SMTP_CONTRACT_CLIENT_*).
    """
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("SMTP_CONTRACT")
    }
    environment.pop("CI", None)
    environment.update(env or {})
    if token is not None:
        environment["SMTP_CONTRACT_TOKEN"] = token
    script = Path(sys.executable).with_name("smtp-contract")
    return subprocess.run(
        [str(script), command, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
        check=False,
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on `host` that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def listening(url: str) -> bool:
    """Whether something accepts TCP connections at `url`'s host and port.

    The cheap first step of waiting for a server to start: an `httpx` request
    costs about 25 ms of CPU (a client and its SSL context), a refused
    connect almost nothing, and a poll every 50 ms of a server still starting
    burnt half a core of the machine the tests share.
    """
    address = httpx.URL(url)
    port = address.port or (443 if address.scheme == "https" else 80)
    try:
        socket.create_connection((address.host, port), timeout=0.5).close()
    except OSError:
        return False
    return True


def healthy(base_url: str) -> bool:
    """Whether the mock at `base_url` answers its health check (cheaply when down)."""
    if not listening(base_url):
        return False
    try:
        health = httpx.get(f"{base_url}/__mock/health", timeout=0.5)
    except httpx.TransportError:
        return False
    return health.status_code == 200


def stop(*processes: subprocess.Popen[bytes]) -> None:
    """Terminate processes this test started; kill any that outlive 10 s."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
