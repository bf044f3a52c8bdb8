"""A service account's tokens, fetched from the mock's own `/oauth/token`."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from contracts.client.in_process import asgi_client
from contracts.client.oauth import ClientCredentials, client_credentials
from contracts.client.target import Target
from contracts.config import make_config
from contracts.errors import BudgetExhausted, TokenUnavailable
from mock_server import create_app
from mock_server.web.service_accounts import ServiceAccounts

CLIENT_ID = "ci-robot"
SECRET = "contract-oauth-s3cret"
BASE = "http://127.0.0.1:4000"
TOKEN_URL = f"{BASE}/oauth/token"
GRAPHQL_URL = f"{BASE}/graphql"
QUERY = {"query": "{ __typename }"}


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def server_clock():
    return FakeClock()


@pytest.fixture
def client_clock():
    return FakeClock()


@pytest.fixture
def app(server_clock):
    accounts = ServiceAccounts({CLIENT_ID: SECRET}, lifetime=600, clock=server_clock)
    return create_app(seed=1, clients=accounts)


def credentials(app, clock, secret=SECRET, url=TOKEN_URL) -> ClientCredentials:
    return ClientCredentials(url, CLIENT_ID, secret, clock=clock, http=asgi_client(app))


@pytest.fixture
def target(app, client_clock):
    made = Target(asgi_client(app), GRAPHQL_URL, auth=credentials(app, client_clock))
    yield made
    made.close()


def test_the_token_is_fetched_once_and_graphql_accepts_it(target):
    answers = [target.post(QUERY) for _ in range(3)]

    assert [a.status for a in answers] == [200, 200, 200]
    assert target.auth is not None
    assert target.auth.fetched == 1
    assert target.sent == 3


def test_a_token_is_renewed_when_expires_in_has_nearly_passed(target, client_clock):
    target.post(QUERY)
    client_clock.now = 569  # 600 s, less a margin of 30
    target.post(QUERY)
    assert target.auth is not None
    assert target.auth.fetched == 1

    client_clock.now = 570
    assert target.post(QUERY).status == 200
    assert target.auth.fetched == 2


def test_a_401_renews_the_token_once_and_counts_the_resend(target, server_clock):
    target.post(QUERY)
    # The server forgets the token before the client thinks it expired.
    server_clock.now = 600

    answer = target.post(QUERY)

    assert answer.status == 200
    assert target.auth is not None
    assert target.auth.fetched == 2
    assert target.sent == 3  # the refused request, and it again


def test_a_token_refused_again_is_renewed_only_once(app, client_clock):
    # Tokens from one app, sent to another that accepts none of them.
    other = create_app(token="only-this-one")
    target = Target(
        asgi_client(other), GRAPHQL_URL, auth=credentials(app, client_clock)
    )

    answer = target.post(QUERY)

    assert answer.status == 401
    assert target.auth is not None
    assert target.auth.fetched == 2
    assert target.sent == 2


def test_the_renewed_request_respects_the_budget(app, server_clock, client_clock):
    target = Target(
        asgi_client(app),
        GRAPHQL_URL,
        auth=credentials(app, client_clock),
        max_requests=2,
    )
    target.post(QUERY)
    server_clock.now = 600

    with pytest.raises(BudgetExhausted):
        target.post(QUERY)
    assert target.sent == 2


def test_unauthenticated_requests_carry_no_token(target):
    bare = target.post(QUERY, authenticated=False)
    wrong = target.post(
        QUERY, authenticated=False, headers={"Authorization": "Bearer wrong"}
    )

    assert bare.status == wrong.status == 401
    assert target.has_credentials


def test_bursts_carry_the_service_accounts_token(target):
    answers = target.post_at_once([QUERY, QUERY, QUERY])

    assert [a.status for a in answers] == [200, 200, 200]


def test_a_wrong_secret_is_one_clear_sentence_without_the_secret(app, client_clock):
    auth = credentials(app, client_clock, secret="not-" + SECRET)

    with pytest.raises(TokenUnavailable) as caught:
        auth.token()

    message = str(caught.value)
    assert message.startswith(f"the token endpoint {TOKEN_URL} refused client")
    assert "HTTP 401 invalid_client" in message
    assert "\n" not in message
    assert SECRET not in message


def test_an_unreachable_token_endpoint_says_so(client_clock):
    auth = ClientCredentials(
        "http://127.0.0.1:1/oauth/token", CLIENT_ID, SECRET, clock=client_clock
    )

    with pytest.raises(TokenUnavailable, match=r"did not answer .*--token-url"):
        auth.token()
    auth.close()


def token_server(status: int, body: object) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(body, bytes):
            return httpx.Response(status, content=body)
        return httpx.Response(status, json=body)

    return httpx.Client(transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (200, {"token_type": "Bearer"}, "without access_token"),
        (200, b"<html>", "without access_token"),
        (200, {"access_token": " "}, "without access_token"),
        (200, {"access_token": "t", "token_type": "mac"}, "type 'mac'"),
        (400, {"error": "invalid_scope"}, "HTTP 400 invalid_scope;"),
        (503, b"down", "HTTP 503;"),
        (
            401,
            {"error": "invalid_client", "error_description": f"bad {SECRET}\nx"},
            "HTTP 401 invalid_client (bad *** x)",
        ),
    ],
)
def test_odd_token_answers_are_refused_clearly(status, body, message, client_clock):
    auth = ClientCredentials(
        TOKEN_URL,
        CLIENT_ID,
        SECRET,
        clock=client_clock,
        http=token_server(status, body),
    )

    with pytest.raises(TokenUnavailable, match=re.escape(message)) as caught:
        auth.token()
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    ("expires_in", "renewed_at"),
    [(None, None), ("120", 90), (10, 5), (-5, None), (True, None), ("soon", None)],
)
def test_expires_in_sets_when_the_token_is_renewed(
    expires_in, renewed_at, client_clock
):
    body = {"access_token": "tok", "token_type": "bearer"}
    if expires_in is not None:
        body["expires_in"] = expires_in
    auth = ClientCredentials(
        TOKEN_URL, CLIENT_ID, SECRET, clock=client_clock, http=token_server(200, body)
    )
    auth.token()

    client_clock.now = 10_000 if renewed_at is None else renewed_at - 0.5
    auth.token()
    assert auth.fetched == 1
    if renewed_at is not None:
        client_clock.now = renewed_at
        auth.token()
        assert auth.fetched == 2


def test_the_repr_names_the_client_but_never_the_secret(app, client_clock):
    auth = credentials(app, client_clock)

    assert CLIENT_ID in repr(auth)
    assert SECRET not in repr(auth)


def test_async_clients_are_refused(app, client_clock):
    auth = credentials(app, client_clock)

    async def send() -> None:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), auth=auth
        ) as client:
            await client.post(GRAPHQL_URL, json=QUERY)

    with pytest.raises(RuntimeError, match=re.escape("httpx.Client only")):
        asyncio.run(send())


def test_a_run_with_a_client_id_gets_its_auth_from_the_config():
    config = make_config(
        url="http://127.0.0.1:4000/graphql",
        org="1",
        client_id=CLIENT_ID,
        client_secret=SECRET,
    )
    auth = client_credentials(config)

    assert auth is not None
    assert auth.token_url == TOKEN_URL
    assert client_credentials(make_config()) is None
    auth.close()
