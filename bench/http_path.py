"""One create through the whole HTTP path, in one process, with no sockets.

uvicorn's own HTTP protocol (httptools, as `smtp-mock serve` runs it) reads
the request's bytes from an in-memory transport and writes the response's
bytes back to it; everything between (parsing, the ASGI app, the access
line, serializing the response) is the code a real request runs. Without
the network or a load generator, the cost of one create is repeatable:
`bench.profile` profiles it, `bench.instructions --http` counts it.
"""

from __future__ import annotations

import asyncio
import json
import re
from email.utils import formatdate
from typing import TYPE_CHECKING, Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from bench.payloads import payload

if TYPE_CHECKING:
    from starlette.types import ASGIApp

SERVER = ("127.0.0.1", 4000)
CLIENT = ("127.0.0.1", 50000)


def request_bytes(body: dict[str, Any]) -> bytes:
    """The bytes of a POST /graphql, as wrk sends them (create.lua)."""
    content = json.dumps(body).encode()
    head = (
        "POST /graphql HTTP/1.1\r\n"
        f"Host: {SERVER[0]}:{SERVER[1]}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(content)}\r\n\r\n"
    )
    return head.encode() + content


def creates(count: int) -> list[bytes]:
    """`count` requests of the guide's create, each with its own address.

    Made from one template, so that making them costs next to nothing beside
    serving them (`bench.payloads.payload` spends as much again on uuid4 and
    `json.dumps`, which would count as the server's).
    """
    template = request_bytes(payload(0))
    address = re.search(rb"bench-[0-9a-f]{8}-0@", template)
    assert address is not None  # bench.payloads' form
    # Same length as the address replaced: Content-Length still holds.
    template = template.replace(address.group(0), b"bench-%010d@")
    return [template % n for n in range(count)]


class MemoryTransport(asyncio.Transport):
    """A connection whose bytes stay in memory: what the server wrote, kept."""

    def __init__(self) -> None:
        super().__init__()
        self.written: list[bytes] = []

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": SERVER, "peername": CLIENT}.get(name, default)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written.append(bytes(data))

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        pass

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


class Connection:
    """One keep-alive connection to `app` through uvicorn's HTTP protocol.

    Args:
        app: The ASGI app, as the server would load it (uvicorn adds its
            proxy-headers middleware, as `serve` has it).
        access_log: Turn uvicorn's own access log on.
        log_level: uvicorn's log level, as `serve --log-level` sets it.
    """

    def __init__(
        self, app: ASGIApp, *, access_log: bool = False, log_level: str = "info"
    ) -> None:
        # uvicorn's own logging set-up, as `uvicorn.run` applies it.
        config = uvicorn.Config(
            app, http="httptools", access_log=access_log, log_level=log_level
        )
        config.load()
        self._state = ServerState()
        # As `uvicorn.Server` sets them at start-up (its date header is
        # refreshed once a second there).
        self._state.default_headers = [
            (b"date", formatdate(usegmt=True).encode()),
            *config.encoded_headers,
        ]
        self._protocol = HttpToolsProtocol(
            config, self._state, app_state={}, _loop=asyncio.get_running_loop()
        )
        self.transport = MemoryTransport()
        self._protocol.connection_made(self.transport)

    async def send(self, request: bytes) -> bytes:
        """Send one request's bytes; the response's bytes once it is complete."""
        self.transport.written.clear()
        self._protocol.data_received(request)
        (task,) = self._state.tasks
        await task
        return b"".join(self.transport.written)


def status_of(response: bytes) -> int:
    """The status code of a response's bytes."""
    return int(response[9:12])
