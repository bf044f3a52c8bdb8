"""What the pytest plugin adds for live targets (#14): stops and progress.

Kept apart from `contracts.pytest_plugin`, whose top-level imports stay
pytest and the standard library; the plugin imports this lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from contracts.errors import BudgetExhausted, Throttled, TokenUnavailable
from contracts.reports.progress import Progress

if TYPE_CHECKING:
    from collections.abc import Generator

    from contracts.reports.results import Results

STOPPED_KEY = pytest.StashKey[str]()
"""Why the run was stopped early, for the terminal summary and the report."""


def stopping_on_limits(item: pytest.Item) -> Generator[None, None, None]:
    """Stop the whole run, exit 2, once the budget is spent or throttling won.

    For `pytest_runtest_setup` and `pytest_runtest_call` wrappers: fixtures
    send requests too. The reason is kept for the terminal summary.
    """
    try:
        return (yield)
    except BaseException as exc:
        stop_if_limited(item, exc)
        raise


def stop_if_limited(item: pytest.Item, exc: BaseException) -> None:
    """Stop the run (exit 2, or 1 after a failure) when `exc` is a limit.

    A token endpoint that stops giving tokens stops the run the same way.
    """
    stops = (BudgetExhausted, Throttled, TokenUnavailable)
    found: BaseException = exc
    if isinstance(exc, BaseExceptionGroup):
        match = exc.subgroup(stops)
        found = match.exceptions[0] if match is not None else exc
    if not isinstance(found, stops):
        found = _limit_reached(item) or found
    if not isinstance(found, stops):
        return
    reason = f"{found}; the clauses not reached are reported as not run"
    item.config.stash[STOPPED_KEY] = reason
    # A clause that already failed outranks the limit that stopped the run.
    pytest.exit(reason, returncode=1 if item.session.testsfailed else 2)


def terminal_progress(config: pytest.Config, results: Results) -> Progress:
    """Progress of a live run on pytest's terminal, past output capturing."""
    reporter = config.pluginmanager.getplugin("terminalreporter")
    capture = config.pluginmanager.getplugin("capturemanager")

    def show(text: str) -> None:
        # A plain line starts on a line of its own, not after the dots.
        if text.endswith("\n"):
            reporter.write_line(text[:-1])
        else:
            reporter.write(text)
            reporter.flush()

    def write(text: str) -> None:
        # Tests run with output captured; progress goes to the real terminal,
        # the way pytest's own live logging does.
        if reporter is None:
            return
        if capture is None:
            show(text)
            return
        with capture.global_and_fixture_disabled():
            show(text)

    tty = bool(reporter is not None and reporter.isatty)
    return Progress(write, tty=tty, reached=results.reached)


def _limit_reached(item: pytest.Item) -> BudgetExhausted | Throttled | None:
    # Hypothesis may report a spent budget as something else (a replay that
    # stops earlier looks flaky to it): the target knows the real reason.
    from contracts.pytest_plugin import API_KEY

    api = item.config.stash.get(API_KEY, None)
    return None if api is None else api.target.limit_reached()
