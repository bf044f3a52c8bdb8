"""Mutant apps, built from the mock's public API alone.

`mutant_app(NAME)` is the mock with one deviation: a patched SDL file, a
flawed store, no token, or the `MutantMiddleware` wrapper. `apps:NAME` is a
factory of the same app for the suite's `--contract-app` option, guarded by
`SELFTEST_TOKEN` (hand the suite that token through `SMTP_CONTRACT_TOKEN`).
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from contracts.selftest.mutants.catalogue import find_mutant
from contracts.selftest.mutants.middleware import MutantMiddleware
from contracts.selftest.mutants.real_bugs import RestartingApp
from contracts.selftest.mutants.stores import FlawedBackend
from mock_server import ConfigurationError, create_app, default_schema_path
from mock_server.stores import MemoryBackend
from mock_server.web import DEFAULT_SESSION

if TYPE_CHECKING:
    from collections.abc import Callable

    from starlette.types import ASGIApp

    from mock_server.stores import StoreBackend

# Not a secret: it guards a throwaway in-process mock.
SELFTEST_TOKEN = "selftest-token"
"""The token the apps served as `apps:NAME` require."""
BOOT_SEED = 13
"""The id seed of a restarting mutant: the same on every (re)start."""


def mutant_app(name: str, *, token: str | None = None) -> ASGIApp:
    """The packaged mock with the deviation of the mutant `name`.

    Args:
        name: A mutant of `MUTANTS`.
        token: The bearer token the app requires (unless the mutant ignores it).

    Raises:
        ConfigurationError: there is no mutant of this name.
    """
    mutant = find_mutant(name)
    if mutant.restart_every is not None:
        # The data outlives the restart (a database); the id generator does not.
        database = MemoryBackend()
        return RestartingApp(
            lambda: create_app(token=token, seed=BOOT_SEED, store=database),
            mutant.restart_every,
        )
    backend: StoreBackend = (
        FlawedBackend(mutant.store) if mutant.store is not None else MemoryBackend()
    )
    with tempfile.TemporaryDirectory(prefix="smtp-mutant-") as folder:
        schema = None
        if mutant.patch_sdl is not None:
            sdl = default_schema_path().read_text(encoding="utf-8")
            schema = Path(folder) / "schema.graphql"
            schema.write_text(mutant.patch_sdl(sdl), encoding="utf-8")
        # The SDL is read here, once: the folder may go afterwards.
        app = create_app(
            schema, token=None if mutant.ignores_token else token, store=backend
        )
    return MutantMiddleware(app, mutant, backend.session(DEFAULT_SESSION))


def __getattr__(name: str) -> Callable[[], ASGIApp]:
    # `--contract-app contracts.selftest.mutants.apps:NAME` (PEP 562).
    try:
        find_mutant(name)
    except ConfigurationError:
        raise AttributeError(f"no mutant named {name!r}") from None
    return functools.partial(mutant_app, name, token=SELFTEST_TOKEN)
