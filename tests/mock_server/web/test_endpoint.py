"""GraphQL over HTTP: every malformed request gets a well-formed error.

A request error (a document that does not parse or validate, variables that do
not fit) answered as `application/json` is a 200, as the GraphQL-over-HTTP spec
recommends; `test_media_types.py` has the other media type and the profile's
400. A body that is no GraphQL request at all is a 400 either way.
"""

from __future__ import annotations

import json

import pytest

from contracts.documented import (
    DOCUMENTED_OPERATION,
    SCENARIO_A_VARIABLES,
    SCENARIO_B_VARIABLES,
)
from mock_server.web import MAX_BATCH_SIZE, MAX_BODY_BYTES
from tests.helpers import single_error

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("body", [b"", b"{", b"not json", b"\xff\xfe"])
async def test_invalid_json_body_is_400(client, body):
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    single_error(response, 400, "BAD_REQUEST")


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", ""]
)
async def test_wrong_content_type_is_415(client, content_type):
    response = await client.post(
        "/graphql",
        content=b'{"query": "{ __typename }"}',
        headers={"content-type": content_type},
    )

    single_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")


async def test_content_type_parameters_are_accepted(client):
    response = await client.post(
        "/graphql",
        content=b'{"query": "{ __typename }"}',
        headers={"content-type": "application/json; charset=utf-8"},
    )

    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    "payload",
    [
        "a string",
        42,
        None,
        {},
        {"query": ""},
        {"query": 5},
        {"query": "{ __typename }", "variables": [1]},
        {"query": "{ __typename }", "variables": "{}"},
        {"query": "{ __typename }", "operationName": 3},
        {"query": "{ __typename }", "extensions": []},
    ],
)
async def test_malformed_request_object_is_400(client, payload):
    response = await client.post(
        "/graphql",
        content=json.dumps(payload),
        headers={"content-type": "application/json"},
    )

    single_error(response, 400, "BAD_REQUEST")


async def test_syntax_error_is_a_request_error_with_standard_shape(client):
    response = await client.post("/graphql", json={"query": "mutation {"})

    entry = single_error(response, 200, "GRAPHQL_PARSE_FAILED")
    assert entry["locations"] == [{"line": 1, "column": 11}]
    assert entry["message"].startswith("Syntax Error")


async def test_unknown_field_is_a_validation_error(client):
    response = await client.post("/graphql", json={"query": "{ nope }"})

    entry = single_error(response, 200, "GRAPHQL_VALIDATION_FAILED")
    assert "nope" in entry["message"]


async def test_variable_of_wrong_type_is_refused_without_echoing_it(client):
    variables = {**SCENARIO_A_VARIABLES, "senderName": 12345}
    response = await client.post(
        "/graphql", json={"query": DOCUMENTED_OPERATION, "variables": variables}
    )

    entry = single_error(response, 200, "BAD_USER_INPUT")
    assert "$senderName" in entry["message"]
    assert "12345" not in response.text


async def test_missing_nested_field_error_does_not_echo_the_password(client):
    configuration = {**SCENARIO_A_VARIABLES["smtpConfiguration"]}
    del configuration["host"]
    variables = {**SCENARIO_A_VARIABLES, "smtpConfiguration": configuration}
    response = await client.post(
        "/graphql", json={"query": DOCUMENTED_OPERATION, "variables": variables}
    )

    entry = single_error(response, 200, "BAD_USER_INPUT")
    assert "host" in entry["message"]
    assert "s3cr3t-PA" not in response.text


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {},
            [
                "Variable '$senderName' of required type 'String!' was not provided",
                "Variable '$emailAddress' of required type 'String!' was not provided",
            ],
        ),
        (
            {"senderName": None, "emailAddress": "a@b.example"},
            ["Variable '$senderName' of non-null type 'String!' must not be null"],
        ),
    ],
)
async def test_required_variables_are_enforced(client, variables, expected):
    response = await client.post(
        "/graphql", json={"query": DOCUMENTED_OPERATION, "variables": variables}
    )

    assert response.status_code == 200
    entries = response.json()["errors"]
    assert [entry["message"] for entry in entries] == expected
    assert {entry["extensions"]["code"] for entry in entries} == {"BAD_USER_INPUT"}


async def test_required_input_fields_are_enforced_by_the_schema(client):
    query = """mutation { createSmtpCustomEmailWithConfiguration(
        input: {emailAddress: "a@b.example"}) { smtpCustomEmail { id } } }"""
    response = await client.post("/graphql", json={"query": query})

    entry = single_error(response, 200, "GRAPHQL_VALIDATION_FAILED")
    assert "senderName" in entry["message"]


async def test_unknown_operation_name_is_a_request_error(client):
    response = await client.post(
        "/graphql", json={"query": "query A { __typename }", "operationName": "B"}
    )

    entry = single_error(response, 200, "BAD_REQUEST")
    assert entry["message"] == "Unknown operation named 'B'"


async def test_several_operations_need_an_operation_name(client):
    query = "query A { __typename } query B { __typename }"
    response = await client.post("/graphql", json={"query": query})
    single_error(response, 200, "BAD_REQUEST")

    chosen = await client.post("/graphql", json={"query": query, "operationName": "B"})
    assert chosen.json() == {"data": {"__typename": "Query"}}


async def test_subscriptions_are_refused(client):
    response = await client.post("/graphql", json={"query": "subscription { x }"})

    entry = single_error(response, 200, "BAD_REQUEST")
    assert entry["message"] == "Subscriptions are not supported"


