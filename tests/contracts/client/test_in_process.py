from __future__ import annotations

import asyncio
import gc
import threading
from typing import cast

import pytest
from click.testing import CliRunner

from contracts.cli.commands import main
from contracts.client.in_process import (
    IN_PROCESS_URL,
    LoopTransport,
    _close_loops,
    asgi_client,
    import_app,
    in_process_target,
)
from contracts.config import make_config
from contracts.errors import ConfigError


def test_a_factory_is_called_and_served_in_process():
    target = in_process_target(
        make_config(app="tests.contracts.mutant_apps:port_as_number"),
        token=None,
        max_requests=1,
    )

    exchange = target.post({"query": "{ __typename }"})

    assert (target.url, exchange.status, target.sent) == (IN_PROCESS_URL, 200, 1)


@pytest.mark.parametrize("path", ["tests.contracts.no_such_module:app", "json:nope"])
def test_an_app_that_cannot_be_imported_is_a_config_error(path):
    with pytest.raises(ConfigError, match=f"cannot import '{path}'"):
        import_app(path)


def test_a_callable_without_a_readable_signature_is_called_as_a_factory():
    # inspect.signature cannot read dict's; it is not taken for an ASGI app.
    assert import_app("builtins:dict") == {}


def test_diff_reports_an_app_that_cannot_be_imported_as_a_usage_error():
    result = CliRunner().invoke(main, ["diff", "--app", "json:nope"])

    assert result.exit_code == 2
    assert "cannot import 'json:nope'" in result.output


async def _echo_app(scope, receive, send):
    request = await receive()
    await send({"type": "http.response.start", "status": 201, "headers": []})
    await send({"type": "http.response.body", "body": b"got ", "more_body": True})
    await send({"type": "http.response.body", "body": request.get("body", b"")})


def test_each_thread_drives_the_app_on_a_loop_of_its_own_closed_with_the_client():
    client = asgi_client(_echo_app)
    answers: list[tuple[int, bytes]] = []

    def call() -> None:
        response = client.post("/graphql", content=b"x")
        answers.append((response.status_code, response.content))

    call()
    worker = threading.Thread(target=call)
    worker.start()
    worker.join()
    loops = list(cast(LoopTransport, client._transport)._all_loops)

    assert answers == [(201, b"got x"), (201, b"got x")]
    assert len(loops) == 2
    assert client.post("/graphql", content=b"").elapsed.total_seconds() >= 0
    client.close()
    assert all(loop.is_closed() for loop in loops)


def test_an_unclosed_client_closes_its_loop_when_collected():
    client = asgi_client(_echo_app)
    client.post("/graphql", content=b"")
    (loop,) = cast(LoopTransport, client._transport)._all_loops

    del client
    gc.collect()

    assert loop.is_closed()


def test_a_loop_still_running_is_left_to_its_owner():
    running = asyncio.new_event_loop()
    running.run_until_complete(_close_from_inside(running))
    running.close()


async def _close_from_inside(loop: asyncio.AbstractEventLoop) -> None:
    loops = [loop]
    _close_loops(loops)
    assert not loop.is_closed()
    assert loops == []
