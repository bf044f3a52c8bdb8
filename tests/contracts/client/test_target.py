from __future__ import annotations

import httpx
import pytest

from contracts.client.target import Target
from contracts.errors import BudgetExhausted, TargetUnreachable


def echo_client(status=200, body=b'{"data": {}}'):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=request.headers)

    return httpx.Client(transport=httpx.MockTransport(handler))


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
