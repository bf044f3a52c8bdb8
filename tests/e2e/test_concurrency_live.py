"""Bursts and the concurrency clause against real server processes.

Two independent implementations (tests/contracts/flawed_impls.py), each with
one real-world bug, are served by uvicorn as a user would deploy them:
`smtp-contract run --url` must fail each with exit 1 naming the broken clause,
and pass the same implementation with the bug fixed.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess

import pytest

from contracts.client.bursts import HttpBurst
from contracts.selftest.served import app_server, served
from tests.helpers import smtp_contract


def served_impl(factory: str) -> contextlib.AbstractContextManager[str]:
    """uvicorn serving `tests.contracts.flawed_impls:FACTORY` on a free port."""
    server = app_server(f"tests.contracts.flawed_impls:{factory}", os.environ)
    return served(server)


def run_against(url: str) -> subprocess.CompletedProcess[str]:
    return smtp_contract(
        "--url", url, "--org", "980700673", "--rps", "500",
        "--hypothesis-profile", "dev",
        "--allow-leftovers", token=None,
    )  # fmt: skip


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
@pytest.mark.parametrize(
    ("factory", "clause", "failing_test"),
    [
        ("racy_app", "email.unique-in-org.concurrent",
         "test_simultaneous_identical_creates_make_one_sender"),
        ("relay_by_null_app", "credentials.required",
         "test_every_way_of_leaving_relay_off_and_a_credential_out_is_refused"
         "[null-omitted-password]"),
    ],
)  # fmt: skip
def test_run_fails_an_independent_implementation_naming_the_clause(
    factory, clause, failing_test
):
    with served_impl(factory) as url:
        result = run_against(url)

    assert result.returncode == 1, result.stdout[-3000:] + result.stderr
    assert f"[documented] {clause}:" in result.stdout
    assert "FAILED contracts/suite/" in result.stdout
    assert failing_test in result.stdout
    assert f"{clause} " in result.stdout.split("contract clauses")[1]


def test_run_passes_the_same_implementation_without_the_bugs():
    with served_impl("faithful_app") as url:
        result = run_against(url)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    # The table pads clause ids to the longest one.
    assert re.search(
        r"email\.unique-in-org\.concurrent +documented +held", result.stdout
    )


def test_an_http_burst_against_the_served_mock_has_one_winner(server):
    payload = {
        "query": "mutation($e: String!) { createSmtpCustomEmailWithConfiguration("
        'input: {senderName: "S", emailAddress: $e, smtpConfiguration: {'
        'host: "h.example", port: 25, organizationId: "1", ipRelayAuth: true}})'
        " { smtpCustomEmail { id } } }",
        "variables": {"e": "burst@one.example"},
    }
    headers = {"Authorization": f"Bearer {server.token}"}

    responses = HttpBurst(5.0).send(server.url, [payload] * 8, headers)

    created = [
        r
        for r in responses
        if (r.json().get("data") or {}).get("createSmtpCustomEmailWithConfiguration")
    ]
    assert [r.status_code for r in responses] == [200] * 8
    assert len(created) == 1
