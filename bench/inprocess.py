"""App time per create, without HTTP: each app called directly through ASGI.

The network, uvicorn and the load generator add the same cost to every server,
which hides what the app itself spends. Calling the apps in one process, in
alternating batches, shows that part alone (and varies far less than load runs).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message

_SCOPE: dict[str, Any] = {
    "type": "http",
    "asgi": {"version": "3.0"},
    "http_version": "1.1",
    "method": "POST",
    "scheme": "http",
    "path": "/graphql",
    "raw_path": b"/graphql",
    "root_path": "",
    "query_string": b"",
    "headers": [(b"content-type", b"application/json"), (b"host", b"localhost")],
    "client": ("127.0.0.1", 50000),
    "server": ("127.0.0.1", 80),
}


async def _call(app: ASGIApp, body: bytes) -> int:
    messages: list[Message] = [{"type": "http.request", "body": body}]
    status = 0

    async def receive() -> Message:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(dict(_SCOPE), receive, send)
    return status


def app_time_us(
    apps: dict[str, ASGIApp],
    payload: Callable[[int], dict[str, Any]],
    *,
    batch: int = 2000,
    batches: int = 5,
) -> dict[str, float]:
    """Best per-create microseconds of each app over alternating batches."""

    async def measure() -> dict[str, float]:
        best = dict.fromkeys(apps, float("inf"))
        number = 0
        for _ in range(batches):
            for name, app in apps.items():
                bodies = [
                    json.dumps(payload(number + n)).encode() for n in range(batch)
                ]
                number += batch
                started = time.perf_counter()
                for body in bodies:
                    if await _call(app, body) != 200:
                        raise RuntimeError(f"{name} did not answer 200")
                elapsed = time.perf_counter() - started
                best[name] = min(best[name], elapsed / batch * 1e6)
        return best

    return asyncio.run(measure())
