"""The `--contract-*` options of the pytest plugin, and the config they make.

`smtp-contract run` does not use them: it hands the plugin a checked config
object (`contracts.pytest_plugin.ContractRun`). They serve a plain `pytest
--pyargs contracts.suite` run, in CI or beside a project's own tests.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest

from contracts.config import (
    CLIENT_ID_ENV,
    CLIENT_SECRET_ENV,
    TOKEN_ENV,
    TOKEN_URL_ENV,
    URL_ENV,
)

if TYPE_CHECKING:
    from contracts.config import ContractConfig

URL_OPTION = "--contract-url"
TOKEN_OPTION = "--contract-token"
CLIENT_ID_OPTION = "--contract-client-id"
CLIENT_SECRET_OPTION = "--contract-client-secret"
TOKEN_URL_OPTION = "--contract-token-url"
SCHEMA_OPTION = "--contract-schema"
APP_OPTION = "--contract-app"
ORG_OPTION = "--contract-org"
OTHER_ORG_OPTION = "--contract-other-org"
EMAIL_DOMAIN_OPTION = "--contract-email-domain"
MAX_REQUESTS_OPTION = "--contract-max-requests"
RPS_OPTION = "--contract-rps"
CONCURRENCY_OPTION = "--contract-concurrency"
SHRINK_BUDGET_OPTION = "--contract-shrink-budget"
TIER_OPTION = "--contract-tier"
REPORT_OPTION = "--contract-report"
JSON_REPORT_OPTION = "--contract-json-report"
LEDGER_OPTION = "--contract-ledger"
CLEANUP_OPTION = "--contract-cleanup"
KEEP_OPTION = "--contract-keep"
ALLOW_LEFTOVERS_OPTION = "--contract-allow-leftovers"
MAX_RETRIES_OPTION = "--contract-max-retries"
MAX_WAIT_OPTION = "--contract-max-wait"
RETRY_BASE_OPTION = "--contract-retry-base"
DEADLINE_OPTION = "--contract-deadline"
STRICT_SECRETS_OPTION = "--contract-strict-secrets"


def add_options(parser: pytest.Parser) -> None:
    """Add the `contracts` option group to pytest's options."""
    group = parser.getgroup("contracts", "SMTP custom email contract suite")
    group.addoption(URL_OPTION, help=f"Live GraphQL endpoint to test [env {URL_ENV}].")
    group.addoption(TOKEN_OPTION, help=f"Bearer token; prefer env {TOKEN_ENV}.")
    group.addoption(
        CLIENT_ID_OPTION,
        help=f"Service account, for an OAuth2 token [env {CLIENT_ID_ENV}].",
    )
    group.addoption(
        CLIENT_SECRET_OPTION,
        help=f"The service account's secret; prefer env {CLIENT_SECRET_ENV}.",
    )
    group.addoption(
        TOKEN_URL_OPTION,
        help=f"OAuth token endpoint (default: /oauth/token) [env {TOKEN_URL_ENV}].",
    )
    group.addoption(SCHEMA_OPTION, help="SDL file of the in-process mock.")
    group.addoption(APP_OPTION, help="module:attribute of an ASGI app to test.")
    group.addoption(ORG_OPTION, help="Organization the suite may create senders in.")
    group.addoption(OTHER_ORG_OPTION, help="Second organization, for cross-org checks.")
    group.addoption(EMAIL_DOMAIN_OPTION, help="Domain of generated addresses.")
    group.addoption(MAX_REQUESTS_OPTION, type=int, help="Hard request budget.")
    group.addoption(RPS_OPTION, type=float, help="Client-side requests per second.")
    group.addoption(
        CONCURRENCY_OPTION, type=int, help="Simultaneous creates of one address."
    )
    group.addoption(
        SHRINK_BUDGET_OPTION, type=int, help="Requests one failure may shrink with."
    )
    group.addoption(
        TIER_OPTION,
        choices=("documented", "inferred"),
        default="inferred",
        help="Fail on documented clauses only, or on inferred ones too.",
    )
    group.addoption(REPORT_OPTION, help="Write a Markdown clause table here.")
    group.addoption(JSON_REPORT_OPTION, help="Write the verdicts as JSON here.")
    group.addoption(LEDGER_OPTION, help="Append created objects here (JSON lines).")
    group.addoption(
        CLEANUP_OPTION,
        action="store_true",
        help="Delete created objects at the end (the default on a live target).",
    )
    group.addoption(
        KEEP_OPTION, action="store_true", help="Leave created objects on purpose."
    )
    group.addoption(
        ALLOW_LEFTOVERS_OPTION,
        action="store_true",
        help="Start even where the target cannot delete all the run creates.",
    )
    group.addoption(
        MAX_RETRIES_OPTION, type=int, help="Resends of one throttled request."
    )
    group.addoption(
        MAX_WAIT_OPTION, type=float, help="Seconds one wait may last when throttled."
    )
    group.addoption(DEADLINE_OPTION, type=float, help="Seconds the whole run may last.")
    group.addoption(
        RETRY_BASE_OPTION, type=float, help="First backoff delay (no Retry-After)."
    )
    group.addoption(
        STRICT_SECRETS_OPTION,
        action="store_true",
        help="Fail on a password quoted by a request-level error (else a warning).",
    )


def config_from_options(config: pytest.Config) -> ContractConfig:
    """Check the `--contract-*` options (and environment) once; freeze them.

    Raises:
        pytest.UsageError: an option is wrong (pytest exits 4).
    """
    from contracts.config import make_config
    from contracts.errors import ConfigError

    def option(name: str) -> Any:
        return config.getoption(name)

    seed = config.getoption("hypothesis_seed", None)
    try:
        contract_config = make_config(
            url=option(URL_OPTION) or os.environ.get(URL_ENV),
            token=option(TOKEN_OPTION) or os.environ.get(TOKEN_ENV),
            client_id=option(CLIENT_ID_OPTION) or os.environ.get(CLIENT_ID_ENV),
            client_secret=option(CLIENT_SECRET_OPTION)
            or os.environ.get(CLIENT_SECRET_ENV),
            token_url=option(TOKEN_URL_OPTION) or os.environ.get(TOKEN_URL_ENV),
            org=option(ORG_OPTION),
            other_org=option(OTHER_ORG_OPTION),
            email_domain=option(EMAIL_DOMAIN_OPTION),
            max_requests=option(MAX_REQUESTS_OPTION),
            rps=option(RPS_OPTION),
            tier=option(TIER_OPTION),
            schema=option(SCHEMA_OPTION),
            app=option(APP_OPTION),
            ledger=option(LEDGER_OPTION),
            report=option(REPORT_OPTION),
            json_report=option(JSON_REPORT_OPTION),
            cleanup=False if option(KEEP_OPTION) else option(CLEANUP_OPTION) or None,
            allow_leftovers=option(ALLOW_LEFTOVERS_OPTION),
            seed=int(seed) if seed is not None and str(seed).isdigit() else None,
            max_retries=option(MAX_RETRIES_OPTION),
            max_wait=option(MAX_WAIT_OPTION),
            deadline=option(DEADLINE_OPTION),
            retry_base=option(RETRY_BASE_OPTION),
            strict_secrets=option(STRICT_SECRETS_OPTION),
            concurrency=option(CONCURRENCY_OPTION),
            shrink_budget=option(SHRINK_BUDGET_OPTION),
        )
    except ConfigError as exc:
        raise pytest.UsageError(str(exc)) from exc
    return contract_config
