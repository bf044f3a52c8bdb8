"""The one way the tests install a JavaScript project under tests/js/."""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

NPM_CI_TIMEOUT_S = 300


def node_project(folder: Path, purpose: str) -> Path:
    """`folder`'s npm packages, installed from its lock file when it changed.

    Skips the calling test, saying why, where Node or npm is missing.

    Args:
        folder: A folder with `package.json` and `package-lock.json`.
        purpose: What the packages are for, named in the skip reason.
    """
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            pytest.skip(
                f"{tool} is not installed: Node 20+ and npm are needed {purpose}"
            )
    with _only_one_process(folder):
        _install(folder)
    return folder


@contextlib.contextmanager
def _only_one_process(folder: Path) -> Iterator[None]:
    # pytest-xdist workers may set up one project at once; two `npm ci` runs
    # in one folder wipe each other's node_modules.
    with (folder / ".npm-install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _install(folder: Path) -> None:
    installed = folder / "node_modules" / ".package-lock.json"
    lock = folder / "package-lock.json"
    # npm ci wipes node_modules: only when the lock file is newer than the install.
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(
            [
                "npm",
                "ci",
                "--prefer-offline",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
            ],
            cwd=folder,
            check=True,
            capture_output=True,
            timeout=NPM_CI_TIMEOUT_S,
        )
