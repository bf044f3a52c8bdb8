"""A member's token (`--member-token`): no manage access, as the reference says."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from contracts.documented import (
    DOCUMENTED_OPERATION,
    MUTATION_FIELD,
    SCENARIO_A_VARIABLES,
)
from contracts.documented_family import (
    CREATE_CONFIGURATION,
    DELETE_CONFIGURATION,
    LIST_CONFIGURATIONS,
    UPDATE_CONFIGURATION,
)
from mock_server import ConfigurationError, create_app
from mock_server.domain.profile import DEFAULT_PROFILE, MemberCreate

pytestmark = pytest.mark.anyio

ADMIN = "admin-t0ken"
MEMBER = "member-t0ken"
ORG = "org-members"
RELAY = {
    "host": "relay.example",
    "port": 25,
    "organizationId": ORG,
    "defaultSmtp": False,
}


@pytest.fixture
def app(request):
    extras = request.node.get_closest_marker("mock_operations") is not None
    return create_app(
        seed=3, token=ADMIN, member_tokens=[MEMBER], mock_operations=extras
    )


async def call(client, token: str, query: str, **variables: Any) -> Any:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    # Refusals are GraphQL errors, not HTTP ones: the API's error shape.
    assert response.status_code == 200, response.text
    return response.json()


async def configuration(client) -> Any:
    body = await call(
        client, ADMIN, CREATE_CONFIGURATION, input={**RELAY, "ipRelayAuth": True}
    )
    return body["data"]["createSmtpConfiguration"]["smtpConfiguration"]


def refused(body: dict[str, Any], field: str) -> None:
    assert body["data"] == {field: None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "PERMISSION_DENIED"
    assert error["path"] == [field]


async def test_a_members_update_and_delete_get_a_permission_error(client):
    made = await configuration(client)

    update = await call(
        client, MEMBER, UPDATE_CONFIGURATION, input={"id": made["id"], "host": "x.io"}
    )
    delete = await call(client, MEMBER, DELETE_CONFIGURATION, input={"id": made["id"]})

    refused(update, "updateSmtpConfiguration")
    refused(delete, "deleteSmtpConfiguration")
    listed = await call(client, ADMIN, LIST_CONFIGURATIONS, organizationId=ORG)
    [node] = listed["data"]["smtpConfigurations"]["nodes"]
    assert (node["id"], node["host"]) == (made["id"], "relay.example")


async def test_a_members_list_is_empty(client):
    await configuration(client)

    member = await call(client, MEMBER, LIST_CONFIGURATIONS, organizationId=ORG)
    admin = await call(client, ADMIN, LIST_CONFIGURATIONS, organizationId=ORG)

    assert member == {"data": {"smtpConfigurations": {"nodes": []}}}
    assert len(admin["data"]["smtpConfigurations"]["nodes"]) == 1


async def test_a_members_creates_are_refused_by_default(client):
    configuration_body = await call(
        client, MEMBER, CREATE_CONFIGURATION, input={**RELAY, "ipRelayAuth": True}
    )
    sender_body = await call(
        client, MEMBER, DOCUMENTED_OPERATION, **SCENARIO_A_VARIABLES
    )

    refused(configuration_body, "createSmtpConfiguration")
    refused(sender_body, MUTATION_FIELD)
    listed = await call(client, ADMIN, LIST_CONFIGURATIONS, organizationId=ORG)
    assert listed["data"]["smtpConfigurations"]["nodes"] == []


async def test_the_profile_may_let_members_create(client_for):
    profile = replace(DEFAULT_PROFILE, member_create=MemberCreate.ALLOW)
    app = create_app(token=ADMIN, member_tokens=[MEMBER], profile=profile)
    async with client_for(app) as client:
        sender = await call(
            client, MEMBER, DOCUMENTED_OPERATION, **SCENARIO_A_VARIABLES
        )
        made = await call(
            client, MEMBER, CREATE_CONFIGURATION, input={**RELAY, "ipRelayAuth": True}
        )
        update = await call(
            client,
            MEMBER,
            UPDATE_CONFIGURATION,
            input={
                "id": made["data"]["createSmtpConfiguration"]["smtpConfiguration"][
                    "id"
                ],
                "host": "x.io",
            },
        )

    assert sender["data"][MUTATION_FIELD]["smtpCustomEmail"]["id"]
    assert "errors" not in made
    refused(update, "updateSmtpConfiguration")


async def test_the_admin_token_keeps_manage_access(client):
    made = await configuration(client)

    body = await call(client, ADMIN, DELETE_CONFIGURATION, input={"id": made["id"]})

    assert body == {"data": {"deleteSmtpConfiguration": {"success": True}}}


@pytest.mark.mock_operations
async def test_mock_only_operations_follow_the_same_rule(client):
    sender = await call(client, ADMIN, DOCUMENTED_OPERATION, **SCENARIO_A_VARIABLES)
    sender_id = sender["data"][MUTATION_FIELD]["smtpCustomEmail"]["id"]
    org = SCENARIO_A_VARIABLES["smtpConfiguration"]["organizationId"]

    listed = await call(
        client,
        MEMBER,
        "query($org: ID!) { smtpCustomEmails(organizationId: $org) { id } }",
        org=org,
    )
    read = await call(
        client,
        MEMBER,
        "query($id: ID!) { smtpCustomEmail(id: $id) { id } }",
        id=sender_id,
    )
    delete = await call(
        client,
        MEMBER,
        "mutation($id: ID!) { deleteSmtpCustomEmail(input: {id: $id}) { success } }",
        id=sender_id,
    )

    assert listed == {"data": {"smtpCustomEmails": []}}
    assert read == {"data": {"smtpCustomEmail": None}}
    refused(delete, "deleteSmtpCustomEmail")


async def test_a_member_token_alone_turns_auth_on(client_for):
    async with client_for(create_app(member_tokens=[MEMBER])) as client:
        bare = await client.post("/graphql", json={"query": "{ __typename }"})
        member = await call(client, MEMBER, "{ __typename }")

    assert bare.status_code == 401
    assert member == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("token", "members", "message"),
    [(None, [" "], "must not be blank"), (ADMIN, [ADMIN], "must differ")],
)
def test_blank_or_admin_member_tokens_are_refused(token, members, message):
    with pytest.raises(ConfigurationError, match=message) as caught:
        create_app(token=token, member_tokens=members)

    assert ADMIN not in str(caught.value)
