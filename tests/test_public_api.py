from __future__ import annotations
import __future__

import subprocess
import sys
import types

import pytest

import contracts
import contracts.selftest
import contracts.selftest.mutants
import mock_server
import mock_server.domain
import mock_server.graphql
import mock_server.stores
import mock_server.web
import mock_server.web.middleware

PACKAGES = [
    mock_server,
    mock_server.domain,
    mock_server.graphql,
    mock_server.stores,
    mock_server.web,
    mock_server.web.middleware,
    contracts,
    contracts.selftest,
    contracts.selftest.mutants,
]


@pytest.mark.parametrize("package", PACKAGES, ids=lambda package: package.__name__)
def test_all_lists_exactly_the_public_names(package):
    # A lazy package (contracts) imports a name on first use: use each once.
    for name in package.__all__:
        getattr(package, name)
    public = {
        name
        for name, value in vars(package).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType | __future__._Feature)
    }

    # isort-style, as ruff's RUF022 keeps it: CONSTANTS, Classes, functions.
    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert sorted(package.__all__, key=kind) == package.__all__
    assert set(package.__all__) == public


def test_a_lazy_package_imports_its_names_on_first_use_only():
    code = (
        "import sys, contracts.selftest.mutants.apps, contracts.selftest\n"
        "heavy = [m for m in ('hypothesis', 'pytest') if m in sys.modules]\n"
        "assert heavy == [], heavy\n"
        "assert contracts.selftest.table.__module__ == 'contracts.selftest.runner'\n"
        "assert 'table' in dir(contracts.selftest)\n"
        "assert contracts.ContractViolation.__module__ == 'contracts.errors'\n"
        "try:\n"
        "    contracts.selftest.nope\n"
        "except AttributeError as error:\n"
        "    assert 'nope' in str(error)\n"
        "else:\n"
        "    raise AssertionError('no error')\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
