"""What the pytest plugin adds for live targets (#14): stops and progress.

Kept apart from `contracts.pytest_plugin`, whose top-level imports stay
pytest and the standard library; the plugin imports this lazily.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from typing import TYPE_CHECKING

import pytest

from contracts.errors import (
    BudgetExhausted,
    ContractError,
    DeadlineReached,
    Throttled,
    TokenUnavailable,
)
from contracts.reports.progress import Progress

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    from contracts.client.api import ContractApi
    from contracts.reports.results import Results

STOPPED_KEY = pytest.StashKey[str]()
"""Why the run was stopped early, for the terminal summary and the report."""
COMPLETED_KEY = pytest.StashKey[set[str]]()
"""The tests that ran to an outcome (not cut short by a stop)."""
_STOPS = (BudgetExhausted, Throttled, DeadlineReached, TokenUnavailable)
STOP_SKIP = "not reached: "
"""How the test a stop cut short is skipped."""


def stopping_on_limits(item: pytest.Item) -> Generator[None, None, None]:
    """Stop the whole run once the budget is spent or throttling won.

    For `pytest_runtest_setup` and `pytest_runtest_call` wrappers: fixtures
    send requests too. The reason is kept for the terminal summary.
    """
    try:
        return (yield)
    except BaseException as exc:
        stop_if_limited(item, exc)
        raise


def stop_if_limited(item: pytest.Item, exc: BaseException) -> None:
    """Stop the run after this test when `exc` is a limit; the test is skipped.

    A token endpoint that stops giving tokens stops the run the same way.
    The exit status comes at the end (`final_status`): what the run reached
    decides it, not the stop.

    Raises:
        pytest.skip.Exception: instead of `exc`, which is no test's failure.
    """
    found: BaseException = exc
    if isinstance(exc, BaseExceptionGroup):
        match = exc.subgroup(_STOPS)
        found = match.exceptions[0] if match is not None else exc
    if not isinstance(found, _STOPS):
        found = _limit_reached(item) or found
    if not isinstance(found, _STOPS):
        return
    reason = f"{found} (after {_sent(item)} requests)"
    item.config.stash[STOPPED_KEY] = reason
    item.session.shouldstop = reason
    raise pytest.skip.Exception(f"{STOP_SKIP}{found}") from None


def completed(item: pytest.Item) -> None:
    """Note that a test ran to an outcome (see `final_status`)."""
    item.config.stash.setdefault(COMPLETED_KEY, set()).add(item.nodeid)


def final_status(
    session: pytest.Session, clause_ids: Callable[[pytest.Item], list[str]]
) -> int | None:
    """The exit status of a run that stopped early, or None if it did not.

    1 when a clause failed; otherwise 0 when every enforced clause that the
    tests cut short would have checked was held by another test, else 2.
    """
    from contracts.clauses import clause
    from contracts.pytest_plugin import CONFIG_KEY, RESULTS_KEY
    from contracts.reports.results import HELD

    config = session.config
    if config.stash.get(STOPPED_KEY, None) is None:
        return None
    if session.testsfailed:
        return 1
    contract_config = config.stash[CONFIG_KEY]
    results = config.stash[RESULTS_KEY]
    done = config.stash.get(COMPLETED_KEY, set())
    missed = {
        clause_id
        for item in session.items
        if item.nodeid not in done
        for clause_id in clause_ids(item)
        if contract_config.enforces(clause(clause_id).tier)
        and results.status(clause_id) != HELD
    }
    return 2 if missed else 0


def _sent(item: pytest.Item) -> int | str:
    from contracts.pytest_plugin import API_KEY

    api = item.config.stash.get(API_KEY, None)
    return "?" if api is None else api.target.sent


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


def _limit_reached(item: pytest.Item) -> ContractError | None:
    # Hypothesis may report a spent budget as something else (a replay that
    # stops earlier looks flaky to it): the target knows the real reason.
    from contracts.pytest_plugin import API_KEY

    api = item.config.stash.get(API_KEY, None)
    return None if api is None else api.target.limit_reached()


def announce_cleanup(pytestconfig: pytest.Config, api: ContractApi) -> None:
    """Before the first create: what this run will leave on the target."""
    from contracts.reports.leftovers import cleanup_notice

    reporter = pytestconfig.pluginmanager.getplugin("terminalreporter")
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    if reporter is None:
        return
    notice = cleanup_notice(
        api.capabilities,
        cleanup=api.config.cleanup,
        most=api.config.max_requests,
    )
    # The first test's setup runs with output captured: past it, as the
    # live progress line is written.
    with contextlib.ExitStack() as stack:
        if capture is not None:
            stack.enter_context(capture.global_and_fixture_disabled())
        reporter.write_line("")
        reporter.write_line(notice)


def clean_up_after(api: ContractApi) -> None:
    """Delete what the run created, from the requests held back for it."""
    from contracts.client.family import clean_up

    if api.config.cleanup:
        clean_up(api.target, api.ledger, api.capabilities)


def settle_exit_status(
    session: pytest.Session, clause_ids: Callable[[pytest.Item], list[str]]
) -> int:
    """The run's exit status: `final_status`, then what was left unallowed."""
    from contracts.pytest_plugin import API_KEY, CONFIG_KEY
    from contracts.reports.leftovers import unallowed_leftovers

    status = final_status(session, clause_ids)
    if status is None:
        status = int(session.exitstatus)
    contract_config = session.config.stash[CONFIG_KEY]
    api = session.config.stash.get(API_KEY, None)
    if (
        status == 0
        and api is not None
        and contract_config.is_live
        and unallowed_leftovers(api.ledger, contract_config)
    ):
        status = 2
    return status


def note_completed(item: pytest.Item, report: pytest.TestReport) -> None:
    """A test ran to an outcome unless a stop cut it short (see `final_status`)."""
    cut_short = (
        report.skipped
        and isinstance(report.longrepr, tuple)
        and STOP_SKIP in str(report.longrepr[2])
    )
    ran = report.when == "call" or (report.when == "setup" and report.skipped)
    if ran and not cut_short:
        completed(item)


_FAILURES_KEY = pytest.StashKey[Counter[str]]()


def as_readable_failure(
    item: pytest.Item, report: pytest.TestReport, error: BaseException
) -> None:
    """Show a contract violation as its block alone (`reports.failures`).

    pytest's own report (traceback, Hypothesis's advice) stays with `-v` or
    an explicit `--tb`.
    """
    from contracts.reports.failures import failure_block, violation_in

    option = item.config.option
    if getattr(option, "verbose", 0) > 0 or getattr(option, "tbstyle", "auto") != (
        "auto"
    ):
        return
    violation = violation_in(error)
    if violation is None:
        return
    counts = item.config.stash.setdefault(_FAILURES_KEY, Counter())
    report.longrepr = failure_block(error, earlier=counts[violation.clause])
    counts[violation.clause] += 1
