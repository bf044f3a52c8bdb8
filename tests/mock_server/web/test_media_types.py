"""GraphQL over HTTP's two media types, and the status of a request error (#28).

graphql-http's audit (`tests/js/test_graphql_http.py`) checks the served mock
against the spec as a whole; these pin each choice in-process.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from contracts.documented import DOCUMENTED_OPERATION, SCENARIO_A_VARIABLES
from mock_server import ConfigurationError, create_app
from mock_server.domain.profile import DEFAULT_PROFILE
from mock_server.domain.profile_files import load_profile, profile_document
from mock_server.web.media_types import MediaType, negotiate

pytestmark = pytest.mark.anyio

GRAPHQL_RESPONSE = "application/graphql-response+json"
# What Apollo Client 4 sends.
APOLLO_ACCEPT = "application/graphql-response+json,application/json;q=0.9"
URQL_ACCEPT = (
    "application/graphql-response+json, application/graphql+json, "
    "application/json, text/event-stream, multipart/mixed"
)
REQUEST_ERRORS = [
    {"query": "{"},  # does not parse
    {"query": "{ nope }"},  # does not validate
    {"query": "query Q($id: ID!) { __typename }", "variables": {"id": None}},
    {"query": "{ __typename }", "operationName": "Other"},
    {"query": "{ " + " ".join(["__typename"] * 21) + " }"},  # a mock's limit
]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, MediaType.JSON),
        ("", MediaType.JSON),
        ("*/*", MediaType.JSON),
        ("application/json", MediaType.JSON),
        ("application/*", MediaType.JSON),
        ("text/html", MediaType.JSON),  # nothing acceptable: the default type
        (GRAPHQL_RESPONSE, MediaType.GRAPHQL_RESPONSE),
        (APOLLO_ACCEPT, MediaType.GRAPHQL_RESPONSE),
        (URQL_ACCEPT, MediaType.GRAPHQL_RESPONSE),
        ("application/json, application/graphql-response+json;q=0.5", MediaType.JSON),
        (f"{GRAPHQL_RESPONSE};q=0", MediaType.JSON),
        (f"{GRAPHQL_RESPONSE}; charset=latin1, */*", MediaType.JSON),
        (f"{GRAPHQL_RESPONSE}; charset=UTF-8", MediaType.GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=nope, application/json", MediaType.JSON),
    ],
)
def test_the_accept_header_picks_the_media_type(accept, expected):
    assert negotiate(accept) is expected


async def test_graphql_response_json_is_answered_in_that_type(client):
    response = await client.post(
        "/graphql",
        json={"query": DOCUMENTED_OPERATION, "variables": SCENARIO_A_VARIABLES},
        headers={"accept": APOLLO_ACCEPT},
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == (
        "application/graphql-response+json; charset=utf-8"
    )
    assert "errors" not in response.json()


@pytest.mark.parametrize("payload", REQUEST_ERRORS)
async def test_request_errors_are_400_in_graphql_response_json(client, payload):
    response = await client.post(
        "/graphql", json=payload, headers={"accept": GRAPHQL_RESPONSE}
    )

    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert "data" not in response.json()


@pytest.mark.parametrize("payload", REQUEST_ERRORS)
async def test_request_errors_are_200_in_json_by_default(client, payload):
    response = await client.post("/graphql", json=payload)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert "data" not in response.json()
    assert response.json()["errors"]


@pytest.mark.parametrize("payload", REQUEST_ERRORS)
async def test_the_profile_may_make_them_400_in_json(client_for, payload):
    profile = replace(DEFAULT_PROFILE, request_error_status=400)
    async with client_for(create_app(profile=profile)) as client:
        response = await client.post("/graphql", json=payload)

    assert response.status_code == 400


@pytest.mark.parametrize("accept", [None, GRAPHQL_RESPONSE])
@pytest.mark.parametrize(
    "payload", [{}, {"query": 1}, {"query": "{ a }", "extensions": "x"}, []]
)
async def test_what_is_no_graphql_request_is_400_in_both(client, accept, payload):
    headers = {"accept": accept} if accept else {}
    response = await client.post("/graphql", json=payload, headers=headers)

    assert response.status_code == 400


async def test_a_mutation_over_get_is_405_in_both(client):
    for accept in ("application/json", GRAPHQL_RESPONSE):
        response = await client.get(
            "/graphql",
            params={"query": "mutation { __typename }"},
            headers={"accept": accept},
        )
        assert response.status_code == 405


def test_the_profile_file_sets_the_status(tmp_path):
    path = tmp_path / "profile.toml"
    path.write_text("[http]\nrequest_errors = 400\n")

    profile = load_profile(path)

    assert profile.request_error_status == 400
    assert profile_document(profile)["http"] == {"request_errors": 400}
    assert profile_document(DEFAULT_PROFILE)["http"] == {"request_errors": 200}


@pytest.mark.parametrize("value", ["500", "201", "'400'"])
def test_the_status_must_be_200_or_4xx(tmp_path, value):
    path = tmp_path / "profile.toml"
    path.write_text(f"[http]\nrequest_errors = {value}\n")

    with pytest.raises(ConfigurationError, match=r"http\.request_errors"):
        load_profile(path)


async def test_every_accept_header_is_negotiated_however_many_clients_send(client):
    # The endpoint keeps the first few it read; the others are read each time.
    accepts = {
        f"{GRAPHQL_RESPONSE if n % 2 else 'application/json'}, x/y{n}": (
            MediaType.GRAPHQL_RESPONSE if n % 2 else MediaType.JSON
        )
        for n in range(80)
    }

    for _round in range(2):
        for accept, expected in accepts.items():
            response = await client.post(
                "/graphql", json={"query": "{"}, headers={"accept": accept}
            )
            assert response.headers["content-type"] == expected.content_type
