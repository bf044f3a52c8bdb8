"""The `smtp-contract` command line (run, selftest, clauses, fuzz, drift, diff)."""

from __future__ import annotations

from contracts.cli.commands import main

__all__ = ["main"]
