"""The `smtp-contract` command line: run, selftest, clauses, and the tools."""

from __future__ import annotations

from contracts.cli.commands import main

__all__ = ["main"]
