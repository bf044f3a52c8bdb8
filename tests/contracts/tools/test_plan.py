from __future__ import annotations

import re

from contracts.config import make_config
from contracts.pytest_plugin import ContractRun
from contracts.tools.plan import (
    burst_requests,
    explicit_requests,
    fixed_requests,
    plan_lines,
    properties,
)
from mock_server import create_app


class ExplicitOnly:
    """Deselects the generated tests; counts the Hypothesis properties."""

    def __init__(self) -> None:
        self.properties = 0

    def pytest_collection_modifyitems(self, items):
        generated = [
            item
            for item in items
            if getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
        ]
        self.properties = len(generated)
        items[:] = [
            item
            for item in items
            if item not in generated and "state_machine" not in item.name
        ]


PLAN_TOKEN = "plan-token"


def mock_with_every_read_back():
    """The mock with its mock-only operations: every read-back the plan counts."""
    return create_app(token=PLAN_TOKEN, mock_operations=True)


def test_the_plan_counts_what_the_suite_sends(suite):
    explicit = ExplicitOnly()

    config = make_config(
        token=PLAN_TOKEN, app=f"{__name__}:{mock_with_every_read_back.__name__}"
    )
    result = suite(plugins=[explicit, ContractRun(config)])

    assert result.ret == 0, result.stdout.str()[-2000:]
    sent = re.search(r"requests sent: (\d+)", result.stdout.str())
    assert sent is not None
    # One more: the capability discovery before the first test.
    bursts = burst_requests(config.concurrency)
    # The mock refuses an address with surrounding spaces (a profile choice),
    # so its duplicate, which the plan counts, is not sent.
    assert int(sent.group(1)) == explicit_requests() + bursts + 1 - 1
    assert int(sent.group(1)) == fixed_requests(config.concurrency) - 1
    assert explicit.properties == properties()


def test_the_dry_run_prints_the_derived_counts():
    lines = "\n".join(plan_lines(make_config(), "dev"))

    assert f"each of {properties()} properties" in lines
    assert f"  - {explicit_requests()} explicit requests" in lines
