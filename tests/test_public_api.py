from __future__ import annotations
import __future__

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
