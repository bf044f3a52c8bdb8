from __future__ import annotations

import pytest

from contracts.profiles import register_profiles

pytest_plugins = ["pytester"]

register_profiles()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules marked `starts_first` run before the rest, in file order.

    pytest-xdist (`--dist loadfile --no-loadscope-reorder`) hands out files
    in collection order; a module of minutes handed out last kept the whole
    run waiting on one worker while the others had finished.
    """
    items.sort(key=lambda item: item.get_closest_marker("starts_first") is None)
