from __future__ import annotations

import logging
import time
import warnings

import pytest

from contracts.documented import (
    DOCUMENTED_OPERATION,
    SCENARIO_B_VARIABLES,
)
from mock_server import create_app, default_schema_path
from mock_server.watch import reload_schema

with warnings.catch_warnings():
    # Starlette 1.10 asks for httpx2 when its TestClient runs on httpx.
    warnings.filterwarnings("ignore", message=".*install `httpx2` instead")
    from starlette.testclient import TestClient


def client_of(app):
    # The mock serves local Host names only (#20); TestClient's is "testserver".
    return TestClient(app, base_url="http://127.0.0.1:4000")


TAKES_EFFECT_S = 1.0
"""A saved file serves within a second (graphql-faker's editor is the anchor)."""
HELLO = "extend type Query { hello: String }\n"


@pytest.fixture
def sdl(tmp_path):
    path = tmp_path / "schema.graphql"
    path.write_text(default_schema_path().read_text())
    return path


def query(client, text):
    return client.post("/graphql", json={"query": text}).json()


def create_b(client):
    payload = {"query": DOCUMENTED_OPERATION, "variables": SCENARIO_B_VARIABLES}
    return client.post("/graphql", json=payload).json()


def wait_for(condition, timeout=TAKES_EFFECT_S * 3):
    """Seconds until `condition()` held; fails after `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.02)
    pytest.fail(f"not within {timeout} s")


def test_a_saved_schema_serves_within_a_second_and_keeps_the_state(sdl):
    with client_of(create_app(sdl, watch=True, seed=1)) as client:
        created = create_b(client)
        assert "errors" not in created
        assert "errors" in query(client, "{ hello }")

        sdl.write_text(sdl.read_text() + HELLO)
        seconds = wait_for(lambda: "errors" not in query(client, "{ hello }"))

        assert seconds < TAKES_EFFECT_S
        assert isinstance(query(client, "{ hello }")["data"]["hello"], str)
        duplicate = create_b(client)
        assert duplicate["errors"][0]["extensions"]["code"] == "RECORD_INVALID"


def test_a_schema_that_does_not_load_keeps_the_last_good_one(sdl, caplog):
    caplog.set_level(logging.INFO, logger="mock_server.watch")
    with client_of(create_app(sdl, watch=True, seed=1)) as client:
        sdl.write_text(sdl.read_text() + HELLO)
        wait_for(lambda: "errors" not in query(client, "{ hello }"))

        sdl.write_text("type Query {\n  broken(\n")
        wait_for(lambda: "not reloaded" in caplog.text)

        assert "errors" not in query(client, "{ hello }")
        assert "errors" not in create_b(client)
    failures = [r for r in caplog.records if "not reloaded" in r.getMessage()]
    assert len(failures) == 1
    assert "\n" not in failures[0].getMessage()
    assert str(sdl) in failures[0].getMessage()


def test_the_graphiql_page_follows_the_schema(sdl):
    with client_of(create_app(sdl, watch=True, seed=1)) as client:
        sdl.write_text(
            sdl.read_text() + "extend type SmtpCustomEmail { nickname: String }\n"
        )

        def page_has_it():
            page = client.get("/graphql", headers={"accept": "text/html"})
            return "nickname" in page.text

        wait_for(page_has_it)


def test_other_files_in_the_folder_do_not_reload(sdl, caplog):
    caplog.set_level(logging.INFO, logger="mock_server.watch")
    with client_of(create_app(sdl, watch=True, seed=1)):
        (sdl.parent / "notes.txt").write_text("not a schema")
        time.sleep(TAKES_EFFECT_S / 2)  # ten times the watcher's settling step
        assert "schema reloaded" not in caplog.text

        sdl.write_text(sdl.read_text() + HELLO)
        wait_for(lambda: "schema reloaded" in caplog.text)


def test_without_watch_a_saved_schema_changes_nothing(sdl):
    with client_of(create_app(sdl, seed=1)) as client:
        sdl.write_text(sdl.read_text() + HELLO)
        time.sleep(TAKES_EFFECT_S)

        assert "errors" in query(client, "{ hello }")


def test_a_missing_file_is_not_reloaded(tmp_path):
    calls = []

    assert reload_schema(tmp_path / "gone.graphql", lambda: calls.append(1)) is False
    assert calls == []
