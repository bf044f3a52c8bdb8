from __future__ import annotations

import shutil
import subprocess

import httpx
import pytest

from contracts.client.target import RateLimiter, Target, curl_command
from contracts.errors import BudgetExhausted, TargetUnreachable


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def echo_client(status=200, body=b'{"data": {}}'):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=request.headers)

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_rate_limiter_spaces_requests():
    clock = FakeClock()
    limiter = RateLimiter(4.0, clock=clock, sleep=clock.sleep)

    for _ in range(3):
        limiter.wait()

    assert clock.slept == [0.25, 0.25]


def test_rate_limiter_does_not_sleep_when_requests_are_slow_anyway():
    clock = FakeClock()
    limiter = RateLimiter(2.0, clock=clock, sleep=clock.sleep)
    limiter.wait()
    clock.now += 5
    limiter.wait()

    assert clock.slept == []


def test_no_rate_means_no_waiting():
    clock = FakeClock()
    RateLimiter(None, clock=clock, sleep=clock.sleep).wait()

    assert clock.slept == []


def test_budget_is_a_hard_limit():
    target = Target(echo_client(), "http://t/graphql", max_requests=2)
    target.post({"query": "{a}"})
    target.post({"query": "{a}"})

    with pytest.raises(BudgetExhausted, match="budget of 2 exhausted"):
        target.post({"query": "{a}"})
    assert target.sent == 2


def test_token_is_attached_only_when_asked():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        return httpx.Response(200, json={"data": None})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    target = Target(client, "http://t/graphql", token="tok")
    target.post({})
    target.post({}, authenticated=False)
    exchange = target.post({}, authenticated=False, headers={"Authorization": "x"})

    assert seen == ["Bearer tok", None, "x"]
    assert exchange.headers == {"Authorization": "x"}


def test_non_json_bodies_are_kept_as_text():
    target = Target(echo_client(502, b"<html>bad gateway</html>"), "http://t/g")

    exchange = target.post({})

    assert exchange.status == 502
    assert exchange.body is None
    assert exchange.text == "<html>bad gateway</html>"


def test_unreachable_endpoint_is_a_clear_error():
    # Port 1 on loopback: nothing listens there, so the connection is refused.
    target = Target(httpx.Client(timeout=5), "http://127.0.0.1:1/graphql")

    with pytest.raises(TargetUnreachable, match="did not answer"):
        target.post({})


def test_curl_never_contains_the_token():
    command = curl_command(
        "http://h/graphql", {"query": "{ a }"}, with_token=True, headers={"X": "y"}
    )

    assert command.startswith("curl -sS -X POST http://h/graphql")
    assert '-H "Authorization: Bearer $SMTP_CONTRACT_TOKEN"' in command
    assert "-H 'X: y'" in command
    assert """--data '{"query": "{ a }"}'""" in command


def test_raw_bodies_are_sent_byte_for_byte_within_the_budget():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.content, request.headers.get("content-type")))
        return httpx.Response(400, json={"errors": [{"message": "bad"}]})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    target = Target(client, "http://t/graphql", token="tok", max_requests=1)
    exchange = target.post_raw(b'{"v": NaN}\xff')

    assert seen == [(b'{"v": NaN}\xff', "application/json")]
    assert (exchange.status, exchange.raw) == (400, b'{"v": NaN}\xff')
    with pytest.raises(BudgetExhausted):
        target.post_raw(b"{}")


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_curl_reproduces_raw_bodies_exactly():
    body = b'{"a": "x\\ud800 \'quoted\'\n\xff\xef\xbb\xbf"}'
    command = curl_command("http://h/graphql", body, with_token=False)
    quoted = command.split(" --data-binary ", 1)[1]

    printed = subprocess.run(
        ["bash", "-c", f"printf %s {quoted}"], capture_output=True, check=True
    ).stdout

    assert printed == body
