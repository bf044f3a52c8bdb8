"""How `smtp-mock serve` builds its app and its log, in one process or many.

`ServeSettings` is everything `serve` builds the app from; with `--workers`
it travels to each worker process through `SMTP_MOCK_*` variables, and
`app_from_environment` is the factory uvicorn calls there.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mock_server.errors import ConfigurationError
from mock_server.stores import MEMORY_URL
from mock_server.web._json import loads as json_loads
from mock_server.web.middleware.hosts import (
    ANY_HOST,
    HOST_ENVVAR,
    HOST_OPTION,
    is_loopback,
)
from mock_server.web.service_accounts import TOKEN_LIFETIME_S
from mock_server.web.sessions import DEFAULT_SESSION_HEADER

APP_FACTORY = "mock_server.serving:app_from_environment"
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

    def format(self, record: logging.LogRecord) -> str:
        """The record's line, like `logging.Formatter.format`.

        The mock's own format is put together directly: the standard way (a
        `%` over every attribute of the record) took a sixth of the cost of
        formatting an access line (#31).
        """
        if (
            self._fmt != LOG_FORMAT
            or self.datefmt is not None
            or record.exc_info
            or record.exc_text
            or record.stack_info
        ):
            return super().format(record)
        record.message = record.getMessage()
        record.asctime = self.formatTime(record)
        return f"{record.asctime} {record.levelname} {record.name} {record.message}"


@dataclass(frozen=True)
class ServeSettings:
    """What `serve` builds the app from; passes to worker processes by env.

    Tokens and client secrets stay out of its repr.
    """

    schema: Path | None
    token: str | None = field(repr=False)
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
    mock_operations: bool = False
    member_tokens: tuple[str, ...] = field(default=(), repr=False)
    clients: tuple[str, ...] = field(default=(), repr=False)
    """Service accounts as `ID:SECRET` (`--client`)."""
    token_lifetime: int = TOKEN_LIFETIME_S
    limits: tuple[str, ...] = ()
    """The mock's own limits changed, as `NAME=N` (`--limit`)."""

    @property
    def requires_auth(self) -> bool:
        """Whether requests need a token (an admin's, a member's or an issued one)."""
        return bool(self.token or self.member_tokens or self.clients)

    def build(self) -> Any:
        """The app these settings describe.

        Raises:
            MockServerError: an option is wrong (schema, store, faults file).
        """
        from mock_server.app import create_app
        from mock_server.domain.profile import DEFAULT_PROFILE
        from mock_server.domain.profile_files import load_profile
        from mock_server.graphql.forwarding import UpstreamOptions
        from mock_server.graphql.limits import RequestLimits
        from mock_server.stores import open_backend
        from mock_server.web.middleware.faults import parse_faults
        from mock_server.web.service_accounts import ServiceAccounts, parse_clients

        rules = []
        if self.faults is not None:
            try:
                rules = parse_faults(
                    json_loads(self.faults.read_text(encoding="utf-8"))
                )
            except ValueError as exc:
                raise ConfigurationError(f"--faults {self.faults}: {exc}") from exc
        clients = parse_clients(self.clients)
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
            limits=RequestLimits.from_options(self.limits),
            upstream=None
            if self.upstream is None
            else UpstreamOptions(
                self.upstream, self.upstream_token, self.upstream_timeout
            ),
            record_operations=self.record_operations,
            graphiql=self.graphiql,
            watch=self.watch,
            mock_operations=self.mock_operations,
            profile=DEFAULT_PROFILE
            if self.profile is None
            else load_profile(self.profile),
            member_tokens=self.member_tokens,
            clients=ServiceAccounts(clients, lifetime=self.token_lifetime)
            if clients
            else None,
        )

    def configure_logging(self) -> None:
        """One format for the mock's log, at the chosen level."""
        from mock_server.web.middleware.access_log import (
            AccessLineWriter,
            logger as access_logger,
        )
        from mock_server.web.middleware.faults import HideDroppedConnections

        handler = logging.StreamHandler()
        handler.setFormatter(SecondCachingFormatter(LOG_FORMAT))
        logging.basicConfig(level=self.log_level.upper(), handlers=[handler])
        if handler in logging.getLogger().handlers:
            # The log is ours (not an embedding app's): access lines go to the
            # same stream in the same format, written by a thread (#31).
            writer = AccessLineWriter(handler.stream)
            writer.setFormatter(handler.formatter)
            for old in access_logger.handlers[:]:
                if isinstance(old, AccessLineWriter):
                    access_logger.removeHandler(old)
            access_logger.addHandler(writer)
            access_logger.propagate = False
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
            "SMTP_MOCK_OPERATIONS": "1" if self.mock_operations else "",
            "SMTP_MOCK_MEMBER_TOKEN": " ".join(self.member_tokens),
            "SMTP_MOCK_CLIENTS": ",".join(self.clients),
            "SMTP_MOCK_TOKEN_LIFETIME": str(self.token_lifetime),
            "SMTP_MOCK_LIMITS": " ".join(self.limits),
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
            mock_operations=bool(env.get("SMTP_MOCK_OPERATIONS")),
            member_tokens=tuple(env.get("SMTP_MOCK_MEMBER_TOKEN", "").split()),
            clients=tuple(
                client
                for client in env.get("SMTP_MOCK_CLIENTS", "").split(",")
                if client
            ),
            token_lifetime=int(env.get("SMTP_MOCK_TOKEN_LIFETIME") or TOKEN_LIFETIME_S),
            limits=tuple(env.get("SMTP_MOCK_LIMITS", "").split()),
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


def exposure_warnings(host: str, settings: ServeSettings) -> list[str]:
    """What `serve` says at start about who else can drive the mock."""
    warnings = []
    if not is_loopback(host) and not settings.requires_auth:
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
