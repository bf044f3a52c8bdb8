"""Fault injection: latency, GraphQL errors, 5xx/429, drops; deterministic."""

from __future__ import annotations

import copy
import json

import pytest

from contracts.documented import MUTATION_FIELD, OPERATION_NAME, SCENARIO_A_VARIABLES
from mock_server import ConfigurationError, create_app
from mock_server.web import MAX_BODY_BYTES
from mock_server.web.middleware.faults import Fault, FaultInjector, parse_faults
from tests.helpers import create, scenario_a

pytestmark = pytest.mark.anyio

EVERY_THIRD_CREATE_FAILS = [
    {
        "operation": OPERATION_NAME,
        "every": 3,
        "error": {"code": "RECORD_INVALID", "message": "Injected validation failure"},
    }
]


def variables(n):
    changed = copy.deepcopy(SCENARIO_A_VARIABLES)
    changed["emailAddress"] = f"user{n}@acme.example"
    return changed


async def outcomes(client, count, start=0):
    results = []
    for n in range(start, start + count):
        response = await create(client, variables(n))
        body = response.json()
        results.append("error" if body.get("errors") else "ok")
    return results


async def test_every_third_create_fails(client_for):
    app = create_app(faults=parse_faults(EVERY_THIRD_CREATE_FAILS))
    async with client_for(app) as client:
        results = await outcomes(client, 6)
        response = await create(client, variables(99))
        await create(client, variables(100))
        injected = await create(client, variables(101))

    assert results == ["ok", "ok", "error", "ok", "ok", "error"]
    assert response.status_code == 200
    assert injected.status_code == 200
    correlation_id = injected.headers["x-correlation-id"]
    # The shape of the mock's own domain errors (issue #28).
    assert injected.json() == {
        "data": {MUTATION_FIELD: None},
        "errors": [
            {
                "message": "Injected validation failure",
                "locations": [{"line": 6, "column": 3}],
                "path": [MUTATION_FIELD],
                "extensions": {
                    "code": "RECORD_INVALID",
                    "field": "input",
                    "correlation_id": correlation_id,
                },
            }
        ],
    }


async def test_an_injected_error_has_the_shape_of_a_real_domain_error(client_for):
    rule = {
        "error": {
            "code": "RECORD_INVALID",
            "message": "Email address is not a valid email address",
            "field": "emailAddress",
        }
    }
    real = scenario_a(emailAddress="not-an-address")
    async with client_for(create_app(seed=3)) as client:
        expected = (await create(client, real)).json()
    async with client_for(create_app(seed=3, faults=parse_faults([rule]))) as client:
        injected = (await create(client, variables(1))).json()

    assert expected["errors"][0]["extensions"]["field"] == "emailAddress"
    for body in (expected, injected):
        body["errors"][0]["extensions"].pop("correlation_id")
    assert injected == expected


async def test_an_injected_error_without_an_operation_keeps_data_null(client_for):
    rules = parse_faults([{"error": {"code": "X", "message": "m"}}])
    async with client_for(create_app(faults=rules)) as client:
        response = await client.get("/graphql", params={"query": "{ __typename }"})

    [entry] = response.json()["errors"]
    assert response.json()["data"] is None
    assert entry["extensions"] == {
        "code": "X",
        "correlation_id": response.headers["x-correlation-id"],
    }


async def test_probabilities_are_deterministic_under_a_seed(client_for):
    rules = parse_faults(
        [{"probability": 0.5, "error": {"code": "RECORD_INVALID", "message": "x"}}]
    )

    async def run():
        async with client_for(create_app(seed=4, faults=rules)) as client:
            return await outcomes(client, 20)

    first, second = await run(), await run()
    assert first == second
    assert 0 < first.count("error") < 20


async def test_http_status_faults_with_retry_after(client_for):
    rules = parse_faults([{"status": 429, "retry_after": 7}])
    async with client_for(create_app(faults=rules)) as client:
        limited = await create(client, variables(1))
        admin = await client.get("/__mock/state")

    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "7"
    assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert admin.status_code == 200  # /__mock/* is never affected


async def test_server_error_fault(client_for):
    async with client_for(create_app(faults=parse_faults([{"status": 503}]))) as client:
        response = await create(client, variables(1))

    assert response.status_code == 503
    [entry] = response.json()["errors"]
    assert entry["message"] == "Injected failure"
    assert entry["extensions"] == {
        "code": "FAULT_INJECTED",
        "correlation_id": response.headers["x-correlation-id"],
    }


@pytest.mark.parametrize(
    ("rule", "retry_after"),
    [
        ({"status": 429}, "1"),
        ({"status": 503}, "1"),
        ({"status": 503, "retry_after": 30}, "30"),
        ({"status": 429, "retry_after": None}, None),  # the rule says otherwise
        ({"status": 500}, None),
    ],
)
async def test_throttling_faults_say_when_to_retry(client_for, rule, retry_after):
    async with client_for(create_app(faults=parse_faults([rule]))) as client:
        response = await create(client, variables(1))

    assert response.status_code == rule["status"]
    assert response.headers.get("retry-after") == retry_after


def test_a_rule_without_retry_after_round_trips_as_such():
    [fault] = parse_faults([{"status": 429, "retry_after": None}])

    assert fault.as_json() == {"operation": "*", "status": 429, "retry_after": None}
    assert parse_faults([fault.as_json()]) == [fault]


