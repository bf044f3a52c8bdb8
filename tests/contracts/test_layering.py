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
        if path != DOOR and DOUBLES not in path.parents
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


def test_the_door_re_exports_exactly_the_names_it_types():
    from contracts import _mock

    modules = set(_mock.PROFILE_MODEL.values())
    typed = {
        alias.name: node.module
        for node in ast.walk(ast.parse(DOOR.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module in modules
        for alias in node.names
    }

    assert typed == _mock.PROFILE_MODEL
    for name, module in _mock.PROFILE_MODEL.items():
        assert getattr(_mock, name) is getattr(sys.modules[module], name)
