"""The retry layer: throttling and lost connections are not contract failures."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import httpx
import pytest

from contracts.client.retries import Retrier, RetryPolicy, retry_after_seconds
from contracts.client.target import Target
from contracts.errors import (
    BudgetExhausted,
    OutcomeUnknown,
    TargetUnreachable,
    Throttled,
)

NOW = datetime(2026, 12, 1, 2, 0, 0, tzinfo=UTC)
QUERY = {"query": "{ __typename }"}
CREATE = {"query": "mutation M { createSmtpCustomEmailWithConfiguration }"}


class Script:
    """A transport answering from a script: a status (+ headers) or an exception."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request.content)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        status, headers = answer if isinstance(answer, tuple) else (answer, {})
        return httpx.Response(status, json={"data": {"ok": status}}, headers=headers)


def target_for(
    script: Script, *, policy=None, budget=None
) -> tuple[Target, list[float]]:
    slept: list[float] = []
    retrier = Retrier(policy, sleep=slept.append, now=lambda: NOW, rng=random.Random(7))
    client = httpx.Client(transport=httpx.MockTransport(script))
    target = Target(client, "http://t/graphql", max_requests=budget, retries=retrier)
    return target, slept


def test_429_with_retry_after_waits_as_told_and_resends_the_same_request():
    script = Script((429, {"Retry-After": "3"}), 200)
    target, slept = target_for(script)

    exchange = target.post(QUERY)

    assert exchange.status == 200
    assert slept == [3.0]
    assert script.requests[0] == script.requests[1]
    assert target.sent == 2
    stats = target.retries.stats
    assert (stats.throttled, stats.retried, stats.waited) == (1, 1, 3.0)


def test_503_with_an_http_date_waits_until_that_date():
    script = Script((503, {"Retry-After": "Tue, 01 Dec 2026 02:00:05 GMT"}), 200)
    target, slept = target_for(script)

    assert target.post(CREATE).status == 200
    assert slept == [5.0]


def test_429_without_retry_after_backs_off_exponentially_with_jitter():
    script = Script(429, 429, 429, 200)
    target, slept = target_for(script, policy=RetryPolicy(base=1.0))

    assert target.post(QUERY).status == 200
    assert len(slept) == 3
    for attempt, seconds in enumerate(slept):
        assert 2**attempt / 2 <= seconds <= 2**attempt


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_without_retry_after_is_an_answer(status):
    target, slept = target_for(Script(status, 200))

    assert target.post(QUERY).status == status
    assert slept == []
    assert target.retries.stats.throttled == 0


def test_past_max_retries_the_run_stops_and_later_requests_are_refused():
    script = Script((429, {"Retry-After": "1"}))
    target, slept = target_for(script, policy=RetryPolicy(max_retries=2))

    with pytest.raises(Throttled, match="2 retries of one request"):
        target.post(QUERY)
    assert slept == [1.0, 1.0]
    assert target.sent == 3
    with pytest.raises(Throttled):
        target.post(QUERY)
    assert target.sent == 3


def test_a_retry_after_past_max_wait_stops_at_once_without_waiting():
    target, slept = target_for(
        Script((429, {"Retry-After": "1000"})), policy=RetryPolicy(max_wait=120)
    )

    with pytest.raises(Throttled, match="past --max-wait 120") as raised:
        target.post(QUERY)
    assert slept == []
    assert "throttled the run (HTTP 429)" in str(raised.value)


def test_every_resend_counts_against_the_budget():
    target, _ = target_for(Script((429, {"Retry-After": "0"})), budget=3)

    with pytest.raises(BudgetExhausted):
        target.post(QUERY)
    assert target.sent == 3


def test_a_lost_read_is_resent_once_then_the_target_is_unreachable():
    lost = httpx.ReadTimeout("timed out")
    target, _ = target_for(Script(lost, 200))
    assert target.post(QUERY).status == 200
    assert target.retries.stats.lost == 1

    target, _ = target_for(Script(lost, lost, 200))
    with pytest.raises(TargetUnreachable, match="did not answer"):
        target.post(QUERY)


def test_a_lost_write_is_never_resent_blindly():
    script = Script(httpx.RemoteProtocolError("peer closed"), 200)
    target, _ = target_for(script)

    with pytest.raises(OutcomeUnknown, match="may have stored it"):
        target.post(CREATE)
    assert target.sent == 1


def test_a_refused_write_never_left_and_is_resent():
    script = Script(httpx.ConnectError("refused"), 200)
    target, _ = target_for(script)

    assert target.post(CREATE).status == 200
    assert target.sent == 2


def test_retry_after_forms():
    assert retry_after_seconds("7", now=NOW) == 7.0
    assert retry_after_seconds("Tue, 01 Dec 2026 01:59:00 GMT", now=NOW) == 0.0
    assert retry_after_seconds("Tuesday, 01-Dec-26 02:00:10 GMT", now=NOW) == 10.0
    assert retry_after_seconds("soon", now=NOW) is None
    assert retry_after_seconds(None, now=NOW) is None


def test_the_summary_names_every_figure():
    target, _ = target_for(Script((429, {"Retry-After": "2"}), 200))
    target.post(QUERY)

    assert target.retries.stats.summary() == (
        "throttled 1, retried 1, connections lost 0, unknown outcomes 0, waited 2.0 s"
    )
    assert target.retries.stats.as_properties()["seconds_waited"] == "2.0"
    assert target.retries.stats.as_figures() == {
        "throttled": 1,
        "retried": 1,
        "connections_lost": 0,
        "unknown_outcomes": 0,
        "seconds_waited": 2.0,
    }
