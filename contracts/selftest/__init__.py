"""Proof of the suite's teeth: the self-test runner and its mutants.

The mutants (`contracts.selftest.mutants`) import the mock; this package's
facade does not, and imports the runner (pytest, Hypothesis) on first use, so
a mutant's server does not pay for them.
"""

from __future__ import annotations

import typing

from contracts import _lazy

if typing.TYPE_CHECKING:
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

__getattr__, __dir__ = _lazy.lazy_names(
    __name__, dict.fromkeys(__all__, f"{__name__}.runner")
)
