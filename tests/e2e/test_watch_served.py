"""`smtp-mock serve --watch` picks up a saved schema while serving (#16)."""

from __future__ import annotations

import time

import httpx

from contracts.documented import DOCUMENTED_OPERATION, SCENARIO_A_VARIABLES
from mock_server import default_schema_path
from tests.e2e.conftest import running_server

TAKES_EFFECT_S = 1.0
POLL_LIMIT_S = 5.0


def test_serve_watch_reloads_a_saved_schema_and_keeps_the_state(tmp_path):
    sdl = tmp_path / "schema.graphql"
    sdl.write_text(default_schema_path().read_text())
    env = {"SMTP_MOCK_WATCH": "1", "SMTP_MOCK_TOKEN": ""}
    with running_server(tmp_path, "--schema", str(sdl), env=env) as server:

        def post(query, variables=None):
            payload = {"query": query, "variables": variables or {}}
            return httpx.post(server.url, json=payload).json()

        assert "errors" not in post(DOCUMENTED_OPERATION, SCENARIO_A_VARIABLES)

        sdl.write_text(sdl.read_text() + "extend type Query { hello: String }\n")
        saved = time.monotonic()
        while "errors" in post("{ hello }"):
            assert time.monotonic() - saved < POLL_LIMIT_S, server.log()
            time.sleep(0.02)
        seconds = time.monotonic() - saved

        sdl.write_text("type Query {")
        while "not reloaded" not in server.log():
            assert time.monotonic() - saved < POLL_LIMIT_S, server.log()
            time.sleep(0.02)
        hello = post("{ hello }")
        duplicate = post(DOCUMENTED_OPERATION, SCENARIO_A_VARIABLES)
        log = server.log()

    assert seconds < TAKES_EFFECT_S, f"took {seconds:.2f} s"
    assert "errors" not in hello
    assert duplicate["errors"][0]["extensions"]["code"] == "RECORD_INVALID"
    failures = [line for line in log.splitlines() if "not reloaded" in line]
    assert len(failures) == 1, log
    assert "Cannot load schema from" in failures[0]
    assert "watching" in log
