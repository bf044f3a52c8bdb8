"""pytest runs in fresh processes forked from one that has done the imports.

`selftest` runs the packaged suite about eighty times, each run in a process of
its own so that no run can leak state (Hypothesis settings, the plugin's
budget, a mutant's patched schema) into the next. Starting an interpreter and
importing pytest, Hypothesis, graphql-core and Starlette costs about 1.7 s of
CPU, which was a third of the whole self-test on a 2-core machine. A
multiprocessing fork server imports those libraries once; every run is a fork
of it: still a fresh process, without paying for the imports again.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from multiprocessing.context import ForkServerContext
    from multiprocessing.process import BaseProcess
    from pathlib import Path

PRELOADED = (
    "pytest",
    "hypothesis",
    "hypothesis.strategies",
    "httpx",
    "graphql",
    "starlette.applications",
    "ariadne",
)
"""Third-party libraries only: pytest rewrites the asserts of modules it
imports itself, so the suite's own modules must not be imported ahead of it."""
_QUIET_REWRITE = ("-W", "ignore::pytest.PytestAssertRewriteWarning")
"""pytest warns that the preloaded plugins (Hypothesis, this package) were
imported before it could rewrite their asserts; the suite's tests are not."""


def run_pytest(
    arguments: list[str], env: Mapping[str, str], log: Path, timeout: float
) -> int:
    """Run `pytest ARGUMENTS` in a fresh process and return its exit code.

    Args:
        arguments: pytest's command-line arguments.
        env: The whole environment of the run.
        log: Where the run's output goes (standard output and error).
        timeout: Seconds before the run is killed.

    Raises:
        subprocess.TimeoutExpired: the run took longer than `timeout`.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        # Windows has no fork: a new interpreter per run.
        with log.open("w", encoding="utf-8") as output:
            completed = subprocess.run(
                [sys.executable, "-m", "pytest", *arguments],
                stdout=output,
                stderr=subprocess.STDOUT,
                env=dict(env),
                timeout=timeout,
                check=False,
            )
        return completed.returncode
    process = _fork_server().Process(
        target=_pytest_main, args=(arguments, dict(env), str(log))
    )
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join()
        raise subprocess.TimeoutExpired(["pytest", *arguments], timeout)
    # Set once the process has ended; never read a missing code as a pass.
    return -1 if process.exitcode is None else process.exitcode


def serve_app(factory: str, port: int, env: Mapping[str, str]) -> BaseProcess:
    """Start uvicorn serving the app factory `module:name` on 127.0.0.1:`port`.

    As `uvicorn --factory` does, in a process forked like `run_pytest`'s (a
    new interpreter where there is no fork server), with its output
    discarded. `terminate()` stops it: uvicorn shuts down gracefully.
    """
    arguments = (factory, port, dict(env))
    process: BaseProcess
    if "forkserver" not in multiprocessing.get_all_start_methods():
        process = multiprocessing.get_context("spawn").Process(
            target=_serve, args=arguments
        )
    else:
        process = _fork_server().Process(target=_serve, args=arguments)
    process.start()
    return process


@functools.cache
def _fork_server() -> ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOADED))
    return context


def _own_process(env: dict[str, str], output: str) -> None:
    # Called first in a forked process: its environment and output are its own.
    os.environ.clear()
    os.environ.update(env)
    descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(descriptor, 1)
    os.dup2(descriptor, 2)
    os.close(descriptor)


def _pytest_main(arguments: list[str], env: dict[str, str], log: str) -> None:
    _own_process(env, log)
    import pytest

    sys.exit(int(pytest.main([*_QUIET_REWRITE, *arguments])))


def _serve(factory: str, port: int, env: dict[str, str]) -> None:
    _own_process(env, os.devnull)
    import uvicorn

    uvicorn.run(
        factory,
        factory=True,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
    )
