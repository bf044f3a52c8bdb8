"""The documented SMTP configuration operations, as the mock answers them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
import pytest

from contracts.documented import GUIDE_ORGANIZATION_ID, SCENARIO_A_VARIABLES
from contracts.documented_family import (
    CREATE_CONFIGURATION,
    DELETE_CONFIGURATION,
    LIST_CONFIGURATIONS,
    UPDATE_CONFIGURATION,
)
from mock_server import create_app
from mock_server.domain.configurations import SEALED_PREFIX
from mock_server.domain.profile import (
    DEFAULT_PROFILE,
    DeleteInUse,
    FirstDefault,
    UnsetDefault,
)
from tests.helpers import create, created

pytestmark = pytest.mark.anyio

ORG = "org-family"
RELAY = {"host": "relay.example", "port": 25, "organizationId": ORG}


async def call(client: httpx.AsyncClient, query: str, **variables: Any) -> Any:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def make(client, **fields):
    values = {**RELAY, "defaultSmtp": False, "ipRelayAuth": True, **fields}
    body = await call(client, CREATE_CONFIGURATION, input=values)
    assert "errors" not in body, body
    return body["data"]["createSmtpConfiguration"]["smtpConfiguration"]


async def update(client, **fields):
    return await call(client, UPDATE_CONFIGURATION, input=fields)


async def listed(client, organization=ORG, **filters):
    body = await call(
        client, LIST_CONFIGURATIONS, organizationId=organization, **filters
    )
    return body["data"]["smtpConfigurations"]["nodes"]


def codes(body):
    return [error["extensions"]["code"] for error in body["errors"]]


async def test_create_answers_the_documented_selection(client):
    made = await make(
        client, ipRelayAuth=False, username="mailer", password="s3cr3t-pass"
    )

    assert made["port"] == "25"
    assert made["username"] == "mailer"
    assert made["defaultSmtp"] is True  # the organization's first
    assert made["outlookIntegration"] is False
    assert made["encryptedPassword"].startswith(SEALED_PREFIX)
    assert "s3cr3t-pass" not in made["encryptedPassword"]


async def test_create_requires_credentials_unless_relay(client):
    body = await call(
        client,
        CREATE_CONFIGURATION,
        input={**RELAY, "defaultSmtp": True, "password": "only-a-password"},
    )

    assert body["data"]["createSmtpConfiguration"] is None
    assert [e["extensions"]["field"] for e in body["errors"]] == ["username"]
    assert "only-a-password" not in str(body)


async def test_one_default_per_organization(client):
    first = await make(client)
    second = await make(client, defaultSmtp=True)

    assert first["defaultSmtp"] is True
    assert second["defaultSmtp"] is True
    assert [(c["id"], c["defaultSmtp"]) for c in await listed(client)] == [
        (first["id"], False),
        (second["id"], True),
    ]
    assert [c["id"] for c in await listed(client, defaultSmtp=True)] == [second["id"]]
    assert [c["id"] for c in await listed(client, defaultSmtp=False)] == [first["id"]]


async def test_update_changes_only_what_is_sent_and_keeps_the_password(client):
    made = await make(client, ipRelayAuth=False, username="u", password="first-pw")

    kept = await update(client, id=made["id"], host="smtp2.example", password=None)
    changed = kept["data"]["updateSmtpConfiguration"]["smtpConfiguration"]
    assert changed["host"] == "smtp2.example"
    assert changed["port"] == "25"
    assert changed["encryptedPassword"] == made["encryptedPassword"]

    rotated = await update(client, id=made["id"], password="second-pw")
    new = rotated["data"]["updateSmtpConfiguration"]["smtpConfiguration"]
    assert new["encryptedPassword"] != made["encryptedPassword"]
    assert "second-pw" not in str(rotated)


async def test_update_validates_what_create_validates(client):
    made = await make(client, ipRelayAuth=False, username="u", password="pw")

    port = await update(client, id=made["id"], port=0)
    blank = await update(client, id=made["id"], username="")

    assert codes(port) == ["RECORD_INVALID"]
    assert port["errors"][0]["extensions"]["field"] == "port"
    assert blank["errors"][0]["extensions"]["field"] == "username"
    [stored] = await listed(client)
    assert (stored["port"], stored["username"]) == ("25", "u")


async def test_update_and_delete_of_an_unknown_id_are_not_found(client):
    missing = await update(client, id="no-such-id", host="x")
    deleted = await call(client, DELETE_CONFIGURATION, input={"id": "no-such-id"})

    assert codes(missing) == ["RESOURCE_NOT_FOUND"]
    assert codes(deleted) == ["RESOURCE_NOT_FOUND"]
    assert deleted["data"]["deleteSmtpConfiguration"] is None


async def test_delete_then_list_shows_it_gone(client):
    made = await make(client)
    kept = await make(client)

    body = await call(client, DELETE_CONFIGURATION, input={"id": made["id"]})

    assert body == {"data": {"deleteSmtpConfiguration": {"success": True}}}
    assert [c["id"] for c in await listed(client)] == [kept["id"]]


async def test_a_senders_configuration_is_listed_and_deleted_with_it(client):
    sender = created(await create(client, SCENARIO_A_VARIABLES))
    configuration = sender["smtpConfiguration"]

    [node] = await listed(client, GUIDE_ORGANIZATION_ID)
    assert node["id"] == configuration["id"]
    assert (node["host"], node["port"]) == ("smtp.sendgrid.net", "587")
    body = await call(client, DELETE_CONFIGURATION, input={"id": configuration["id"]})
    assert body["data"]["deleteSmtpConfiguration"] == {"success": True}
    # Cascade (the default choice): the sender went too, its address is free.
    created(await create(client, SCENARIO_A_VARIABLES))


async def test_profile_choices_where_the_reference_is_silent(client_for):
    profile = replace(
        DEFAULT_PROFILE,
        first_default=FirstDefault.AS_SENT,
        unset_default=UnsetDefault.CLEAR,
        delete_in_use=DeleteInUse.REFUSE,
    )
    async with client_for(create_app(profile=profile)) as client:
        first = await make(client, defaultSmtp=False)
        assert first["defaultSmtp"] is False
        chosen = await make(client, defaultSmtp=True)
        cleared = await update(client, id=chosen["id"], defaultSmtp=False)
        assert await listed(client, defaultSmtp=True) == []
        assert (
            cleared["data"]["updateSmtpConfiguration"]["smtpConfiguration"][
                "defaultSmtp"
            ]
            is False
        )
        sender = created(await create(client, SCENARIO_A_VARIABLES))
        refused = await call(
            client,
            DELETE_CONFIGURATION,
            input={"id": sender["smtpConfiguration"]["id"]},
        )
    assert codes(refused) == ["RECORD_INVALID"]


async def test_the_default_ignores_false_on_update(client):
    made = await make(client)

    body = await update(client, id=made["id"], defaultSmtp=False)

    assert (
        body["data"]["updateSmtpConfiguration"]["smtpConfiguration"]["defaultSmtp"]
        is True
    )


async def test_the_invented_operations_are_not_served_by_default(client):
    body = (
        await client.post(
            "/graphql",
            json={
                "query": "{ __schema { queryType { fields { name } } "
                "mutationType { fields { name } } } }"
            },
        )
    ).json()["data"]["__schema"]

    queries = {f["name"] for f in body["queryType"]["fields"]}
    mutations = {f["name"] for f in body["mutationType"]["fields"]}
    assert queries == {"smtpConfigurations"}
    assert mutations == {
        "createSmtpCustomEmailWithConfiguration",
        "createSmtpConfiguration",
        "updateSmtpConfiguration",
        "deleteSmtpConfiguration",
    }


@pytest.mark.mock_operations
async def test_mock_operations_are_served_and_say_so(client):
    body = (
        await client.post(
            "/graphql",
            json={"query": '{ __type(name: "Query") { fields { name description } } }'},
        )
    ).json()
    fields = {f["name"]: f["description"] for f in body["data"]["__type"]["fields"]}

    assert "MOCK ONLY" in fields["smtpCustomEmails"]
    assert "MOCK ONLY" in fields["smtpCustomEmail"]
