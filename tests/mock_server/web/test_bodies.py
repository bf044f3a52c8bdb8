"""The one bounded body reader, driven through a bare ASGI `receive`."""

from __future__ import annotations

import pytest
from starlette.requests import ClientDisconnect

from mock_server.web import BodyTooLarge, read_body, read_or_forward, replaying

pytestmark = pytest.mark.anyio


def receiving(*messages):
    queue = list(messages)
    pulled = []

    async def receive():
        message = queue.pop(0)
        pulled.append(message)
        return message

    return receive, pulled


def part(body, more=True):
    return {"type": "http.request", "body": body, "more_body": more}


def scope(content_length=None):
    headers = [(b"content-type", b"application/json")]
    if content_length is not None:
        headers.append((b"content-length", str(content_length).encode()))
    return {"type": "http", "headers": headers}


async def test_reads_every_chunk_up_to_the_last():
    receive, _ = receiving(part(b"ab"), part(b""), part(b"c", more=False))

    assert await read_body(scope(), receive, limit=3) == b"abc"


async def test_stops_one_chunk_past_the_limit():
    receive, pulled = receiving(part(b"ab"), part(b"cd"), part(b"ef", more=False))

    with pytest.raises(BodyTooLarge, match="larger than 3 bytes"):
        await read_body(scope(), receive, limit=3)

    assert len(pulled) == 2


async def test_a_declared_size_over_the_limit_reads_nothing():
    receive, pulled = receiving(part(b"{}", more=False))

    with pytest.raises(BodyTooLarge):
        await read_body(scope(content_length=4), receive, limit=3)

    assert pulled == []


async def test_a_disconnect_before_the_end_is_reported():
    receive, _ = receiving(part(b"ab"), {"type": "http.disconnect"})

    with pytest.raises(ClientDisconnect):
        await read_body(scope(), receive)


async def test_a_refused_body_replays_what_was_read_then_the_rest():
    receive, _ = receiving(part(b"ab"), part(b"cd"), part(b"ef", more=False))
    with pytest.raises(BodyTooLarge) as refused:
        await read_body(scope(), receive, limit=3)

    again = refused.value.replay(receive)

    assert await read_body(scope(), again, limit=10) == b"abcdef"


async def test_replaying_hands_the_body_once_then_defers():
    receive, _ = receiving({"type": "http.disconnect"})
    replay = replaying(b"{}", receive)

    assert await replay() == part(b"{}", more=False)
    assert await replay() == {"type": "http.disconnect"}


async def never_sent(message):
    raise AssertionError(f"nothing is sent here, got {message}")


async def test_a_middleware_gets_a_body_within_the_limit_and_the_app_waits():
    receive, _ = receiving(part(b"ab"), part(b"c", more=False))
    called = []

    async def app(scope, receive, send):
        called.append(scope)

    assert await read_or_forward(app, scope(), receive, never_sent) == b"abc"
    assert called == []


async def test_a_middleware_hands_a_body_over_the_limit_on_untouched():
    receive, _ = receiving(
        *(part(b"x" * 1024) for _ in range(1025)), part(b"end", more=False)
    )
    seen = []

    async def app(scope, receive, send):
        seen.append(await read_body(scope, receive, limit=2 * 1024 * 1024))

    assert await read_or_forward(app, scope(), receive, never_sent) is None
    assert seen == [b"x" * 1024 * 1025 + b"end"]
