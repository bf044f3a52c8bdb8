from __future__ import annotations

import pytest

from mock_server import create_app

pytestmark = pytest.mark.anyio

PREFLIGHT = {
    "access-control-request-method": "POST",
    "access-control-request-headers": "content-type",
}


async def test_any_origin_is_allowed_by_default(client):
    response = await client.options(
        "/graphql", headers={"origin": "http://localhost:3000", **PREFLIGHT}
    )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]


async def test_correlation_id_is_exposed_to_browsers(client):
    response = await client.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={"origin": "http://localhost:3000"},
    )

    exposed = response.headers["access-control-expose-headers"].lower()
    assert "x-correlation-id" in exposed


async def test_configured_origins_only(client_for):
    app = create_app(cors_origins=["http://localhost:5173"])
    async with client_for(app) as client:
        allowed = await client.options(
            "/graphql", headers={"origin": "http://localhost:5173", **PREFLIGHT}
        )
        refused = await client.options(
            "/graphql", headers={"origin": "http://evil.example", **PREFLIGHT}
        )

    assert allowed.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
