"""Progress of long live runs: a live line on a terminal, plain lines in CI."""

from __future__ import annotations

import httpx

from contracts.client.target import Target
from contracts.reports.progress import Progress


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def target(progress: Progress, clock: Clock) -> Target:
    def answer(request: httpx.Request) -> httpx.Response:
        clock.now += 4.0  # every request takes 4 s
        return httpx.Response(200, json={"data": {}})

    client = httpx.Client(transport=httpx.MockTransport(answer))
    return Target(client, "http://t/graphql", max_requests=10, on_send=progress)


def test_plain_lines_come_every_interval_when_not_a_terminal():
    written: list[str] = []
    clock = Clock()
    progress = Progress(
        written.append,
        tty=False,
        reached=lambda: "3 of 23 clauses reached",
        interval=10.0,
        clock=clock,
    )
    sending = target(progress, clock)

    for _ in range(6):
        sending.post({"query": "{ __typename }"})
    progress.finish()

    assert written == [
        "progress: 3 of 10 requests, 3 of 23 clauses reached, throttled 0, 12 s\n",
        "progress: 6 of 10 requests, 3 of 23 clauses reached, throttled 0, 24 s\n",
    ]


def test_a_terminal_gets_one_live_line_cleared_at_the_end():
    written: list[str] = []
    clock = Clock()
    progress = Progress(written.append, tty=True, clock=clock)
    sending = target(progress, clock)

    sending.post({"query": "{ __typename }"})
    sending.post({"query": "{ __typename }"})
    progress.finish()

    assert written == [
        "\r\x1b[2Kprogress: 1 of 10 requests, throttled 0, 4 s",
        "\r\x1b[2Kprogress: 2 of 10 requests, throttled 0, 8 s",
        "\r\x1b[2K",
    ]
    assert all("\n" not in text for text in written)
