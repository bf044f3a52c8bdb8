"""pytest plugin of the contract suite (filled in by the contract-suite issue)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Register the `contract` marker."""
    config.addinivalue_line("markers", "contract: a clause of the API contract")
