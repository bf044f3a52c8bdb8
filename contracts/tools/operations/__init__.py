"""The frontend's operations as a contract: read them, check them, replay them."""

from __future__ import annotations

from contracts.tools.operations._positions import Position
from contracts.tools.operations.check import (
    Finding,
    OperationVerdict,
    check_operations,
)
from contracts.tools.operations.sources import (
    Problem,
    SourceDocument,
    Sources,
    read_sources,
)

__all__ = [
    "Finding",
    "OperationVerdict",
    "Position",
    "Problem",
    "SourceDocument",
    "Sources",
    "check_operations",
    "read_sources",
]
