"""What the `smtp-contract` commands share: options, the preflight, targets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from contracts.profiles import CI, PROFILES

if TYPE_CHECKING:
    from contracts.client.target import Target
    from contracts.config import ContractConfig


class TargetProblem(click.ClickException):
    """The target cannot be tested (unreachable, token rejected): exit 2."""

    exit_code = 2


token_option = click.option(
    "--token",
    envvar="SMTP_CONTRACT_TOKEN",
    show_envvar=True,
    help="Bearer token; prefer the environment variable.",
)
email_domain_option = click.option(
    "--email-domain", help="Domain of generated addresses.  [default: example.com]"
)
max_requests_option = click.option(
    "--max-requests",
    type=click.IntRange(min=1),
    help="Hard request budget.  [default: 300 on a live target]",
)
rps_option = click.option(
    "--rps",
    type=click.FloatRange(min=0, min_open=True),
    help="Client-side requests per second.  [default: 5 on a live target]",
)
seed_option = click.option("--seed", type=int, help="Hypothesis seed, for reruns.")
strict_secrets_option = click.option(
    "--strict-secrets",
    is_flag=True,
    help="Fail when a request-level error (HTTP 4xx) quotes a submitted password; "
    "by default that is a security warning.",
)
junitxml_option = click.option(
    "--junitxml", type=click.Path(path_type=Path), help="Write a JUnit XML report here."
)
ledger_option = click.option(
    "--ledger",
    type=click.Path(path_type=Path),
    help="Append every created object here (JSON lines).",
)
dry_run_option = click.option(
    "--dry-run", is_flag=True, help="Print the planned requests and send none."
)


_Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def url_option(help_text: str) -> _Decorator:
    """`--url`, also from SMTP_CONTRACT_URL."""
    return click.option(
        "--url", envvar="SMTP_CONTRACT_URL", show_envvar=True, help=help_text
    )


def profile_option(help_text: str) -> _Decorator:
    """`--profile`: one of the suite's Hypothesis profiles."""
    return click.option(
        "--profile",
        type=click.Choice(PROFILES),
        default=CI,
        show_default=True,
        help=help_text,
    )


def preflight(config: ContractConfig) -> None:
    """Fail with exit 2 unless the live target answers like the API.

    Raises:
        TargetProblem: unreachable, token rejected, or not a GraphQL endpoint.
    """
    import httpx

    from contracts.client.capabilities import discover
    from contracts.client.target import Target
    from contracts.errors import ContractError

    assert config.url is not None
    with httpx.Client(timeout=config.timeout) as client:
        try:
            discover(Target(client, config.url, token=config.token))
        except ContractError as exc:
            raise TargetProblem(str(exc)) from exc


def live_target(url: str, token: str | None) -> Target:
    """A target over HTTP; the URL is checked the way `run` checks it."""
    import httpx

    from contracts.client.target import Target
    from contracts.config import make_config
    from contracts.errors import ConfigError

    try:
        # Checks the URL the same way `run` does; no organization is written to.
        make_config(url=url, org="-")
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    return Target(httpx.Client(timeout=10.0), url, token=token)
