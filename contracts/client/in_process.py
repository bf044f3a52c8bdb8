"""Targets served in-process: the packaged mock or any ASGI app, no network."""

from __future__ import annotations

import importlib
import inspect
import warnings
from typing import TYPE_CHECKING, Any

from contracts import _mock
from contracts.client.rate_limit import RateLimiter
from contracts.client.target import Target
from contracts.errors import ConfigError

if TYPE_CHECKING:
    from contracts.config import ContractConfig

IN_PROCESS_URL = "http://127.0.0.1:4000/graphql"
"""In-process requests ignore the host; this one makes reproduction commands
replay against the mock as `make serve` starts it."""


def asgi_client(app: Any) -> Any:
    """A Starlette `TestClient` over an ASGI app."""
    with warnings.catch_warnings():
        # Starlette 1.10 asks for httpx2 when its TestClient runs on httpx.
        warnings.filterwarnings("ignore", message=".*install `httpx2` instead")
        from starlette.testclient import TestClient

    return TestClient(app, base_url="http://127.0.0.1:4000")


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
