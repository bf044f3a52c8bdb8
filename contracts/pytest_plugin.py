"""pytest plugin of the contract suite.

Options (each also from the environment where noted):

    --contract-url URL           live GraphQL endpoint (env SMTP_CONTRACT_URL);
                                 without it the packaged mock is tested in-process
    --contract-token TOKEN       bearer token (env SMTP_CONTRACT_TOKEN, preferred)
    --contract-client-id ID      service account: OAuth2 token instead of a token
                                 (env SMTP_CONTRACT_CLIENT_ID)
    --contract-client-secret S   its secret (env SMTP_CONTRACT_CLIENT_SECRET,
                                 preferred)
    --contract-token-url URL     token endpoint (env SMTP_CONTRACT_TOKEN_URL;
                                 default /oauth/token on the URL's host)
    --contract-schema PATH       SDL file for the in-process mock
    --contract-app MOD:ATTR      an ASGI app (or factory) to test in-process
    --contract-org ID            organization to create senders in
    --contract-other-org ID      second organization (cross-organization clause)
    --contract-email-domain D    domain of generated addresses
    --contract-max-requests N    hard request budget (live default 300)
    --contract-rps R             client-side rate limit (live default 5)
    --contract-concurrency N     simultaneous creates per burst (live 8, else 25)
    --contract-shrink-budget N   requests one failure may spend on shrinking
                                 (live default a tenth of the budget)
    --contract-tier T            documented | inferred: which failures fail the run
    --contract-report PATH       Markdown clause table
    --contract-json-report PATH  the same verdicts as JSON (for programs)
    --contract-ledger PATH       JSON lines of every created object
    --contract-cleanup           delete created objects at the end
    --contract-max-retries N     resends of one throttled request (default 4)
    --contract-max-wait S        seconds the run may wait on throttling (120)
    --contract-retry-base S      first backoff delay without Retry-After (1)
    --contract-strict-secrets    fail on a password quoted by a request-level error

Top-level imports are pytest and the standard library only; httpx, Hypothesis
and the mock are imported inside hooks and fixtures, so that loading the plugin
costs nothing in projects that never run the suite.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from contracts.pytest_options import add_options, config_from_options

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator

    from contracts.clauses import ClauseId
    from contracts.client.api import ContractApi
    from contracts.client.target import Target
    from contracts.config import ContractConfig
    from contracts.reports.results import Results

LIVE_PROFILE = "contract-live"
CONTRACT_USAGE_EXIT = 2

CONFIG_KEY = pytest.StashKey["ContractConfig"]()
RESULTS_KEY = pytest.StashKey["Results"]()
API_KEY = pytest.StashKey["ContractApi"]()
FINAL_STATUS_KEY = pytest.StashKey[int]()
"""The exit status `pytest_sessionfinish` settled on, for the reports."""
# Security warnings seen before a test ran, per clause, to tell which test
# raised a new one.
_WARNINGS_KEY = pytest.StashKey[dict["ClauseId", int]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the `contracts` option group."""
    from contracts.profiles import register_profiles

    # Registered here, before Hypothesis's own plugin loads --hypothesis-profile.
    register_profiles()
    add_options(parser)


