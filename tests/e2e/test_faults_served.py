"""Faults from --faults, as a frontend sees them from a real server."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import TOKEN, running_server


def test_a_dropped_connection_and_a_slow_call_from_a_faults_file(tmp_path: Path):
    faults = tmp_path / "faults.json"
    faults.write_text(
        json.dumps(
            {
                "faults": [
                    {"operation": "Drop", "drop": True},
                    {"operation": "Slow", "latency_ms": 300},
                ]
            }
        )
    )
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with running_server(tmp_path, "--faults", str(faults)) as server:
        with pytest.raises(httpx.TransportError):
            httpx.post(
                server.url, json={"query": "query Drop { __typename }"}, headers=headers
            )
        slow = httpx.post(
            server.url, json={"query": "query Slow { __typename }"}, headers=headers
        )
        log = server.log_with("op=Slow")

    assert slow.status_code == 200
    assert slow.elapsed.total_seconds() >= 0.3
    assert "outcome=FAULT_INJECTED" in log
    assert "Traceback" not in log
