"""The frontend's operations as a contract: read them, check them, replay them."""

from __future__ import annotations

from contracts.tools.operations.check import Finding, OperationVerdict, check_operations
from contracts.tools.operations.sources import SourceOperation, Sources, read_sources

__all__ = [
    "Finding",
    "OperationVerdict",
    "SourceOperation",
    "Sources",
    "check_operations",
    "read_sources",
]
