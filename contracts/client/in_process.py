"""Targets served in-process: the packaged mock or any ASGI app, no network."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import threading
import weakref
from typing import TYPE_CHECKING, Any

import httpx

from contracts import _mock
from contracts.client.rate_limit import RateLimiter
from contracts.client.target import Target
from contracts.errors import ConfigError

if TYPE_CHECKING:
    from contracts.config import ContractConfig

IN_PROCESS_URL = "http://127.0.0.1:4000/graphql"
"""In-process requests ignore the host; this one makes reproduction commands
replay against the mock as `make serve` starts it."""


def asgi_client(app: Any) -> InProcessClient:
    """A synchronous client that calls an ASGI app in the calling thread."""
    return InProcessClient(app)


class InProcessClient(httpx.Client):
    """An `httpx.Client` over `LoopTransport`; `app` is the app it calls."""

    def __init__(self, app: Any) -> None:
        super().__init__(transport=LoopTransport(app), base_url="http://127.0.0.1:4000")
        # Simultaneous requests (`AsgiBurst`) go to the app itself.
        self.app = app


class LoopTransport(httpx.BaseTransport):
    """Runs each request through `httpx.ASGITransport` on this thread's loop.

    Starlette's `TestClient` serves the app from a portal thread: every
    request, and every chunk of it, crosses threads twice, which cost the
    suite about 5 ms a request, a hundred times the app's own work. Here the
    calling thread drives the app to completion on an event loop of its own
    (one per thread, kept for the client's life), so a request costs what the
    app and httpx cost. As with `TestClient` outside a `with` block, the app's
    lifespan is not run, and an exception the app raises reaches the caller.
    """

    def __init__(self, app: Any) -> None:
        self._asgi = httpx.ASGITransport(app=app)
        self._loops = threading.local()
        self._all_loops: list[asyncio.AbstractEventLoop] = []
        self._lock = threading.Lock()
        # A client nobody closed still closes its loops when it is collected.
        weakref.finalize(self, _close_loops, self._all_loops)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` to the app and return its whole response."""
        return self._loop().run_until_complete(self._exchange(request))

    async def _exchange(self, request: httpx.Request) -> httpx.Response:
        response = await self._asgi.handle_async_request(request)
        content = b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            # A stream, not `content`: httpx reads it and times the response.
            stream=httpx.ByteStream(content),
            extensions=response.extensions,
        )

    def _loop(self) -> asyncio.AbstractEventLoop:
        loop: asyncio.AbstractEventLoop | None = getattr(self._loops, "loop", None)
        if loop is None:
            loop = asyncio.new_event_loop()
            self._loops.loop = loop
            with self._lock:
                self._all_loops.append(loop)
        return loop

    def close(self) -> None:
        """Close the event loops this client made."""
        with self._lock:
            _close_loops(self._all_loops)


def _close_loops(loops: list[asyncio.AbstractEventLoop]) -> None:
    for loop in loops:
        if not loop.is_running():
            loop.close()
    loops.clear()


def import_app(path: str) -> Any:
    """The ASGI app named `module:attribute`; a factory is called.

    Raises:
        ConfigError: the module or the attribute cannot be imported.
    """
    module_name, _, attribute = path.partition(":")
    try:
        app = getattr(importlib.import_module(module_name), attribute or "app")
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"cannot import {path!r}: {exc}") from exc
    # A factory is called; an ASGI app is an async callable taking 3 arguments.
    if callable(app) and not _is_asgi_app(app):
        app = app()
    return app


def _is_asgi_app(candidate: Any) -> bool:
    try:
        return len(inspect.signature(candidate).parameters) == 3
    except (TypeError, ValueError):
        return False


def config_app(config: ContractConfig, token: str | None) -> Any:
    """The app a run tests in-process: `config.app`, or the packaged mock.

    Raises:
        ConfigError: `config.app` cannot be imported.
    """
    if config.app is not None:
        return import_app(config.app)
    return _mock.mock_app(config.schema, seed=config.seed, token=token)


def in_process_target(
    config: ContractConfig,
    *,
    token: str | None = None,
    max_requests: int | None = None,
    rps: float | None = None,
) -> Target:
    """A target over the mock or `config.app`, in-process.

    Raises:
        ConfigError: `config.app` cannot be imported.
    """
    client = asgi_client(config_app(config, token))
    return Target(
        client,
        IN_PROCESS_URL,
        token=token,
        max_requests=max_requests,
        limiter=RateLimiter(rps),
    )


def mock_target(token: str | None = None) -> Target:
    """A target over the packaged mock, in-process (for drift and diff)."""
    from contracts.config import make_config

    return in_process_target(make_config(), token=token)


def app_target(app: Any, token: str | None) -> Target:
    """A target over an ASGI app, in-process."""
    return Target(asgi_client(app), IN_PROCESS_URL, token=token)
