"""Apollo Client 4 and urql 6, in Node, against `smtp-mock serve` (#16)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from contracts.documented import (
    DOCUMENTED_OPERATION,
    SCENARIO_A_VARIABLES,
    SCENARIO_B_VARIABLES,
)
from tests.e2e.conftest import TOKEN, running_server
from tests.js.npm import node_project

CLIENTS = Path(__file__).with_name("clients")
NODE_TIMEOUT_S = 120
EXPECTED_TESTS = 7  # apollo.test.js 4, urql.test.js 3
# The access line of one HTTP request that held two operations.
BATCH_LINE = r"POST /graphql 200 op=\S+,\S+ "


def test_javascript_clients_pass_against_the_served_mock(tmp_path):
    folder = node_project(CLIENTS, "for the Apollo and urql clients")
    guide = {
        "operation": DOCUMENTED_OPERATION,
        "scenarioA": SCENARIO_A_VARIABLES,
        "scenarioB": SCENARIO_B_VARIABLES,
    }
    with running_server(tmp_path) as server:
        env = {
            **os.environ,
            "SMTP_MOCK_URL": server.url,
            "SMTP_MOCK_TOKEN": TOKEN,
            "SMTP_MOCK_GUIDE": json.dumps(guide),
        }
        run = subprocess.run(
            ["node", "--test", "--test-reporter=tap"],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT_S,
        )
        log = server.log_with(BATCH_LINE)

    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    assert re.search(rf"^# pass {EXPECTED_TESTS}$", report, re.M), report
    assert re.search(r"^# fail 0$", report, re.M), report
    # The batch really was one HTTP request holding two operations.
    assert re.search(BATCH_LINE, log), log
    assert TOKEN not in log


def test_without_node_the_javascript_tests_skip_saying_why(monkeypatch, tmp_path):
    monkeypatch.setattr("shutil.which", lambda tool: None)

    with pytest.raises(pytest.skip.Exception, match="node is not installed: Node 20"):
        node_project(tmp_path, "for this")
