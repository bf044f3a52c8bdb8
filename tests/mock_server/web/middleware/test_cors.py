from __future__ import annotations

import pytest

from contracts.documented import SCENARIO_A_VARIABLES
from mock_server import create_app
from mock_server.errors import ConfigurationError
from mock_server.web.middleware.cors import is_local_origin
from tests.helpers import create, created, state

pytestmark = pytest.mark.anyio

PREFLIGHT = {
    "access-control-request-method": "POST",
    "access-control-request-headers": "content-type",
}
FOREIGN = "http://evil.example"


def cors_headers(response):
    return {k for k in response.headers if k.startswith("access-control-allow-")}


@pytest.mark.parametrize(
    "origin",
    [
        "http://localhost:5173",
        "http://localhost",
        "https://localhost:3000",
        "http://127.0.0.1:8080",
        "http://[::1]:5173",
    ],
)
async def test_local_origins_are_allowed_by_default(client, origin):
    response = await client.options("/graphql", headers={"origin": origin, **PREFLIGHT})

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin
    assert "POST" in response.headers["access-control-allow-methods"]


@pytest.mark.parametrize("path", ["/graphql", "/__mock/reset", "/__mock/state"])
async def test_a_foreign_preflight_gets_no_allow_header(client, path):
    response = await client.options(path, headers={"origin": FOREIGN, **PREFLIGHT})

    assert response.status_code == 403
    assert cors_headers(response) == set()
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "FORBIDDEN_ORIGIN"}
    assert f"--cors-origin {FOREIGN}" in error["message"]


async def test_a_foreign_simple_request_changes_nothing(client):
    # POST with no body needs no preflight: a page could send it blind.
    created(await create(client, SCENARIO_A_VARIABLES))

    response = await client.post("/__mock/reset", headers={"origin": FOREIGN})

    assert response.status_code == 403
    assert cors_headers(response) == set()
    assert len(await state(client)) == 1


@pytest.mark.parametrize(
    "origin",
    [
        "http://localhost.evil.example",
        "http://evil.example:5173",
        "http://127.0.0.1.evil.example",
        "http://[::2]:5173",
        "file://localhost",
        "null",
        "http://localhost:5173/",
    ],
)
def test_origins_that_only_look_local_are_not_local(origin):
    assert not is_local_origin(origin)


async def test_the_mocks_own_pages_are_same_origin(client_for):
    # GraphiQL served by a mock shared on the network calls /graphql from there.
    app = create_app(allowed_hosts=["mock.internal"])
    async with client_for(app) as client:
        response = await client.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={
                "host": "mock.internal:4000",
                "origin": "http://mock.internal:4000",
            },
        )
        other_port = await client.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={"host": "mock.internal:4000", "origin": "http://mock.internal:80"},
        )

    assert response.status_code == 200
    assert other_port.status_code == 403


async def test_correlation_id_is_exposed_to_browsers(client):
    response = await client.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={"origin": "http://localhost:3000"},
    )

    exposed = response.headers["access-control-expose-headers"].lower()
    assert "x-correlation-id" in exposed


async def test_named_origins_are_allowed_everywhere(client_for):
    app = create_app(cors_origins=["https://app.example.com"])
    async with client_for(app) as client:
        graphql = await client.options(
            "/graphql", headers={"origin": "https://app.example.com", **PREFLIGHT}
        )
        admin = await client.options(
            "/__mock/reset", headers={"origin": "https://app.example.com", **PREFLIGHT}
        )
        local = await client.options(
            "/graphql", headers={"origin": "http://localhost:5173", **PREFLIGHT}
        )
        refused = await client.options(
            "/graphql", headers={"origin": FOREIGN, **PREFLIGHT}
        )

    assert graphql.headers["access-control-allow-origin"] == "https://app.example.com"
    assert admin.headers["access-control-allow-origin"] == "https://app.example.com"
    assert local.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert refused.status_code == 403
    assert cors_headers(refused) == set()


async def test_star_opens_graphql_to_any_origin_but_never_the_admin_api(client_for):
    async with client_for(create_app(cors_origins=["*"])) as client:
        graphql = await client.options(
            "/graphql", headers={"origin": FOREIGN, **PREFLIGHT}
        )
        answered = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"origin": FOREIGN}
        )
        admin = await client.post("/__mock/reset", headers={"origin": FOREIGN})
        local_admin = await client.post(
            "/__mock/reset", headers={"origin": "http://localhost:5173"}
        )

    assert graphql.status_code == 200
    assert graphql.headers["access-control-allow-origin"] == "*"
    assert answered.headers["access-control-allow-origin"] == "*"
    assert admin.status_code == 403
    assert cors_headers(admin) == set()
    assert local_admin.status_code == 200


async def test_requests_without_an_origin_are_untouched(client):
    response = await client.post("/__mock/reset")

    assert response.status_code == 200
    assert cors_headers(response) == set()


@pytest.mark.parametrize(
    "origin", ["localhost:5173", "http://localhost:5173/", "http://a.example/app"]
)
def test_a_value_that_is_not_an_origin_is_a_configuration_error(origin):
    with pytest.raises(ConfigurationError, match=r"--cors-origin .* is not an origin"):
        create_app(cors_origins=[origin])


async def test_null_can_be_named(client_for):
    async with client_for(create_app(cors_origins=["null"])) as client:
        response = await client.post("/__mock/reset", headers={"origin": "null"})

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "null"
