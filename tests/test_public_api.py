from __future__ import annotations
import __future__

import types

import pytest

import contracts
import mock_server


@pytest.mark.parametrize("package", [mock_server, contracts])
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
