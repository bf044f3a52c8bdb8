"""`smtp-mock`: the command frontend developers run."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from mock_server import __version__
from mock_server.errors import MockServerError
from mock_server.graphql.limits import RequestLimits
from mock_server.serving import (
    APP_FACTORY,
    LOG_FORMAT,
    SecondCachingFormatter,
    ServeSettings,
    app_from_environment,
    exposure_warnings,
    freeze_startup_objects,
)
from mock_server.stores import MEMORY_URL, check_reachable, is_shared
from mock_server.web.middleware.hosts import HOST_ENVVAR, bound_hosts
from mock_server.web.service_accounts import TOKEN_LIFETIME_S
from mock_server.web.sessions import DEFAULT_SESSION_HEADER

# Also reached as `mock_server.cli.<name>` by users of earlier versions.
__all__ = [
    "APP_FACTORY",
    "LOG_FORMAT",
    "SecondCachingFormatter",
    "ServeSettings",
    "app_from_environment",
    "freeze_startup_objects",
    "main",
]

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "auto_envvar_prefix": None}
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


class StartupError(click.ClickException):
    """`serve` cannot start: one line on stderr, exit code 2 (no usage text)."""

    exit_code = 2


class _ClientType(click.types.StringParamType):
    """`ID:SECRET`; the environment variable holds several, comma-separated."""

    name = "ID:SECRET"

    def split_envvar_value(self, rv: str) -> list[str]:
        """The values of SMTP_MOCK_CLIENTS, blank ones left out."""
        return [value for value in rv.split(",") if value.strip()]


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="smtp-mock")
def main() -> None:
    """Local mock of the createSmtpCustomEmailWithConfiguration GraphQL API."""


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="SMTP_MOCK_HOST",
    show_envvar=True,
    help="Interface to listen on. Anything but loopback without a token "
    "prints a warning: anyone on the network could then drive the mock.",
)
@click.option(
    "--port",
    default=4000,
    show_default=True,
    type=click.IntRange(0, 65535),
    envvar="SMTP_MOCK_PORT",
    show_envvar=True,
    help="Port to listen on (0 picks a free one).",
)
@click.option(
    "--schema",
    "schema_path",
    type=click.Path(path_type=Path),
    envvar="SMTP_MOCK_SCHEMA",
    show_envvar=True,
    help="SDL file to serve. [default: the packaged schema.graphql]",
)
@click.option(
    "--token",
    envvar="SMTP_MOCK_TOKEN",
    show_envvar=True,
    help="Require 'Authorization: Bearer TOKEN' (prefer the env variable, "
    "which keeps it out of the process list).",
)
@click.option(
    "--member-token",
    "member_tokens",
    multiple=True,
    envvar="SMTP_MOCK_MEMBER_TOKEN",
    show_envvar=True,
    help="Accept this token as an organization member's, without manage "
    "access: SMTP configuration updates and deletes get PERMISSION_DENIED, lists "
    "are empty, creates follow the profile's member_create (refused by default). "
    "Turns auth on like --token; repeat for several (space-separated in the env "
    "variable).",
)
@click.option(
    "--client",
    "clients",
    multiple=True,
    type=_ClientType(),
    envvar="SMTP_MOCK_CLIENTS",
    show_envvar=True,
    help="Service account that gets tokens from POST /oauth/token (OAuth2 "
    "client credentials); repeat for several (comma-separated in the env "
    "variable, which keeps secrets out of the process list). Issued tokens "
    "have manage access and are kept in memory, so --workers must be 1. Turns "
    "auth on like --token.",
)
@click.option(
    "--token-lifetime",
    type=click.IntRange(min=1),
    default=TOKEN_LIFETIME_S,
    show_default=True,
    envvar="SMTP_MOCK_TOKEN_LIFETIME",
    show_envvar=True,
    help="Seconds a token from /oauth/token is accepted (its expires_in).",
)
@click.option(
    "--seed",
    type=int,
    envvar="SMTP_MOCK_SEED",
    show_envvar=True,
    help="Make ids and generated data the same on every start.",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    envvar="SMTP_MOCK_CORS_ORIGIN",
    show_envvar=True,
    help="Origin allowed to call the mock from a browser, besides the local "
    "ones (http(s)://localhost, 127.0.0.1, [::1], any port) and the mock's own "
    "pages; repeat for several (space-separated in the env variable). '*' "
    "allows any origin on /graphql, never on /__mock/*. Other origins get 403 "
    "(FORBIDDEN_ORIGIN). [default: local origins only]",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    envvar=HOST_ENVVAR,
    show_envvar=True,
    help="Host header to serve besides localhost, 127.0.0.1, [::1] (any port) "
    "and a specific --host address; repeat for several (space-separated in the "
    "env variable). A leading dot adds a domain and its subdomains "
    "('.example.com'); '*' turns the check off. Other hosts get 403 "
    "(FORBIDDEN_HOST). [default: local hosts only]",
)
@click.option(
    "--no-admin",
    is_flag=True,
    envvar="SMTP_MOCK_NO_ADMIN",
    show_envvar=True,
    help="Disable the /__mock/ admin API (health stays on).",
)
@click.option(
    "--log-level",
    type=click.Choice(LOG_LEVELS),
    default="info",
    show_default=True,
    envvar="SMTP_MOCK_LOG_LEVEL",
    show_envvar=True,
    help="Level of the mock's log, one line per request at 'info'.",
)
@click.option(
    "--store",
    default=MEMORY_URL,
    show_default=True,
    envvar="SMTP_MOCK_STORE",
    show_envvar=True,
    help="Where senders live: memory://, sqlite:///path.db (survives restarts, "
    "safe with --workers) or redis://host:port/db (shared by several mocks).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    envvar="SMTP_MOCK_WORKERS",
    show_envvar=True,
    help="Server processes; more than 1 needs a sqlite:// or redis:// store.",
)
@click.option(
    "--session-header",
    default=DEFAULT_SESSION_HEADER,
    show_default=True,
    envvar="SMTP_MOCK_SESSION_HEADER",
    show_envvar=True,
    help="Request header giving a caller its own isolated state.",
)
@click.option(
    "--faults",
    "faults_path",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    envvar="SMTP_MOCK_FAULTS",
    show_envvar=True,
    help="JSON file of fault-injection rules (latency, errors, 5xx/429, drops).",
)
@click.option(
    "--no-compile",
    is_flag=True,
    envvar="SMTP_MOCK_NO_COMPILE",
    show_envvar=True,
    help="Run every operation through graphql-core's own executor (slower), "
    "instead of compiled plans with the same results.",
)
@click.option(
    "--upstream",
    envvar="SMTP_MOCK_UPSTREAM",
    show_envvar=True,
    metavar="URL",
    help="The real API: its schema joins the local SDL and every root field "
    "the mock does not implement is forwarded to it.",
)
@click.option(
    "--upstream-token",
    envvar="SMTP_MOCK_UPSTREAM_TOKEN",
    show_envvar=True,
    help="Bearer token for --upstream (use the env variable); without it each "
    "caller's own Authorization header is passed through.",
)
@click.option(
    "--upstream-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    envvar="SMTP_MOCK_UPSTREAM_TIMEOUT",
    show_envvar=True,
    help="Seconds before a slow upstream answers UPSTREAM_UNAVAILABLE.",
)
@click.option(
    "--record-operations",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="SMTP_MOCK_RECORD_OPERATIONS",
    show_envvar=True,
    help="Append each distinct operation clients send to this JSON lines file "
    "(never variable values), for `smtp-contract operations check`.",
)
@click.option(
    "--no-graphiql",
    is_flag=True,
    envvar="SMTP_MOCK_NO_GRAPHIQL",
    show_envvar=True,
    help="Do not serve the GraphiQL page to browsers that open /graphql.",
)
@click.option(
    "--watch",
    is_flag=True,
    envvar="SMTP_MOCK_WATCH",
    show_envvar=True,
    help="Reload the schema whenever the --schema file is saved, keeping the "
    "state; a file that does not load keeps the last good schema.",
)
@click.option(
    "--profile",
    "profile_path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="SMTP_MOCK_PROFILE",
    show_envvar=True,
    help="Behaviour profile (TOML or JSON): the real API's choices where the "
    "guide is silent, e.g. from `smtp-contract calibrate`.",
)
@click.option(
    "--limit",
    "limits",
    multiple=True,
    metavar="NAME=N",
    envvar="SMTP_MOCK_LIMITS",
    show_envvar=True,
    help="Change one of the mock's own limits on one request (docs: "
    "Behaviour, Limits): "
    + ", ".join(f"{name}={value}" for name, value in RequestLimits().items())
    + "; repeat for several (space-separated in the env variable).",
)
@click.option(
    "--mock-operations",
    is_flag=True,
    envvar="SMTP_MOCK_OPERATIONS",
    show_envvar=True,
    help="Also serve the mock-only operations of mock_operations.graphql "
    "(smtpCustomEmails, smtpCustomEmail, deleteSmtpCustomEmail), which the "
    "real API does not document.",
)
def serve(
    host: str,
    port: int,
    log_level: str,
    workers: int,
    **options: Any,
) -> None:
    """Serve the mock at http://HOST:PORT/graphql (GraphiQL in a browser).

    Every option can also be set by its SMTP_MOCK_* environment variable.
    """
    import uvicorn

    settings = ServeSettings(
        schema=options["schema_path"],
        token=options["token"],
        seed=options["seed"],
        cors_origins=options["cors_origins"],
        allowed_hosts=(*options["allowed_hosts"], *bound_hosts(host)),
        admin=not options["no_admin"],
        store=options["store"],
        session_header=options["session_header"],
        log_level=log_level,
        faults=options["faults_path"],
        compiled=not options["no_compile"],
        upstream=options["upstream"],
        upstream_token=options["upstream_token"],
        upstream_timeout=options["upstream_timeout"],
        record_operations=options["record_operations"],
        graphiql=not options["no_graphiql"],
        watch=options["watch"],
        profile=options["profile_path"],
        mock_operations=options["mock_operations"],
        member_tokens=options["member_tokens"],
        clients=options["clients"],
        token_lifetime=options["token_lifetime"],
        limits=options["limits"],
    )
    if workers > 1 and settings.clients:
        raise StartupError(
            f"--client keeps the tokens it issues in one process's memory: with "
            f"--workers {workers} the other workers would refuse them; use "
            "--workers 1 with --client"
        )
    if workers > 1 and not is_shared(settings.store):
        raise StartupError(
            f"--workers {workers} needs a shared store: each worker would keep its "
            "own memory and uniqueness would silently break; use "
            "--store sqlite:///mock.db or --store redis://127.0.0.1:6379/0"
        )
    try:
        check_reachable(settings.store)
        app = settings.build()
    except MockServerError as exc:
        raise StartupError(str(exc)) from exc
    settings.configure_logging()
    freeze_startup_objects()
    auth = "on" if settings.requires_auth else "off"
    click.echo(
        f"smtp-mock: serving http://{host}:{port}/graphql "
        f"(auth {auth}, store {settings.store.split('://')[0]}, workers {workers})"
    )
    for warning in exposure_warnings(host, settings):
        click.secho(f"smtp-mock: WARNING: {warning}", fg="yellow", err=True)
    if settings.clients:
        click.echo(
            f"smtp-mock: {len(settings.clients)} service account(s) get tokens "
            f"from http://{host}:{port}/oauth/token"
        )
    if settings.profile is not None:
        click.echo(f"smtp-mock: {_profile_line(settings.profile)}")
    if settings.upstream:
        click.echo(f"smtp-mock: forwarding other root fields to {settings.upstream}")
    if settings.record_operations:
        click.echo(f"smtp-mock: recording operations to {settings.record_operations}")
    # The mock writes its own one-line access log; uvicorn's costs throughput.
    common: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "access_log": False,
    }
    if workers == 1:
        uvicorn.run(app, **common)
        return
    # Worker processes rebuild the app from the environment.
    os.environ.update(settings.to_environment())
    uvicorn.run(APP_FACTORY, factory=True, workers=workers, **common)


def _profile_line(path: Path) -> str:
    from mock_server.domain.profile_files import describe_profile, load_profile

    # Read once more: `build` checked it, this names what it holds.
    return describe_profile(load_profile(path), path)