async def test_get_runs_queries(client):
    response = await client.get(
        "/graphql",
        params={
            "query": "query Q($org: ID!) "
            "{ smtpConfigurations(organizationId: $org) { nodes { id } } }",
            "variables": json.dumps({"org": "1"}),
            "operationName": "Q",
        },
    )

    assert response.status_code == 200
    assert response.json() == {"data": {"smtpConfigurations": {"nodes": []}}}


async def test_get_refuses_mutations_with_405(client):
    response = await client.get(
        "/graphql",
        params={
            "query": DOCUMENTED_OPERATION,
            "variables": json.dumps(SCENARIO_A_VARIABLES),
        },
    )

    single_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "POST"
    state = await client.get("/__mock/state")
    assert state.json() == {"smtpCustomEmails": []}


async def test_get_with_invalid_variables_json_is_400(client):
    response = await client.get(
        "/graphql", params={"query": "{ __typename }", "variables": "{nope"}
    )

    single_error(response, 400, "BAD_REQUEST")


async def test_get_without_query_is_400(client):
    response = await client.get("/graphql", headers={"accept": "application/json"})

    single_error(response, 400, "BAD_REQUEST")


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
async def test_other_methods_are_405(client, method):
    response = await client.request(method, "/graphql")

    single_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "GET, POST"


async def test_body_over_one_mebibyte_is_413(client):
    padding = "x" * MAX_BODY_BYTES
    response = await client.post(
        "/graphql", json={"query": "{ __typename }", "extensions": {"pad": padding}}
    )

    single_error(response, 413, "PAYLOAD_TOO_LARGE")


async def test_body_over_limit_without_content_length_is_413(client):
    async def chunks():
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b" " * 65536

    response = await client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )

    single_error(response, 413, "PAYLOAD_TOO_LARGE")


async def test_batch_runs_in_order_and_returns_a_list(client):
    batch = [
        {"query": DOCUMENTED_OPERATION, "variables": SCENARIO_A_VARIABLES},
        {"query": DOCUMENTED_OPERATION, "variables": SCENARIO_A_VARIABLES},
        {"query": "{ __typename }"},
    ]
    response = await client.post("/graphql", json=batch)

    assert response.status_code == 200
    first, second, third = response.json()
    assert "errors" not in first
    assert second["errors"][0]["extensions"]["field"] == "emailAddress"
    assert third == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("size", [0, MAX_BATCH_SIZE + 1])
async def test_batch_size_is_bounded(client, size):
    batch = [{"query": "{ __typename }"}] * size
    response = await client.post("/graphql", json=batch)

    single_error(response, 400, "BAD_REQUEST")


async def test_correlation_id_header_matches_error_entries(client):
    response = await client.post("/graphql", json={"query": "{ nope }"})

    [entry] = response.json()["errors"]
    assert entry["extensions"]["correlation_id"] == response.headers["x-correlation-id"]


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("path", ["/graphql", "/__mock/seed", "/__mock/faults"])
async def test_json_nested_too_deeply_is_400_not_500(client, path):
    response = await client.post(
        path, content=DEEP, headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


# Decoded, such a string could not be encoded back into the response.
UNPAIRED_SURROGATE = (
    '{"query": "mutation { createSmtpCustomEmailWithConfiguration(input: '
    '{senderName: \\"X\\ud800\\", emailAddress: \\"a@b.example\\"}) '
    '{ clientMutationId } }"}'
)


@pytest.mark.parametrize(
    "body",
    [
        UNPAIRED_SURROGATE,
        '{"query": "{ __typename }", "variables": {"v": "\\udc00"}}',
        '{"query": "{ __typename }", "variables": {"v": NaN}}',
        # Was a 500: the sender was created, then its name could not be encoded.
        json.dumps(
            {
                "query": DOCUMENTED_OPERATION,
                "variables": {**SCENARIO_B_VARIABLES, "senderName": "X\ud800Y"},
            }
        ),
    ],
)
@pytest.mark.parametrize("path", ["/graphql", "/__mock/seed"])
async def test_json_outside_the_standard_is_400_not_500(client, path, body):
    response = await client.post(
        path, content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


@pytest.mark.parametrize("depth", [500, 950])
async def test_deeply_nested_variables_are_refused_not_500(client, depth):
    nested = "[" * depth + "1" + "]" * depth
    body = (
        '{"query": "mutation($v: SmtpConfigurationInput) '
        '{ createSmtpCustomEmailWithConfiguration(input: {senderName: \\"a\\", '
        'emailAddress: \\"a@b.example\\", smtpConfiguration: $v}) '
        '{ clientMutationId } }", '
        f'"variables": {{"v": {nested}}}}}'
    )
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    # Refused while decoding the JSON (no GraphQL request: 400) or while
    # coercing the variables (a request error: 200).
    code = response.json()["errors"][0]["extensions"]["code"]
    assert (response.status_code, code) in {
        (400, "BAD_REQUEST"),
        (200, "BAD_USER_INPUT"),
    }


async def test_an_object_of_many_unknown_keys_is_refused_with_a_bounded_list(client):
    configuration = {**SCENARIO_A_VARIABLES["smtpConfiguration"]}
    configuration.update({f"k{index}": 1 for index in range(10_000)})
    variables = {**SCENARIO_A_VARIABLES, "smtpConfiguration": configuration}
    response = await client.post(
        "/graphql", json={"query": DOCUMENTED_OPERATION, "variables": variables}
    )

    errors = response.json()["errors"]
    assert response.status_code == 200
    assert len(errors) == 51
    assert errors[-1]["message"] == (
        "Too many invalid values in the variables: the first 50 are listed"
    )
    assert {entry["extensions"]["code"] for entry in errors} == {"BAD_USER_INPUT"}
    assert "s3cr3t-PA" not in response.text
