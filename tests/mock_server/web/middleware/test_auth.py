from __future__ import annotations

import pytest

from contracts.documented import SCENARIO_A_VARIABLES
from mock_server import ConfigurationError, create_app
from mock_server.domain.permissions import Role
from mock_server.web.middleware.auth import UNAUTHORIZED_BODY, AcceptedTokens
from mock_server.web.service_accounts import ServiceAccounts
from tests.helpers import create, created

pytestmark = pytest.mark.anyio

TOKEN = "t0ken-under-test"


@pytest.fixture
def app():
    return create_app(seed=1, token=TOKEN)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"authorization": "Bearer wrong"},
        {"authorization": TOKEN},
        {"authorization": f"Basic {TOKEN}"},
        {"authorization": f"Bearer {TOKEN}x"},
    ],
)
async def test_graphql_without_the_token_is_401_in_the_real_api_shape(client, headers):
    response = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers=headers
    )

    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED_BODY
    assert response.json()["errors"][0]["title"] == "Unauthorized"
    assert response.headers["www-authenticate"] == "Bearer"
    assert TOKEN not in response.text


async def test_the_right_token_is_accepted(client):
    client.headers["authorization"] = f"Bearer {TOKEN}"

    sender = created(await create(client, SCENARIO_A_VARIABLES))

    assert sender["senderName"] == "Acme Support"


async def test_rejected_create_stores_nothing(client):
    response = await create(client, SCENARIO_A_VARIABLES)
    assert response.status_code == 401

    state = await client.get(
        "/__mock/state", headers={"authorization": f"Bearer {TOKEN}"}
    )
    assert state.json() == {"smtpCustomEmails": []}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/__mock/state"), ("POST", "/__mock/reset"), ("POST", "/__mock/seed")],
)
async def test_admin_api_is_guarded(client, method, path):
    response = await client.request(method, path)

    assert response.status_code == 401


async def test_health_graphiql_page_and_preflight_are_public(client):
    health = await client.get("/__mock/health")
    page = await client.get("/graphql", headers={"accept": "text/html"})
    preflight = await client.options(
        "/graphql",
        headers={
            "origin": "http://localhost:5173",
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, content-type",
        },
    )

    assert health.status_code == 200
    assert page.status_code == 200
    assert "<html" in page.text.lower()
    assert preflight.status_code == 200


async def test_a_get_query_from_a_browser_still_needs_the_token(client):
    response = await client.get(
        "/graphql", params={"query": "{ __typename }"}, headers={"accept": "text/html"}
    )

    assert response.status_code == 401


async def test_401_carries_cors_headers_so_browsers_can_read_it(client):
    response = await client.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={"origin": "http://localhost:5173"},
    )

    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == "http://localhost:5173"


async def test_without_a_token_every_request_is_accepted(client_for):
    async with client_for(create_app()) as client:
        response = await client.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={"authorization": "Bearer anything"},
        )

    assert response.status_code == 200


@pytest.mark.parametrize("token", ["", "   "])
def test_blank_token_is_refused(token):
    with pytest.raises(ConfigurationError, match="token must not be blank"):
        create_app(token=token)


def test_each_kind_of_token_gives_its_role():
    accounts = ServiceAccounts({"ci": "s3cret"})
    issued = accounts.issue("ci", "s3cret")
    assert issued is not None
    tokens = AcceptedTokens(TOKEN, ["member-1", "member-2"], accounts)

    assert tokens.role_of(f"Bearer {TOKEN}".encode()) is Role.ADMIN
    assert tokens.role_of(b"Bearer member-2") is Role.MEMBER
    assert tokens.role_of(f"Bearer {issued.value}".encode()) is Role.ADMIN
    for refused in (b"", b"Bearer ", b"bearer member-1", b"Basic member-1", b"x"):
        assert tokens.role_of(refused) is None
    assert "member-1" not in repr(tokens)
    assert TOKEN not in repr(tokens)


def test_member_tokens_must_be_a_list():
    with pytest.raises(ConfigurationError, match="a list of tokens"):
        AcceptedTokens(members="member-1")