class ContractRun:
    """Hands a checked `ContractConfig` to the plugin: `smtp-contract run`.

    Passed as `pytest.main(args, plugins=[ContractRun(config)])`, it replaces
    the `--contract-*` options, so the CLI checks its options once and the
    token never travels through argv or the environment.

    Args:
        contract_config: The run's frozen options.
    """

    def __init__(self, contract_config: ContractConfig) -> None:
        self.contract_config = contract_config

    def __repr__(self) -> str:
        return f"ContractRun({self.contract_config.describe()})"


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Register the marker, check the options, and stash the frozen config."""
    config.addinivalue_line(
        "markers", "contract(*clause_ids): the clauses of the contract a test checks"
    )
    from contracts.reports.results import Results

    given = [
        plugin.contract_config
        for plugin in config.pluginmanager.get_plugins()
        if isinstance(plugin, ContractRun)
    ]
    contract_config = given[0] if given else config_from_options(config)
    config.stash[CONFIG_KEY] = contract_config
    config.stash[RESULTS_KEY] = Results()
    if contract_config.is_live:
        _cap_examples_for_live_targets(contract_config)


def _cap_examples_for_live_targets(contract_config: ContractConfig) -> None:
    from hypothesis import settings

    from contracts.budgets import run_spending

    current = settings()
    spending = run_spending(
        contract_config.concurrency, cleanup=contract_config.cleanup
    )
    settings.register_profile(
        LIVE_PROFILE,
        max_examples=spending.examples(
            contract_config.max_requests, current.max_examples
        ),
        stateful_step_count=min(current.stateful_step_count, 10),
    )
    settings.load_profile(LIVE_PROFILE)


def pytest_report_header(config: pytest.Config) -> str | None:
    """Name the target (never the token) when the suite runs."""
    contract_config = config.stash.get(CONFIG_KEY, None)
    if contract_config is None:
        return None
    return f"contracts: {contract_config.describe()}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Name each test's clauses in JUnit XML (as `clause` properties)."""
    for item in items:
        for clause_id in clause_ids(item):
            item.user_properties.append(("clause", clause_id))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Record each contract test's outcome against its clauses."""
    from contracts._pytest_live import as_readable_failure, note_completed

    results = item.config.stash.get(RESULTS_KEY, None)
    if call.when == "call" and results is not None:
        # Before the report copies them: JUnit shows each warning on the test
        # whose responses raised it.
        before = item.stash.get(_WARNINGS_KEY, {})
        for warned, titles in results.warnings().items():
            if len(titles) > before.get(warned, 0):
                item.user_properties.append(("security-warning", warned.value))
    report = yield
    note_completed(item, report)
    if report.failed and call.excinfo is not None:
        as_readable_failure(item, report, call.excinfo.value)
    checked = clause_ids(item)
    if checked and results is not None:
        reason = ""
        if report.skipped and isinstance(report.longrepr, tuple):
            reason = str(report.longrepr[2]).removeprefix("Skipped: ")
        if report.when == "call" or (report.when == "setup" and not report.passed):
            # A violation names its clause: only that one failed, not every
            # clause the test touches.
            violated = _violated_clauses(call.excinfo.value if call.excinfo else None)
            for clause_id in violated:
                results.violated(clause_id)
            for clause_id in violated or checked:
                results.outcome(clause_id, report.outcome, reason)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    """Fixtures send requests too: the same stops apply while they set up."""
    from contracts._pytest_live import stopping_on_limits

    return (yield from stopping_on_limits(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Stop on the budget or throttling, and never hide a failure found first.

    Notes how many security warnings there were before the test, so its report
    can name the ones it added. A failure found before shrinking spent
    `--shrink-budget`, or before the request budget ran out, is reported as
    first found, with its `curl`; a limit then stops the run with exit 1 when
    any test failed, else 2.
    """
    from contracts._pytest_live import stop_if_limited
    from contracts.errors import BudgetExhausted
    from contracts.reports.verdicts import as_found, found

    results = item.config.stash.get(RESULTS_KEY, None)
    if results is not None:
        item.stash[_WARNINGS_KEY] = {
            clause_id: len(titles) for clause_id, titles in results.warnings().items()
        }
    api = item.config.stash.get(API_KEY, None)
    if api is not None:
        api.target.next_test()
        api.checker.next_test()
    try:
        return (yield)
    except BaseException as exc:
        first = api.checker.first_failure if api is not None else None
        budget = found(exc, BudgetExhausted)
        spent = api is not None and api.target.shrink_spent
        if first is not None and (budget is not None or spent):
            raise as_found(first, budget) from None
        stop_if_limited(item, exc)
        raise


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Set the exit status a contract run means (#26).

    1 when a clause failed. A run stopped early (budget, throttling, deadline)
    exits 0 when every enforced clause was still reached and held, else 2.
    A live run that left on the target what the user did not allow exits 2
    even when every clause held.
    """
    from contracts._pytest_live import settle_exit_status

    if session.config.stash.get(CONFIG_KEY, None) is None:
        return
    status = settle_exit_status(session, clause_ids)
    session.exitstatus = status
    session.config.stash[FINAL_STATUS_KEY] = status


def _stop(reason: str, *, code: int = CONTRACT_USAGE_EXIT) -> NoReturn:
    pytest.exit(reason, returncode=code)


def _violated_clauses(error: BaseException | None) -> list[str]:
    from contracts.errors import ContractViolation

    if isinstance(error, ContractViolation):
        return [error.clause]
    if isinstance(error, BaseExceptionGroup):
        return [
            clause_id
            for inner in error.exceptions
            for clause_id in _violated_clauses(inner)
        ]
    return []


def pytest_terminal_summary(
    terminalreporter: Any, exitstatus: int, config: pytest.Config
) -> None:
    """Print the clause table, and write the Markdown and JSON reports when asked."""
    contract_config = config.stash.get(CONFIG_KEY, None)
    results = config.stash.get(RESULTS_KEY, None)
    if contract_config is None or results is None:
        return
    from contracts._pytest_live import STOPPED_KEY
    from contracts.reports.terminal import write_summary

    api = config.stash.get(API_KEY, None)
    stopped = config.stash.get(STOPPED_KEY, None)
    write_summary(
        terminalreporter, contract_config, results, api, stopped,
        exit_status=config.stash.get(FINAL_STATUS_KEY, int(exitstatus)),
    )  # fmt: skip


def clause_ids(item: pytest.Item) -> list[str]:
    """The clauses a test checks, from its `contract(*clause_ids)` markers."""
    return [
        clause_id
        for marker in item.iter_markers("contract")
        for clause_id in marker.args
    ]


@pytest.fixture(scope="session")
def contract_config(pytestconfig: pytest.Config) -> ContractConfig:
    """The run's frozen options."""
    return pytestconfig.stash[CONFIG_KEY]


@pytest.fixture(scope="session")
def contract_results(pytestconfig: pytest.Config) -> Results:
    """Where checks, outcomes and probe observations are recorded."""
    return pytestconfig.stash[RESULTS_KEY]


@pytest.fixture(scope="session")
def contract_target(
    pytestconfig: pytest.Config,
    contract_config: ContractConfig,
    contract_results: Results,
) -> Iterator[Target]:
    """The target: the mock in-process, an app in-process, or a live endpoint."""
    from contracts.client.in_process import IN_PROCESS_URL, asgi_client, config_app
    from contracts.client.target import Target
    from contracts.errors import ConfigError

    if contract_config.is_live:
        import httpx

        assert contract_config.url is not None
        client: Any = httpx.Client(timeout=contract_config.timeout)
        url, token = contract_config.url, contract_config.token
    else:
        # The packaged mock gets a token of its own, so the auth clause runs;
        # another app is only given the token the caller configured.
        token = contract_config.token
        if token is None and contract_config.app is None:
            token = f"contract-{secrets.token_hex(8)}"
        try:
            client = asgi_client(config_app(contract_config, token))
        except ConfigError as exc:
            _stop(str(exc))
        url = IN_PROCESS_URL
    target = Target.configured(client, url, contract_config, token=token)
    progress = None
    if contract_config.is_live:
        from contracts._pytest_live import terminal_progress

        progress = terminal_progress(pytestconfig, contract_results)
        target.on_send = progress
    try:
        yield target
    finally:
        if progress is not None:
            progress.finish()
        target.close()


@pytest.fixture(scope="session")
def contract_api(
    pytestconfig: pytest.Config,
    contract_config: ContractConfig,
    contract_target: Target,
    contract_results: Results,
    record_testsuite_property: Any,
) -> Iterator[ContractApi]:
    """The suite's client: preflight, invariants, ledger and cleanup."""
    from contracts._pytest_live import announce_cleanup, clean_up_after
    from contracts.checks import Checker
    from contracts.client.api import ContractApi
    from contracts.client.capabilities import discover
    from contracts.client.family import hold_for_cleanup
    from contracts.client.ledger import Ledger, Namespace
    from contracts.errors import ContractError
    from contracts.reports.leftovers import start_refusal

    try:
        capabilities = discover(contract_target)
    except ContractError as exc:
        _stop(str(exc))
    refusal = start_refusal(capabilities, contract_config)
    if refusal is not None:
        _stop(refusal)
    api = ContractApi(
        contract_target,
        contract_config,
        capabilities,
        Checker(
            contract_config,
            contract_results,
            contract_target.url,
            on_failure=contract_target.failure_found,
        ),
        Namespace(contract_config.run_id, contract_config.email_domain),
        Ledger(contract_config.ledger, contract_config.run_id),
    )
    pytestconfig.stash[API_KEY] = api
    if contract_config.cleanup and capabilities.cleanup is not None:
        hold_for_cleanup(contract_target, api.ledger, capabilities)
    if contract_config.is_live:
        announce_cleanup(pytestconfig, api)
    yield api
    clean_up_after(api)
    # In the JUnit XML too: how much throttling cost this run (issue #14).
    record_testsuite_property("requests_sent", str(contract_target.sent))
    for name, value in contract_target.retries.stats.as_properties().items():
        record_testsuite_property(name, value)
