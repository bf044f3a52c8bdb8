from __future__ import annotations

import pytest

from contracts.documented import SCENARIO_A_VARIABLES, SCENARIO_B_VARIABLES
from mock_server import create_app
from mock_server.web.admin import REDACTED
from tests.helpers import create, created, scenario_a, single_error, state

pytestmark = pytest.mark.anyio


async def test_state_lists_everything_with_passwords_redacted(client):
    first = created(await create(client, SCENARIO_A_VARIABLES))
    second = created(await create(client, SCENARIO_B_VARIABLES))

    stored = await state(client)

    assert [entry["id"] for entry in stored] == [first["id"], second["id"]]
    assert stored[0]["smtpConfiguration"]["username"] == "apikey@acme.example"
    assert stored[0]["smtpConfiguration"]["password"] == REDACTED
    assert stored[1]["smtpConfiguration"]["password"] is None


async def test_reset_deletes_everything_and_replays_seeded_ids(client):
    before = created(await create(client, SCENARIO_A_VARIABLES))

    response = await client.post("/__mock/reset")

    assert response.status_code == 200
    assert await state(client) == []
    after = created(await create(client, SCENARIO_A_VARIABLES))
    assert after["id"] == before["id"]


async def test_seed_loads_items_through_the_mutation_rules(client):
    response = await client.post(
        "/__mock/seed",
        json={"smtpCustomEmails": [SCENARIO_A_VARIABLES, SCENARIO_B_VARIABLES]},
    )

    assert response.status_code == 200
    assert response.json() == {"loaded": 2}
    stored = await state(client)
    assert [entry["emailAddress"] for entry in stored] == [
        "support@acme.example",
        "notifications@acme.example",
    ]
    assert stored[0]["smtpConfiguration"]["port"] == "587"
    # Seeded senders count for uniqueness like created ones.
    duplicate = await create(client, SCENARIO_A_VARIABLES)
    assert duplicate.json()["errors"][0]["extensions"]["field"] == "emailAddress"


async def test_seed_rejects_the_whole_load_with_a_reason_per_item(client):
    items = [
        SCENARIO_B_VARIABLES,
        scenario_a(password=None),
        scenario_a(port="587", password="hidden-pw"),
        {"senderName": "x"},
        "not an object",
    ]
    response = await client.post("/__mock/seed", json={"smtpCustomEmails": items})

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {error["index"] for error in errors} == {1, 2, 3, 4}
    assert {error["field"] for error in errors if error["index"] == 1} == {
        "smtpConfiguration.password"
    }
    assert "hidden-pw" not in response.text
    assert await state(client) == []


async def test_seed_rejects_duplicates_within_the_load(client):
    items = [SCENARIO_A_VARIABLES, scenario_a(emailAddress="SUPPORT@acme.example")]
    response = await client.post("/__mock/seed", json={"smtpCustomEmails": items})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "index": 1,
            "field": "emailAddress",
            "message": "Email address has already been taken in this organization",
        }
    ]
    assert await state(client) == []


async def test_seed_rejects_an_address_already_stored(client):
    created(await create(client, SCENARIO_A_VARIABLES))

    response = await client.post(
        "/__mock/seed",
        json={"smtpCustomEmails": [SCENARIO_B_VARIABLES, SCENARIO_A_VARIABLES]},
    )

    assert response.status_code == 422
    [problem] = response.json()["errors"]
    assert (problem["index"], problem["field"]) == (1, "emailAddress")
    assert len(await state(client)) == 1


@pytest.mark.parametrize(
    "body", [b"{", b"[]", b'{"smtpCustomEmails": {}}', b'{"other": []}']
)
async def test_seed_with_a_malformed_body_is_400(client, body):
    response = await client.post(
        "/__mock/seed", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


@pytest.mark.parametrize("path", ["/__mock/seed", "/__mock/faults"])
async def test_admin_bodies_over_the_limit_are_413(client, path):
    response = await client.post(
        path, json={"smtpCustomEmails": [], "faults": [], "pad": "x" * (1 << 20)}
    )

    assert response.status_code == 413
    assert response.json() == {
        "errors": [{"message": "Request body is larger than 1 MiB"}]
    }


async def test_health_answers_ok(client):
    response = await client.get("/__mock/health")

    assert response.json() == {"status": "ok"}


async def test_no_admin_hides_everything_but_health(client_for):
    async with client_for(create_app(admin=False)) as client:
        assert (await client.get("/__mock/state")).status_code == 404
        assert (await client.post("/__mock/reset")).status_code == 404
        assert (await client.post("/__mock/seed", json={})).status_code == 404
        assert (await client.delete("/__mock/faults")).status_code == 404
        assert (await client.get("/__mock/health")).status_code == 200


async def test_no_admin_answers_json_saying_why(client_for):
    async with client_for(create_app(admin=False)) as client:
        response = await client.post("/__mock/reset")

    entry = single_error(response, 404, "NOT_FOUND")
    assert "--no-admin" in entry["message"]
    assert "/__mock/reset" in entry["message"]
