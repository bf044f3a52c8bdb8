from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from starlette.applications import Starlette

from mock_server import create_app

# A local name: the mock serves only local Host headers by default (#20).
BASE_URL = "http://localhost"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app(request: pytest.FixtureRequest) -> Starlette:
    # The mock-only operations are opt-in, as for users (`--mock-operations`).
    extras = request.node.get_closest_marker("mock_operations") is not None
    return create_app(seed=7, mock_operations=extras)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield client


@pytest.fixture
def client_for() -> Callable[[Starlette], httpx.AsyncClient]:
    """Make a client for an app built by the test itself."""

    def make(app: Starlette) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=BASE_URL
        )

    return make
