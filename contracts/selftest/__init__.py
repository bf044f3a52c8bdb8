"""Proof of the suite's teeth: the self-test runner and its mutants.

The mutants (`contracts.selftest.mutants`) import the mock; this package's
facade does not, so importing it costs nothing.
"""

from __future__ import annotations

from contracts.selftest.runner import (
    FAITHFUL,
    IN_PROCESS,
    MODES,
    OVER_HTTP,
    MutantCase,
    MutantResult,
    cases,
    failed_clauses,
    run_all,
    run_case,
    suite_command,
    table,
)

__all__ = [
    "FAITHFUL",
    "IN_PROCESS",
    "MODES",
    "OVER_HTTP",
    "MutantCase",
    "MutantResult",
    "cases",
    "failed_clauses",
    "run_all",
    "run_case",
    "suite_command",
    "table",
]
