"""What the `smtp-contract` commands share: options, the preflight, targets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from contracts.config import (
    CLIENT_ID_ENV,
    CLIENT_SECRET_ENV,
    TOKEN_ENV,
    TOKEN_URL_ENV,
    URL_ENV,
)
from contracts.profiles import CI, PROFILES

if TYPE_CHECKING:
    from contracts.client.target import Target
    from contracts.config import ContractConfig
    from contracts.reports.progress import Progress


class TargetProblem(click.ClickException):
    """The target cannot be tested (unreachable, token rejected): exit 2."""

    exit_code = 2


token_option = click.option(
    "--token",
    envvar=TOKEN_ENV,
    show_envvar=True,
    help="Bearer token; prefer the environment variable.",
)
client_id_option = click.option(
    "--client-id",
    envvar=CLIENT_ID_ENV,
    show_envvar=True,
    help="Service account: get the bearer token with the OAuth2 client "
    "credentials grant (renewed on expiry, or once on a 401) instead of --token.",
)
client_secret_option = click.option(
    "--client-secret",
    envvar=CLIENT_SECRET_ENV,
    show_envvar=True,
    help="The service account's secret; prefer the environment variable.",
)
token_url_option = click.option(
    "--token-url",
    envvar=TOKEN_URL_ENV,
    show_envvar=True,
    help="OAuth token endpoint of the service account.  [default: /oauth/token "
    "on the --url host]",
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

_CONFIG_NAMES = (
    "url", "token", "org", "other_org", "email_domain", "max_requests", "rps",
    "max_retries", "max_wait", "retry_base", "deadline", "ledger", "cleanup",
    "allow_leftovers", "seed", "report",
    "client_id", "client_secret", "token_url",
)  # fmt: skip
"""The `live_options` values `make_config` takes (not --junitxml, --dry-run)."""


def live_options(url_help: str) -> _Decorator:
    """The live-safety options every command that sends to a target shares (#14).

    Spelled and defaulted alike on `run`, `fuzz` and `diff`, so a CI script can
    pass the same options to each. Pass the collected values to `live_config`.
    """
    decorators = [
        url_option(url_help),
        token_option,
        client_id_option,
        client_secret_option,
        token_url_option,
        click.option(
            "--org",
            help="Organization the run may create senders in (required with --url).",
        ),
        click.option(
            "--other-org",
            help="Second organization, for cross-organization steps (a live "
            "target skips them without it).",
        ),
        email_domain_option,
        max_requests_option,
        rps_option,
        click.option(
            "--max-retries",
            type=click.IntRange(min=0),
            help="Resends of one throttled (429/503) request.  [default: 4]",
        ),
        click.option(
            "--max-wait",
            type=click.FloatRange(min=0),
            help="Seconds one wait on a throttling target may last (one "
            "Retry-After); past it, or --max-retries, the run stops.  "
            "[default: 120]",
        ),
        click.option(
            "--deadline",
            type=click.FloatRange(min=0, min_open=True),
            help="Seconds the whole run may last, waits included; then it "
            "stops and reports what it reached.  [default: 3600]",
        ),
        click.option(
            "--retry-base",
            type=click.FloatRange(min=0, min_open=True),
            help="First backoff delay when a 429 has no Retry-After.  [default: 1]",
        ),
        ledger_option,
        click.option(
            "--cleanup/--keep",
            default=None,
            help="Delete what the run created at the end, from requests held "
            "back for it (--keep leaves it on purpose).  [default: --cleanup on "
            "a live target]",
        ),
        click.option(
            "--allow-leftovers",
            is_flag=True,
            help="Start even where the target cannot delete all the run creates "
            "(no page documents a sender delete); they are listed at the end.",
        ),
        dry_run_option,
        seed_option,
        junitxml_option,
        click.option(
            "--report",
            type=click.Path(path_type=Path),
            help="Write a Markdown report here.",
        ),
    ]

    def apply(command: Callable[..., Any]) -> Callable[..., Any]:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


def live_config(options: dict[str, Any], **extra: Any) -> ContractConfig:
    """`make_config` over the `live_options` values (plus command-specific ones).

    Raises:
        click.UsageError: an option is wrong (exit 2).
    """
    from contracts.config import make_config
    from contracts.errors import ConfigError

    try:
        return make_config(**{name: options[name] for name in _CONFIG_NAMES}, **extra)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc


def url_option(help_text: str) -> _Decorator:
    """`--url`, also from SMTP_CONTRACT_URL."""
    return click.option("--url", envvar=URL_ENV, show_envvar=True, help=help_text)


def profile_option(help_text: str) -> _Decorator:
    """`--hypothesis-profile`: one of the suite's Hypothesis profiles.

    Not `--profile`, which names a behaviour-profile file everywhere
    (`serve`, `diff`, `calibrate`): one word, one meaning (#26).
    """
    return click.option(
        "--hypothesis-profile",
        "profile",
        type=click.Choice(PROFILES),
        default=CI,
        show_default=True,
        help=help_text,
    )


def preflight(config: ContractConfig) -> None:
    """Fail with exit 2 unless the live target answers like the API.

    Also refuses a run that would leave what the user did not allow
    (`contracts.reports.leftovers.start_refusal`).

    Raises:
        TargetProblem: unreachable, token rejected, not a GraphQL endpoint,
            or leftovers not allowed.
    """
    from contracts.client.capabilities import discover
    from contracts.errors import ContractError
    from contracts.reports.leftovers import start_refusal

    # Same retry caps as the run itself: a throttled preflight is no verdict.
    target = configured_target(config)
    try:
        capabilities = discover(target)
    except ContractError as exc:
        raise TargetProblem(str(exc)) from exc
    finally:
        target.close()
    refusal = start_refusal(capabilities, config)
    if refusal is not None:
        raise TargetProblem(refusal)


def live_target(url: str, token: str | None) -> Target:
    """A target over HTTP; the URL is checked the way `run` checks it."""
    from contracts.config import make_config
    from contracts.errors import ConfigError

    try:
        # Checks the URL the same way `run` does; no organization is written to.
        config = make_config(url=url, token=token, org="-")
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    return configured_target(config)


def configured_target(config: ContractConfig) -> Target:
    """A live target obeying every limit of `config`: budget, rate, retries."""
    import httpx

    from contracts.client.target import Target

    assert config.url is not None
    return Target.configured(
        httpx.Client(timeout=config.timeout), config.url, config, token=config.token
    )


def open_live_target(config: ContractConfig) -> tuple[Target, Progress]:
    """Preflight, then a target obeying the run's limits and showing progress.

    Raises:
        TargetProblem: the preflight failed (exit 2).
    """
    preflight(config)
    target = configured_target(config)
    return target, show_progress(target)


def show_progress(target: Target) -> Progress:
    """Report a live target's progress on stderr (stdout keeps the report)."""
    import sys

    from contracts.reports.progress import Progress

    progress = Progress(
        lambda text: click.echo(text, nl=False, err=True), tty=sys.stderr.isatty()
    )
    target.on_send = progress
    return progress
