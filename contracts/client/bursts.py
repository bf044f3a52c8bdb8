"""Requests sent truly at once: the uniqueness race only shows under them.

A burst holds every request behind a barrier and releases them together, each
on its own connection. Over HTTP each request has its own thread and client;
in-process, the ASGI app is driven by one event loop with `asyncio.gather`,
so the app interleaves the requests at every `await` as a server would.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

import httpx

BARRIER_TIMEOUT_S = 30.0
"""How long the first request waits for the last one to be ready."""


class Burst(Protocol):
    """Sends several JSON requests at once; answers come back in input order."""

    def send(
        self, url: str, payloads: Sequence[Any], headers: Mapping[str, str]
    ) -> list[httpx.Response]:
        """POST every payload to `url` at the same moment."""


class HttpBurst:
    """A burst over the network: one thread and one connection per request.

    Args:
        timeout: Seconds to wait for one response.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    def send(
        self, url: str, payloads: Sequence[Any], headers: Mapping[str, str]
    ) -> list[httpx.Response]:
        """POST every payload to `url` at the same moment."""
        barrier = threading.Barrier(len(payloads), timeout=BARRIER_TIMEOUT_S)

        def one(payload: Any) -> httpx.Response:
            with httpx.Client(timeout=self.timeout) as client:
                barrier.wait()
                return client.post(url, json=payload, headers=dict(headers))

        with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
            return list(pool.map(one, payloads))


class AsgiBurst:
    """A burst into an ASGI app in this process, on one event loop.

    Args:
        app: The ASGI application under test.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    def send(
        self, url: str, payloads: Sequence[Any], headers: Mapping[str, str]
    ) -> list[httpx.Response]:
        """POST every payload to `url` at the same moment."""
        return asyncio.run(self._gather(url, payloads, headers))

    async def _gather(
        self, url: str, payloads: Sequence[Any], headers: Mapping[str, str]
    ) -> list[httpx.Response]:
        barrier = asyncio.Barrier(len(payloads))

        async def one(payload: Any) -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport) as client:
                await barrier.wait()
                return await client.post(url, json=payload, headers=dict(headers))

        return list(await asyncio.gather(*(one(payload) for payload in payloads)))
