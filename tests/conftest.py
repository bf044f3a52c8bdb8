from __future__ import annotations

import contextlib
import os
import warnings
from typing import TYPE_CHECKING

import pytest

from contracts.profiles import register_profiles

pytest_plugins = ["pytester"]

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator

register_profiles()

MEASURE_EVERY_TEST = "MEASURE_EVERY_TEST"
"""Set to 1 to measure coverage in the tests marked `no_cover` too."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules marked `starts_first` run before the rest, in file order.

    pytest-xdist (`--dist loadfile --no-loadscope-reorder`) hands out files
    in collection order; a module of minutes handed out last kept the whole
    run waiting on one worker while the others had finished.
    """
    items.sort(key=lambda item: item.get_closest_marker("starts_first") is None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """The bodies of tests marked `no_cover` run without coverage measurement.

    They are long runs whose every line and branch other tests measure too
    (found by measuring each test's own contribution: CONTRIBUTING.md,
    "Coverage"); measuring them again only cost minutes. With
    `no_cover_subprocesses` the test is measured and only the subprocesses
    its body starts (CLI runs, servers) are not. Fixtures stay measured: a
    server one of them starts may serve other tests too.
    """
    if os.environ.get(MEASURE_EVERY_TEST) == "1":
        return (yield)
    if item.get_closest_marker("no_cover") is not None:
        with _subprocesses_unmeasured(), _unmeasured_here():
            return (yield)
    if item.get_closest_marker("no_cover_subprocesses") is not None:
        with _subprocesses_unmeasured():
            return (yield)
    return (yield)


@contextlib.contextmanager
def _subprocesses_unmeasured() -> Iterator[None]:
    # `coverage run` (patch = subprocess) hands its settings to every child
    # through this variable; without it a child starts no measurement.
    settings = os.environ.pop("COVERAGE_PROCESS_CONFIG", None)
    try:
        yield
    finally:
        if settings is not None:
            os.environ["COVERAGE_PROCESS_CONFIG"] = settings


@contextlib.contextmanager
def _unmeasured_here() -> Iterator[None]:
    try:
        import coverage
        from coverage.exceptions import CoverageWarning
    except ImportError:  # pragma: no cover - coverage is a dev dependency
        yield
        return
    measuring = coverage.Coverage.current()
    if measuring is None:
        yield
        return
    measuring.stop()
    try:
        yield
    finally:
        # Starting again, coverage warns that measured modules are already
        # imported: true, and expected when measurement only paused.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CoverageWarning)
            measuring.start()
