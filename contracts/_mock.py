"""The one door from `contracts` to `mock_server`.

`mock_server` never imports `contracts`; inside `contracts` only this module
names `mock_server`, and only inside its functions, so a run against a live
API never imports the mock (conventions, section 1: layering).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path


def packaged_schema_path() -> Path:
    """The contract's SDL as shipped with the mock."""
    from mock_server import default_schema_path

    return default_schema_path()


def mock_app(
    schema: Path | None = None,
    *,
    seed: int | None = None,
    token: str | None = None,
) -> Any:
    """The packaged mock as an ASGI app.

    Args:
        schema: SDL file to serve instead of the packaged one.
        seed: Seed of the mock's ids, for reproducible runs.
        token: Bearer token the mock requires, or None for none.
    """
    from mock_server import create_app

    return create_app(schema, seed=seed, token=token)
