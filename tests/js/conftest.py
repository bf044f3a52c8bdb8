from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

NPM_CI_TIMEOUT_S = 300


def node_project(folder: Path) -> Path:
    """`folder`'s npm packages, installed from its lock file when it changed.

    Skips the calling test, saying why, where Node or npm is missing.
    """
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed: the JavaScript tests need Node 20+")
    stamp = folder / "node_modules" / ".package-lock.json"
    lock = folder / "package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=folder,
            check=True,
            capture_output=True,
            timeout=NPM_CI_TIMEOUT_S,
        )
    return folder
