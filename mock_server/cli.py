"""`smtp-mock`: the command frontend developers run."""

from __future__ import annotations

import gc
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from mock_server import __version__
from mock_server.errors import ConfigurationError, MockServerError
from mock_server.stores import MEMORY_URL, check_reachable, is_shared
from mock_server.web._json import loads as json_loads
from mock_server.web.middleware.hosts import (
    ANY_HOST,
    HOST_ENVVAR,
    HOST_OPTION,
    bound_hosts,
    is_loopback,
)
from mock_server.web.sessions import DEFAULT_SESSION_HEADER

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
    )
    if workers > 1 and not is_shared(settings.store):
        raise click.UsageError(
            f"--workers {workers} needs a shared store: each worker would keep its "
            "own memory and uniqueness would silently break; use "
            "--store sqlite:///mock.db or --store redis://127.0.0.1:6379/0"
        )
    try:
        check_reachable(settings.store)
        app = settings.build()
    except MockServerError as exc:
        raise click.UsageError(str(exc)) from exc
    settings.configure_logging()
    freeze_startup_objects()
    auth = "on" if settings.token else "off"
    click.echo(
        f"smtp-mock: serving http://{host}:{port}/graphql "
        f"(auth {auth}, store {settings.store.split('://')[0]}, workers {workers})"
    )
    for warning in exposure_warnings(host, settings):
        click.secho(f"smtp-mock: WARNING: {warning}", fg="yellow", err=True)
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


def exposure_warnings(host: str, settings: ServeSettings) -> list[str]:
    """What `serve` says at start about who else can drive the mock."""
    warnings = []
    if not is_loopback(host) and not settings.token:
        warnings.append(
            f"listening on {host} without a token: anyone who can reach this "
            "port can read, seed, reset and fault the mock's state. Set "
            "SMTP_MOCK_TOKEN (or --token) to require 'Authorization: Bearer'."
        )
    if ANY_HOST in settings.allowed_hosts:
        warnings.append(
            f"Host check off ({HOST_OPTION} '*'): any Host header is served, "
            "so a website can reach this mock through DNS rebinding."
        )
    return warnings


APP_FACTORY = "mock_server.cli:app_from_environment"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class SecondCachingFormatter(logging.Formatter):
    """The standard formatter, formatting each second's timestamp only once.

    `time.strftime` was a fifth of the cost of an access-log line; lines in
    the same second share it, and the text stays exactly the standard one.
    """

    _second: int | None = None
    _text = ""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """The record's time, like `logging.Formatter.formatTime`."""
        if datefmt is not None or self.default_msec_format is None:
            return super().formatTime(record, datefmt)
        second = int(record.created)
        if second != self._second:
            self._text = time.strftime(self.default_time_format, self.converter(second))
            self._second = second
        return self.default_msec_format % (self._text, record.msecs)


