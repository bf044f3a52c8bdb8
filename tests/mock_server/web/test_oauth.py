"""`POST /oauth/token`, the client credentials grant, as clients send it."""

from __future__ import annotations

import base64
import logging

import pytest

from mock_server import create_app
from mock_server.web.oauth import MAX_TOKEN_BODY_BYTES
from mock_server.web.service_accounts import ServiceAccounts

pytestmark = pytest.mark.anyio

CLIENT_ID = "ci-robot"
SECRET = "oauth-s3cret-value"
GRANT = {"grant_type": "client_credentials", "client_id": CLIENT_ID}
QUERY = {"query": "{ __typename }"}


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def app(clock):
    accounts = ServiceAccounts({CLIENT_ID: SECRET}, lifetime=600, clock=clock)
    return create_app(seed=1, clients=accounts)


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


async def fetch_token(client) -> str:
    response = await client.post(
        "/oauth/token", json={**GRANT, "client_secret": SECRET}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


async def test_a_json_grant_gets_a_bearer_token_that_graphql_accepts(client):
    response = await client.post(
        "/oauth/token", json={**GRANT, "client_secret": SECRET}
    )
    body = response.json()

    assert response.status_code == 200
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 600)
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"
    answer = await client.post(
        "/graphql",
        json=QUERY,
        headers={"authorization": f"Bearer {body['access_token']}"},
    )
    assert answer.json() == {"data": {"__typename": "Query"}}


async def test_a_form_grant_and_basic_client_authentication_work_too(client):
    form = await client.post(
        "/oauth/token", data={**GRANT, "client_secret": SECRET, "scope": "any"}
    )
    with_basic = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"authorization": basic(CLIENT_ID, SECRET)},
    )

    assert form.status_code == 200
    assert with_basic.status_code == 200
    assert form.json()["access_token"] != with_basic.json()["access_token"]


async def test_graphql_still_needs_a_token_when_only_clients_are_configured(client):
    bare = await client.post("/graphql", json=QUERY)
    made_up = await client.post(
        "/graphql", json=QUERY, headers={"authorization": "Bearer made-up"}
    )

    assert bare.status_code == made_up.status_code == 401


async def test_a_token_expires_after_expires_in_seconds(client, clock):
    token = await fetch_token(client)
    headers = {"authorization": f"Bearer {token}"}

    clock.now += 599
    assert (
        await client.post("/graphql", json=QUERY, headers=headers)
    ).status_code == 200
    clock.now += 1
    assert (
        await client.post("/graphql", json=QUERY, headers=headers)
    ).status_code == 401


@pytest.mark.parametrize(
    ("request_kwargs", "headers"),
    [
        ({"json": {**GRANT, "client_secret": "wrong"}}, {}),
        ({"json": {**GRANT, "client_id": "nobody", "client_secret": SECRET}}, {}),
        (
            {"data": {"grant_type": "client_credentials"}},
            {"authorization": basic(CLIENT_ID, "not-the-s3cret")},
        ),
    ],
    ids=["wrong secret", "unknown client", "wrong basic"],
)
async def test_a_wrong_secret_is_invalid_client_401(client, request_kwargs, headers):
    response = await client.post("/oauth/token", headers=headers, **request_kwargs)

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")
    assert SECRET not in response.text
    assert "not-the-s3cret" not in response.text


async def test_another_grant_type_is_unsupported(client):
    response = await client.post(
        "/oauth/token",
        json={**GRANT, "grant_type": "password", "client_secret": SECRET},
    )

    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


@pytest.mark.parametrize(
    "body",
    [
        {"client_id": CLIENT_ID, "client_secret": SECRET},
        {"grant_type": "client_credentials", "client_secret": SECRET},
        GRANT,
        {**GRANT, "client_secret": ""},
        {"grant_type": None, "client_id": CLIENT_ID, "client_secret": SECRET},
    ],
)
async def test_a_missing_parameter_is_invalid_request(client, body):
    response = await client.post("/oauth/token", json=body)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert SECRET not in response.text


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"grant_type": 1}', "application/json", 400),
        (b'{"grant_type": "client_credentials", "client_id": ["x"]}', None, 400),
        (b"grant_type=client_credentials", "text/plain", 400),
        (b"grant_type=%FF%FE", "application/x-www-form-urlencoded", 400),
        (b"\xff\xfe=1", "application/x-www-form-urlencoded", 400),
        (b"grant_type=a&grant_type=b", "application/x-www-form-urlencoded", 400),
        (b"x" * (MAX_TOKEN_BODY_BYTES + 1), "application/json", 413),
    ],
)
async def test_a_bad_body_is_refused_never_a_500(client, content, content_type, status):
    headers = {"content-type": content_type or "application/json"}
    response = await client.post("/oauth/token", content=content, headers=headers)

    assert response.status_code == status
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    "authorization", ["Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode()]
)
async def test_malformed_basic_credentials_are_invalid_request(client, authorization):
    response = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"authorization": authorization},
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_basic_and_a_secret_in_the_body_at_once_are_refused(client):
    response = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_secret": SECRET},
        headers={"authorization": basic(CLIENT_ID, SECRET)},
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_only_post_is_served(client):
    response = await client.get("/oauth/token")

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["error"] == "invalid_request"


async def test_the_endpoint_needs_no_bearer_token_beside_an_admin_token(
    client_for, clock
):
    app = create_app(token="admin-token", clients={CLIENT_ID: SECRET})
    async with client_for(app) as client:
        token = await fetch_token(client)
        admin = await client.post(
            "/graphql", json=QUERY, headers={"authorization": "Bearer admin-token"}
        )
        issued = await client.post(
            "/graphql", json=QUERY, headers={"authorization": f"Bearer {token}"}
        )

    assert admin.status_code == issued.status_code == 200


@pytest.mark.parametrize("token", [None, "admin-token"])
async def test_without_clients_the_path_is_not_found_like_any_other(client_for, token):
    async with client_for(create_app(token=token)) as client:
        response = await client.post(
            "/oauth/token", json={**GRANT, "client_secret": SECRET}
        )
        unknown = await client.post("/no/such/path")

    assert response.status_code == 404
    assert response.text == "Not Found"
    # Unknown paths need the token first, as before; the token path never does.
    assert unknown.status_code == (404 if token is None else 401)


async def test_the_log_names_the_outcome_and_never_a_secret_or_token(client, caplog):
    caplog.set_level(logging.DEBUG)
    token = await fetch_token(client)
    await client.post("/oauth/token", json={**GRANT, "client_secret": "wrong-pw"})
    await client.post(
        "/graphql", json=QUERY, headers={"authorization": f"Bearer {token}"}
    )

    lines = [r.getMessage() for r in caplog.records if r.name == "mock_server.access"]
    assert "POST /oauth/token 200 op=- outcome=ISSUED" in lines[0]
    assert "POST /oauth/token 401 op=- outcome=invalid_client" in lines[1]
    assert "POST /graphql 200" in lines[2]
    logged = caplog.text + "\n".join(lines)
    for secret in (SECRET, "wrong-pw", token):
        assert secret not in logged
