"""X-Mock-Session: each caller its own state, on every route."""

from __future__ import annotations

import pytest

from contracts.documented import SCENARIO_A_VARIABLES
from mock_server import create_app
from tests.helpers import create, created

pytestmark = pytest.mark.anyio


LIST = {"query": '{ smtpConfigurations(organizationId: "980700673") { nodes { id } } }'}


def session(name):
    return {"X-Mock-Session": name}


async def test_sessions_have_their_own_uniqueness_and_read_back(client):
    alice = created(await create_in(client, "alice"))
    bob = created(await create_in(client, "bob"))  # the same address, another session
    duplicate = await create_in(client, "alice")

    assert alice["id"] != bob["id"]
    assert duplicate.json()["errors"][0]["extensions"]["field"] == "emailAddress"
    listed = await client.post("/graphql", json=LIST, headers=session("bob"))
    seen_by_bob = [
        c["id"] for c in listed.json()["data"]["smtpConfigurations"]["nodes"]
    ]
    assert seen_by_bob == [bob["smtpConfiguration"]["id"]]


async def test_state_and_reset_are_per_session(client):
    created(await create_in(client, "alice"))
    created(await create_in(client, "bob"))
    created(await create(client, SCENARIO_A_VARIABLES))  # the default session

    await client.post("/__mock/reset", headers=session("alice"))

    assert await count(client, "alice") == 0
    assert await count(client, "bob") == 1
    default_state = await client.get("/__mock/state")
    assert len(default_state.json()["smtpCustomEmails"]) == 1


async def test_seed_loads_into_the_session(client):
    response = await client.post(
        "/__mock/seed",
        json={"smtpCustomEmails": [SCENARIO_A_VARIABLES]},
        headers=session("carol"),
    )

    assert response.status_code == 200
    assert await count(client, "carol") == 1
    assert await count(client, "dave") == 0


@pytest.mark.parametrize("name", ["", "has space", "x" * 65, "semi;colon"])
async def test_invalid_session_names_are_400(client, name):
    graphql = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers=session(name)
    )
    admin = await client.get("/__mock/state", headers=session(name))

    assert graphql.status_code == 400
    assert graphql.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert admin.status_code == 400


async def test_the_session_header_is_configurable(client_for):
    app = create_app(session_header="X-Team")
    async with client_for(app) as client:
        await create(client, SCENARIO_A_VARIABLES)
        response = await client.post("/graphql", json=LIST, headers={"X-Team": "other"})

    assert response.json() == {"data": {"smtpConfigurations": {"nodes": []}}}


async def create_in(client, name):
    from contracts.documented import DOCUMENTED_OPERATION

    return await client.post(
        "/graphql",
        json={"query": DOCUMENTED_OPERATION, "variables": SCENARIO_A_VARIABLES},
        headers=session(name),
    )


async def count(client, name):
    response = await client.get("/__mock/state", headers=session(name))
    return len(response.json()["smtpCustomEmails"])
