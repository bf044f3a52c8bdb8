from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import contracts

PACKAGE = Path(contracts.__file__).parent
DOOR = PACKAGE / "_mock.py"
# Deliberately broken variants are test doubles over mock_server's public API.
DOUBLES = PACKAGE / "selftest"
# TODO(#12): calibration reads and writes the mock's behaviour profile model;
# until it goes through `_mock.py`, this is the one other module naming it.
PROFILE_SIDE = PACKAGE / "tools" / "calibrate" / "_mockside.py"


def _imports_of_mock_server(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name.split(".")[0] == "mock_server" for name in names):
            lines.append(node.lineno)
    return lines


def test_only_the_door_imports_the_mock():
    offenders = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if path not in (DOOR, PROFILE_SIDE) and DOUBLES not in path.parents
        for lines in [_imports_of_mock_server(path)]
        if lines
    }

    assert offenders == {}
    assert _imports_of_mock_server(DOOR), "the door itself must reach the mock"


def test_loading_the_contracts_packages_does_not_import_the_mock():
    modules = [
        "contracts",
        "contracts._mock",
        "contracts.cli",
        "contracts.client.in_process",
        "contracts.pytest_plugin",
        "contracts.tools.diff",
        "contracts.tools.plan",
    ]
    code = (
        f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
        "print('mock_server' in sys.modules)"
    )

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert done.stdout.strip() == "False"