async def test_dropped_connection(client_for):
    async with client_for(create_app(faults=parse_faults([{"drop": True}]))) as client:
        with pytest.raises(ConnectionAbortedError):
            await create(client, variables(1))


async def test_latency_is_added(client_for, monkeypatch):
    slept = []

    async def fake_sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr("mock_server.web.middleware.faults.asyncio.sleep", fake_sleep)
    rules = parse_faults([{"operation": "*", "latency_ms": 2000}])
    async with client_for(create_app(faults=rules)) as client:
        response = await create(client, variables(1))

    assert response.status_code == 200
    assert slept == [2.0]


async def test_faults_can_target_one_session(client_for):
    rules = parse_faults([{"session": "flaky", "status": 500}])
    async with client_for(create_app(faults=rules)) as client:
        calm = await create(client, variables(1))
        flaky = await client.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={"X-Mock-Session": "flaky"},
        )

    assert calm.status_code == 200
    assert flaky.status_code == 500


async def test_faults_are_managed_at_run_time(client):
    assert (await client.get("/__mock/faults")).json() == {"faults": []}

    posted = await client.post(
        "/__mock/faults", json={"faults": EVERY_THIRD_CREATE_FAILS}
    )
    listed = await client.get("/__mock/faults")
    results = await outcomes(client, 3)
    cleared = await client.delete("/__mock/faults")
    after = await outcomes(client, 3, start=10)

    assert posted.status_code == 200
    assert listed.json()["faults"][0]["every"] == 3
    assert results == ["ok", "ok", "error"]
    assert cleared.json() == {"faults": []}
    assert "error" not in after


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"other": 1}, "must be a list"),
        (["x"], "fault 0: must be an object"),
        ([{"latency": 1}], "unknown field"),
        ([{"latency_ms": -1}], "latency_ms"),
        ([{"latency_ms": [1, 2, 3]}], "latency_ms"),
        ([{"probability": 2}], "probability"),
        ([{"every": 0}], "every"),
        ([{"error": {"message": "no code"}}], "error must be an object with a code"),
        ([{"status": 404}], "status must be 429 or 5xx"),
        ([{"status": 429, "retry_after": "soon"}], "retry_after must be whole"),
        ([{"status": 429, "retry_after": -1}], "retry_after must be whole"),
    ],
)
def test_bad_rules_are_refused_with_their_index(rules, message):
    with pytest.raises(ConfigurationError, match=message):
        parse_faults(rules)


async def test_bad_rules_posted_at_run_time_are_400(client):
    response = await client.post("/__mock/faults", json=[{"status": 200}])

    assert response.status_code == 400
    assert "status must be 429 or 5xx" in response.json()["errors"][0]["message"]


def test_rules_round_trip_as_json():
    source = [
        {
            "operation": "Q",
            "session": "s",
            "latency_ms": [100.0, 200.0],
            "probability": 0.5,
            "every": 2,
            "error": {"code": "C", "message": "m", "field": "f"},
            "status": 503,
            "retry_after": 3,
            "drop": True,
        }
    ]

    [fault] = parse_faults(source)

    assert fault.as_json() == source[0]
    assert parse_faults({"faults": [fault.as_json()]}) == [fault]


def test_latency_range_is_drawn_within_bounds():
    injector = FaultInjector(seed=1, faults=[Fault(latency_ms=(100, 200))])

    delays = [injector.latency_seconds(injector.faults[0]) for _ in range(20)]

    assert all(0.1 <= delay <= 0.2 for delay in delays)


async def test_the_faults_file_is_read_at_start(tmp_path):
    from click.testing import CliRunner

    from mock_server.cli import main

    path = tmp_path / "faults.json"
    path.write_text(json.dumps([{"status": 200}]))

    result = CliRunner().invoke(main, ["serve", "--faults", str(path)])

    assert result.exit_code == 2
    assert "status must be 429 or 5xx" in result.output


async def test_get_queries_match_only_wildcard_rules(client_for):
    rules = parse_faults([{"operation": "Named", "status": 500}])
    async with client_for(create_app(faults=rules)) as client:
        response = await client.get(
            "/graphql", params={"query": "query Named { __typename }"}
        )

    assert response.status_code == 200


async def test_a_body_over_the_limit_gets_413_while_rules_are_active(client_for):
    # The rule would answer 503 to any GraphQL request it judged; a body over
    # the limit is refused (413) before any rule reads it whole.
    app = create_app(faults=parse_faults([{"operation": "*", "status": 503}]))
    chunk = b" " * 65536
    sent = 0

    async def endless_body():
        nonlocal sent
        for _ in range(1024):  # 64 MiB if it were all read
            sent += 1
            yield chunk

    async with client_for(app) as client:
        response = await client.post(
            "/graphql",
            content=endless_body(),
            headers={"content-type": "application/json"},
        )

    assert response.status_code == 413, response.text
    [entry] = response.json()["errors"]
    assert entry["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    # Reading stopped one chunk past 1 MiB; the rest was never pulled.
    assert sent == MAX_BODY_BYTES // len(chunk) + 1


async def test_a_declared_size_over_the_limit_is_refused_unread(client_for):
    app = create_app(faults=parse_faults([{"operation": "*", "status": 503}]))
    async with client_for(app) as client:
        response = await client.post(
            "/graphql",
            content=b"{}",
            headers={
                "content-type": "application/json",
                "content-length": str(MAX_BODY_BYTES + 1),
            },
        )

    assert response.status_code == 413
