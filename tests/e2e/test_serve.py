"""The real server process, driven by a GraphQL client nobody on this team wrote."""

from __future__ import annotations

import copy
import subprocess
import sys

import httpx
import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport

from contracts.documented import (
    DOCUMENTED_OPERATION,
    MUTATION_FIELD,
    SCENARIO_A_VARIABLES,
    SCENARIO_B_VARIABLES,
)
from tests.e2e.conftest import running_server, smtp_mock_command

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


def gql_client(server, **headers):
    transport = HTTPXAsyncTransport(
        url=server.url,
        headers={"Authorization": f"Bearer {server.token}", **headers},
        timeout=10,
    )
    # Fetching the schema makes gql validate every document against it too.
    return Client(transport=transport, fetch_schema_from_transport=True)


@pytest.fixture(scope="module")
def cleared(server):
    httpx.post(
        server.url.replace("/graphql", "/__mock/reset"),
        headers={"Authorization": f"Bearer {server.token}"},
    ).raise_for_status()
    return server


async def test_guide_scenarios_replayed_with_gql_match_the_documented_shape(cleared):
    async with gql_client(cleared) as session:
        a = await session.execute(
            GraphQLRequest(DOCUMENTED_OPERATION, variable_values=SCENARIO_A_VARIABLES)
        )
        b = await session.execute(
            GraphQLRequest(DOCUMENTED_OPERATION, variable_values=SCENARIO_B_VARIABLES)
        )

    for result, variables, relay in (
        (a, SCENARIO_A_VARIABLES, False),
        (b, SCENARIO_B_VARIABLES, True),
    ):
        sender = result[MUTATION_FIELD]["smtpCustomEmail"]
        configuration = sender["smtpConfiguration"]
        assert list(sender) == ["id", "emailAddress", "senderName", "smtpConfiguration"]
        assert sender["emailAddress"] == variables["emailAddress"]
        assert sender["senderName"] == variables["senderName"]
        assert list(configuration) == [
            "id",
            "host",
            "port",
            "organizationId",
            "ipRelayAuth",
        ]
        assert configuration["host"] == variables["smtpConfiguration"]["host"]
        assert configuration["port"] == str(variables["smtpConfiguration"]["port"])
        assert configuration["organizationId"] == "980700673"
        assert configuration["ipRelayAuth"] is relay
        assert len({sender["id"], configuration["id"]}) == 2


async def test_gql_sees_a_duplicate_as_a_record_invalid_error(cleared):
    variables = copy.deepcopy(SCENARIO_A_VARIABLES)
    variables["emailAddress"] = "dup@acme.example"
    request = GraphQLRequest(DOCUMENTED_OPERATION, variable_values=variables)
    async with gql_client(cleared) as session:
        await session.execute(request)
        with pytest.raises(TransportQueryError) as caught:
            await session.execute(request)

    assert caught.value.errors is not None
    [error] = caught.value.errors
    assert error["extensions"]["code"] == "RECORD_INVALID"
    assert caught.value.data == {MUTATION_FIELD: None}


def test_requests_without_the_token_get_401(server):
    response = httpx.post(server.url, json={"query": "{ __typename }"})

    assert response.status_code == 401
    assert response.json()["errors"][0]["title"] == "Unauthorized"


def test_graphiql_page_is_served_to_browsers(server):
    response = httpx.get(server.url, headers={"accept": "text/html"})

    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_no_graphiql_serves_no_page(tmp_path):
    with running_server(tmp_path, env={"SMTP_MOCK_NO_GRAPHIQL": "1"}) as started:
        response = httpx.get(started.url, headers={"accept": "text/html"})

    assert response.status_code == 401  # no public page any more: the API's answer
    assert response.headers["content-type"] == "application/json"


def test_server_log_has_request_lines_and_no_secrets(server):
    httpx.post(
        server.url,
        json={"query": DOCUMENTED_OPERATION, "variables": SCENARIO_A_VARIABLES},
        headers={"Authorization": f"Bearer {server.token}"},
    )

    log = server.log_with("POST /graphql")
    assert "POST /graphql" in log
    assert "s3cr3t-PA" not in log
    assert server.token not in log
    assert "Traceback" not in log


def test_python_dash_m_entry_point_matches_the_script():
    result = subprocess.run(
        [sys.executable, "-m", "mock_server", "serve", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert "Usage: python -m mock_server serve" in result.stdout


def test_a_broken_schema_stops_the_server_at_start(tmp_path):
    path = tmp_path / "broken.graphql"
    path.write_text("type Query {")
    result = subprocess.run(
        [*smtp_mock_command(), "serve", "--schema", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert "Cannot load schema from" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_compile_serves_the_same_answers(tmp_path):
    """`serve --no-compile` (graphql-core's executor) against the default."""
    from tests.e2e.conftest import running_server

    bodies: list[object] = [
        {"query": DOCUMENTED_OPERATION, "variables": SCENARIO_A_VARIABLES},
        {"query": DOCUMENTED_OPERATION, "variables": SCENARIO_A_VARIABLES},
        {"query": DOCUMENTED_OPERATION, "variables": SCENARIO_B_VARIABLES},
        {"query": DOCUMENTED_OPERATION, "variables": {"senderName": 5}},
        '{"query": "{ __typename }", "variables": {"v": NaN}}',
    ]
    answers = []
    for extra in ((), ("--no-compile",)):
        with running_server(tmp_path, "--seed", "3", *extra) as server:
            headers = {"Authorization": f"Bearer {server.token}"}
            with httpx.Client(headers=headers, timeout=10) as client:
                responses = [
                    client.post(server.url, content=body.encode(),
                                headers={"content-type": "application/json"})
                    if isinstance(body, str)
                    else client.post(server.url, json=body)
                    for body in bodies
                ]  # fmt: skip
        answers.append([(r.status_code, r.json()) for r in responses])

    assert answers[0] == answers[1]
    # Variables that do not fit: a request error (200 in application/json);
    # a body that is not JSON: no GraphQL request at all (400).
    assert [status for status, _ in answers[0]] == [200, 200, 200, 200, 400]
