"""graphql-http's audit, the GraphQL-over-HTTP spec's own, against the served mock.

`serverAudits` of the npm package `graphql-http` (pinned by
`graphql-http/package-lock.json`) sends some sixty requests and grades each
answer: a failed MUST is an error, a failed SHOULD a warning, a failed MAY a
notice. The mock must pass with no error and no warning (issue #28); the
frontend guide ("Media types and status codes") explains any notice left.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from pathlib import Path

from tests.e2e.conftest import TOKEN, running_server
from tests.js.npm import node_project

AUDIT = Path(__file__).with_name("graphql-http")
NODE_TIMEOUT_S = 120
NOTICES: set[str] = set()
"""Audits the mock fails on purpose, each a MAY (none today)."""


def test_the_served_mock_passes_the_graphql_over_http_audit(tmp_path):
    folder = node_project(AUDIT, "for graphql-http's audit")
    with running_server(tmp_path) as server:
        env = {**os.environ, "SMTP_MOCK_URL": server.url, "SMTP_MOCK_TOKEN": TOKEN}
        run = subprocess.run(
            ["node", "audit.mjs"],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT_S,
            check=False,
        )

    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    failed = [result for result in results if result["status"] != "ok"]
    summary = "\n".join(
        f"{r['status']} {r['id']} {r['name']}: {r['reason']}" for r in failed
    )
    statuses = Counter(result["status"] for result in results)
    assert statuses["error"] == 0, summary
    assert statuses["warn"] == 0, summary
    assert {r["id"] for r in failed} == NOTICES, summary
    assert statuses["ok"] >= 60, statuses
