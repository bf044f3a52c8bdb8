"""The one way the tests install a JavaScript project under tests/js/.

`npm ci` takes 5 to 20 s a project even from npm's own cache (it unpacks
every package again), and a fresh clone has seven projects: on a 2-core
machine that was a minute of every `make test`. Each project's `node_modules`
is therefore installed once per lock file, into the user's cache folder
(`$XDG_CACHE_HOME/smtp-custom-email-toolkit/npm/<folder>-<hash of the lock
file>`), and the project's `node_modules` is a link to it. Node resolves a
linked `node_modules` by its real path, so every package finds its own
dependencies there. A changed lock file is a new key: a new install, never a
stale one.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

NPM_CI_TIMEOUT_S = 300
_KEY_LENGTH = 16
_COMPLETE = ".installed-from-lock-file"


def node_project(folder: Path, purpose: str) -> Path:
    """`folder`'s npm packages, installed from its lock file once per lock file.

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
    cached = cached_install(folder)
    link(folder / "node_modules", cached)
    return folder


def cache_root() -> Path:
    """Where installed `node_modules` folders are kept, one per lock file."""
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "smtp-custom-email-toolkit" / "npm"


def cached_install(folder: Path) -> Path:
    """The cached `node_modules` for `folder`'s lock file, installed if missing."""
    lock = (folder / "package-lock.json").read_bytes()
    key = f"{folder.name}-{hashlib.sha256(lock).hexdigest()[:_KEY_LENGTH]}"
    root = cache_root()
    installed = root / key / "node_modules"
    root.mkdir(parents=True, exist_ok=True)
    # pytest-xdist workers, and two checkouts, may want one key at once.
    with _only_one_process(root / f"{key}.lock"):
        # The mark is inside node_modules: an `npm ci` run by hand in the
        # project wipes the linked folder, mark included, and it is redone.
        if not (installed / _COMPLETE).is_file():
            _install(folder, root / key)
    return installed


def link(node_modules: Path, target: Path) -> None:
    """Make `node_modules` a link to `target`, replacing what was there."""
    if node_modules.is_symlink() and node_modules.readlink() == target:
        return
    with _only_one_process(node_modules.parent / ".npm-install.lock"):
        if node_modules.is_symlink() or node_modules.is_file():
            node_modules.unlink()
        elif node_modules.is_dir():
            # An install from before the cache: npm's, so nothing of ours.
            shutil.rmtree(node_modules)
        node_modules.symlink_to(target, target_is_directory=True)


@contextlib.contextmanager
def _only_one_process(path: Path) -> Iterator[None]:
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _install(folder: Path, destination: Path) -> None:
    # Installed beside the final place and renamed into it: a run killed
    # half-way leaves a staging folder, never a half-filled cache entry.
    staging = destination.with_name(f"{destination.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(folder / name, staging / name)
    subprocess.run(
        [
            "npm",
            "ci",
            "--prefer-offline",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ],
        cwd=staging,
        check=True,
        capture_output=True,
        timeout=NPM_CI_TIMEOUT_S,
    )
    # A project without dependencies gets no folder from npm; it still has one.
    (staging / "node_modules").mkdir(exist_ok=True)
    (staging / "node_modules" / _COMPLETE).touch()
    shutil.rmtree(destination, ignore_errors=True)
    staging.rename(destination)