@dataclass(frozen=True)
class ServeSettings:
    """What `serve` builds the app from; passes to worker processes by env."""

    schema: Path | None
    token: str | None
    seed: int | None
    cors_origins: tuple[str, ...]
    admin: bool
    store: str
    session_header: str
    log_level: str
    faults: Path | None = None
    compiled: bool = True
    allowed_hosts: tuple[str, ...] = ()
    upstream: str | None = None
    upstream_token: str | None = field(default=None, repr=False)
    upstream_timeout: float = 10.0
    record_operations: Path | None = None
    graphiql: bool = True
    watch: bool = False
    profile: Path | None = None

    def build(self) -> Any:
        """The app these settings describe.

        Raises:
            MockServerError: an option is wrong (schema, store, faults file).
        """
        from mock_server.app import create_app
        from mock_server.domain.profile import DEFAULT_PROFILE
        from mock_server.domain.profile_files import load_profile
        from mock_server.graphql.forwarding import UpstreamOptions
        from mock_server.stores import open_backend
        from mock_server.web.middleware.faults import parse_faults

        rules = []
        if self.faults is not None:
            try:
                rules = parse_faults(
                    json_loads(self.faults.read_text(encoding="utf-8"))
                )
            except ValueError as exc:
                raise ConfigurationError(f"--faults {self.faults}: {exc}") from exc
        return create_app(
            self.schema,
            seed=self.seed,
            token=self.token,
            cors_origins=self.cors_origins,
            allowed_hosts=self.allowed_hosts,
            admin=self.admin,
            store=open_backend(self.store),
            session_header=self.session_header,
            faults=rules,
            compiled=self.compiled,
            upstream=None
            if self.upstream is None
            else UpstreamOptions(
                self.upstream, self.upstream_token, self.upstream_timeout
            ),
            record_operations=self.record_operations,
            graphiql=self.graphiql,
            watch=self.watch,
            profile=DEFAULT_PROFILE
            if self.profile is None
            else load_profile(self.profile),
        )

    def configure_logging(self) -> None:
        """One format for the mock's log, at the chosen level."""
        from mock_server.web.middleware.faults import HideDroppedConnections

        handler = logging.StreamHandler()
        handler.setFormatter(SecondCachingFormatter(LOG_FORMAT))
        logging.basicConfig(level=self.log_level.upper(), handlers=[handler])
        # Nothing in the format uses them, and collecting them per record cost
        # a third of the access log line (the logging HOWTO's "Optimization").
        logging.logThreads = False
        logging.logProcesses = False
        logging.logMultiprocessing = False
        logging._srcfile = None  # no caller's file and line
        logging.getLogger("uvicorn.error").addFilter(HideDroppedConnections())

    def to_environment(self) -> dict[str, str]:
        """The SMTP_MOCK_* variables a worker process reads back."""
        values = {
            "SMTP_MOCK_SCHEMA": str(self.schema or ""),
            "SMTP_MOCK_TOKEN": self.token or "",
            "SMTP_MOCK_SEED": "" if self.seed is None else str(self.seed),
            "SMTP_MOCK_CORS_ORIGIN": " ".join(self.cors_origins),
            "SMTP_MOCK_NO_ADMIN": "" if self.admin else "1",
            "SMTP_MOCK_STORE": self.store,
            "SMTP_MOCK_SESSION_HEADER": self.session_header,
            "SMTP_MOCK_LOG_LEVEL": self.log_level,
            "SMTP_MOCK_FAULTS": str(self.faults or ""),
            "SMTP_MOCK_NO_COMPILE": "" if self.compiled else "1",
            HOST_ENVVAR: " ".join(self.allowed_hosts),
            "SMTP_MOCK_UPSTREAM": self.upstream or "",
            "SMTP_MOCK_UPSTREAM_TOKEN": self.upstream_token or "",
            "SMTP_MOCK_UPSTREAM_TIMEOUT": str(self.upstream_timeout),
            "SMTP_MOCK_RECORD_OPERATIONS": str(self.record_operations or ""),
            "SMTP_MOCK_NO_GRAPHIQL": "" if self.graphiql else "1",
            "SMTP_MOCK_WATCH": "1" if self.watch else "",
            "SMTP_MOCK_PROFILE": str(self.profile or ""),
        }
        return values

    @classmethod
    def from_environment(cls) -> ServeSettings:
        """Read what `to_environment` wrote."""
        env = os.environ
        seed = env.get("SMTP_MOCK_SEED", "")
        return cls(
            schema=Path(env["SMTP_MOCK_SCHEMA"])
            if env.get("SMTP_MOCK_SCHEMA")
            else None,
            token=env.get("SMTP_MOCK_TOKEN") or None,
            seed=int(seed) if seed else None,
            cors_origins=tuple(env.get("SMTP_MOCK_CORS_ORIGIN", "").split()),
            admin=not env.get("SMTP_MOCK_NO_ADMIN"),
            store=env.get("SMTP_MOCK_STORE", MEMORY_URL),
            session_header=env.get("SMTP_MOCK_SESSION_HEADER", DEFAULT_SESSION_HEADER),
            log_level=env.get("SMTP_MOCK_LOG_LEVEL", "info"),
            faults=Path(env["SMTP_MOCK_FAULTS"])
            if env.get("SMTP_MOCK_FAULTS")
            else None,
            compiled=not env.get("SMTP_MOCK_NO_COMPILE"),
            allowed_hosts=tuple(env.get(HOST_ENVVAR, "").split()),
            upstream=env.get("SMTP_MOCK_UPSTREAM") or None,
            upstream_token=env.get("SMTP_MOCK_UPSTREAM_TOKEN") or None,
            upstream_timeout=float(env.get("SMTP_MOCK_UPSTREAM_TIMEOUT") or 10.0),
            record_operations=Path(env["SMTP_MOCK_RECORD_OPERATIONS"])
            if env.get("SMTP_MOCK_RECORD_OPERATIONS")
            else None,
            graphiql=not env.get("SMTP_MOCK_NO_GRAPHIQL"),
            watch=bool(env.get("SMTP_MOCK_WATCH")),
            profile=Path(env["SMTP_MOCK_PROFILE"])
            if env.get("SMTP_MOCK_PROFILE")
            else None,
        )


def app_from_environment() -> Any:
    """The app of one worker process (`uvicorn --factory`)."""
    settings = ServeSettings.from_environment()
    settings.configure_logging()
    app = settings.build()
    freeze_startup_objects()
    return app


def freeze_startup_objects() -> None:
    """Keep what start-up built (schema, modules, app) out of later collections.

    They live as long as the process; without this every full collection walks
    them again: in 60,000 creates, a 21 ms pause, 5 ms once they are frozen.
    """
    gc.collect()
    gc.freeze()
