"""A create whose answer was lost is never sent again blindly (#14)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from contracts.checks import Checker
from contracts.client.api import ContractApi
from contracts.client.capabilities import Capabilities, discover
from contracts.client.in_process import in_process_target
from contracts.client.ledger import Ledger, Namespace
from contracts.config import make_config
from contracts.errors import OutcomeUnknown
from contracts.inputs.steps import credentials
from contracts.reports.results import Results
from mock_server import create_app


class LosingClient:
    """Wraps a client; loses the answer to chosen creates, as a reset would.

    `stored`: whether the lost create reached the app first (it was saved).
    """

    def __init__(self, inner: Any, *, lose: int, stored: bool) -> None:
        self.inner = inner
        self.lose = lose
        self.stored = stored
        self.creates = 0

    def post(self, url: str, **request: Any) -> Any:
        body = request.get("json") or {}
        if "createSmtpCustomEmailWithConfiguration" in str(body.get("query", "")):
            self.creates += 1
            if self.creates <= self.lose:
                if self.stored:
                    self.inner.post(url, **request)
                raise httpx.RemoteProtocolError("peer closed connection")
        return self.inner.post(url, **request)

    def close(self) -> None:
        self.inner.close()


TOKEN = "lost-writes-token"


def mock_with_sender_list() -> Any:
    """The look-up of a lost create needs a sender list: the mock-only one."""
    return create_app(token=TOKEN, mock_operations=True)


def api_over(*, lose: int, stored: bool, capabilities: Capabilities | None = None):
    config = make_config(app=f"{__name__}:{mock_with_sender_list.__name__}")
    target = in_process_target(config, token=TOKEN)
    target.client = LosingClient(target.client, lose=lose, stored=stored)
    return ContractApi(
        target,
        config,
        capabilities or discover(target),
        Checker(config, Results(), target.url),
        Namespace("lost", "example.com"),
        Ledger(None, "lost"),
    )


def test_a_create_that_was_not_stored_is_looked_up_then_sent_again():
    api = api_over(lose=1, stored=False)

    exchange = api.create(credentials(api.context()))

    assert exchange.status == 200
    assert exchange.body["data"]["createSmtpCustomEmailWithConfiguration"]
    assert len(api.ledger.entries) == 1
    stats = api.target.retries.stats
    assert (stats.lost, stats.retried, stats.unknown) == (1, 1, 0)
    # The create, the look-up, the create again (after discovery).
    assert api.target.sent == 4


def test_a_create_that_was_stored_is_not_sent_again_and_is_not_judged():
    api = api_over(lose=1, stored=True)

    with pytest.raises(OutcomeUnknown, match="may have stored it"):
        api.create(credentials(api.context()))

    assert api.target.client.creates == 1
    assert len(api.ledger.entries) == 1  # found by the look-up: cleaned up later
    assert api.target.retries.stats.unknown == 1


def test_without_a_look_up_the_outcome_is_unknown():
    api = api_over(lose=1, stored=False, capabilities=Capabilities())

    with pytest.raises(OutcomeUnknown):
        api.create(credentials(api.context()))

    assert api.target.client.creates == 1
    assert api.target.retries.stats.unknown == 1


def test_a_second_loss_after_the_look_up_is_an_unknown_outcome():
    api = api_over(lose=2, stored=False)

    with pytest.raises(OutcomeUnknown):
        api.create(credentials(api.context()))

    assert api.target.client.creates == 2
    assert api.target.retries.stats.unknown == 1
