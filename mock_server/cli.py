"""`smtp-mock`: the command frontend developers run."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from mock_server import __version__
from mock_server.errors import MockServerError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "auto_envvar_prefix": None}
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


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
    help="Interface to listen on.",
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
    help="Origin allowed by CORS; repeat for several. [default: any]",
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
def serve(
    host: str,
    port: int,
    schema_path: Path | None,
    token: str | None,
    seed: int | None,
    cors_origins: tuple[str, ...],
    no_admin: bool,
    log_level: str,
) -> None:
    """Serve the mock at http://HOST:PORT/graphql (GraphiQL in a browser).

    Every option can also be set by its SMTP_MOCK_* environment variable.
    """
    import uvicorn

    from mock_server.app import create_app

    try:
        app = create_app(
            schema_path,
            seed=seed,
            token=token,
            cors_origins=cors_origins or ("*",),
            admin=not no_admin,
        )
    except MockServerError as exc:
        raise click.UsageError(str(exc)) from exc
    logging.basicConfig(
        level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    auth = "on" if token else "off"
    click.echo(f"smtp-mock: serving http://{host}:{port}/graphql (auth {auth})")
    # The mock writes its own one-line access log; uvicorn's costs throughput.
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
