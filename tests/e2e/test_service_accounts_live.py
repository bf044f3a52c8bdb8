"""Service accounts against the real server: an app and the contract CLI (#25)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.conftest import Server, running_server
from tests.helpers import smtp_contract

# Their subprocesses run code other tests measure (CONTRIBUTING.md, "Coverage").
pytestmark = pytest.mark.no_cover_subprocesses

CLIENT_ID = "ci-robot"
SECRET = "e2e-client-s3cret"
MEMBER = "e2e-member-token"
QUERY = {"query": "{ __typename }"}


@pytest.fixture(scope="module")
def accounts_server(tmp_path_factory) -> Iterator[Server]:
    """`smtp-mock serve` with a service account and a member, and no --token."""
    env = {
        "SMTP_MOCK_TOKEN": "",
        "SMTP_MOCK_CLIENTS": f"{CLIENT_ID}:{SECRET}",
        "SMTP_MOCK_MEMBER_TOKEN": MEMBER,
    }
    with running_server(tmp_path_factory.mktemp("oauth"), env=env) as started:
        yield started


def token_url(server: Server) -> str:
    return server.url.replace("/graphql", "/oauth/token")


def test_an_app_that_fetches_its_token_works_unchanged(accounts_server):
    grant = {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
    }
    issued = httpx.post(token_url(accounts_server), json=grant)
    token = issued.json()["access_token"]

    with_token = httpx.post(
        accounts_server.url, json=QUERY, headers={"Authorization": f"Bearer {token}"}
    )
    without = httpx.post(accounts_server.url, json=QUERY)
    refused = httpx.post(
        token_url(accounts_server), json={**grant, "client_secret": "nope"}
    )

    assert issued.status_code == 200
    assert issued.json()["expires_in"] == 3600
    assert with_token.json() == {"data": {"__typename": "Query"}}
    assert without.status_code == 401
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
    log = accounts_server.log_with("outcome=invalid_client")
    assert "POST /oauth/token 200 op=- outcome=ISSUED" in log
    assert SECRET not in log
    assert token not in log


def test_the_contract_run_uses_the_service_account(accounts_server):
    result = smtp_contract(
        "--url", accounts_server.url, "--org", "980700673", "--rps", "500",
        "--hypothesis-profile", "dev", "--max-requests", "600", "--cleanup",
        "--allow-leftovers",
        token=None,
        env={
            "SMTP_CONTRACT_CLIENT_ID": CLIENT_ID,
            "SMTP_CONTRACT_CLIENT_SECRET": SECRET,
        },
    )  # fmt: skip

    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert f"token=from {token_url(accounts_server)} (client {CLIENT_ID})" in output
    assert SECRET not in output
    assert SECRET not in accounts_server.log()


def test_a_refusing_token_endpoint_exits_2_with_one_line(accounts_server):
    result = smtp_contract(
        "--url", accounts_server.url, "--org", "980700673",
        "--client-id", CLIENT_ID,
        token=None,
        env={"SMTP_CONTRACT_CLIENT_SECRET": "not-the-s3cret"},
    )  # fmt: skip

    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: the token endpoint {token_url(accounts_server)}")
    assert "HTTP 401 invalid_client" in line
    assert "not-the-s3cret" not in result.stdout + result.stderr


def test_a_members_token_is_accepted_but_cannot_manage(accounts_server):
    headers = {"Authorization": f"Bearer {MEMBER}"}
    body = httpx.post(
        accounts_server.url,
        json={
            "query": 'mutation { deleteSmtpConfiguration(input: {id: "x"}) '
            "{ success } }"
        },
        headers=headers,
    ).json()

    assert body["data"] == {"deleteSmtpConfiguration": None}
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
