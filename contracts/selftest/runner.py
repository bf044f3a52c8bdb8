"""Proof of the suite's teeth: run it against every deliberately broken mock.

Each mutant deviates from the guide in one way; a sound suite fails on every
one (the mutant is "killed"), passes on the faithful mock, and passes on the
`equivalent` mutants, which only make a different choice where the guide is
silent.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from contracts.profiles import SELFTEST
from contracts.pytest_plugin import APP_OPTION, TOKEN_ENV

FAITHFUL = "(faithful mock)"
MUTANT_APPS = "contracts.selftest.mutants.apps"
"""The module whose attribute NAME builds the mutant NAME (`--contract-app`)."""
_VIOLATION = re.compile(r"\[(?:documented|inferred)\] ([a-z][a-z.-]+):")


@dataclass(frozen=True, slots=True)
class MutantCase:
    """A mutant to run the suite against."""

    name: str
    deviation: str
    equivalent: bool = False


@dataclass(frozen=True, slots=True)
class MutantResult:
    """How the suite did against one mutant.

    Attributes:
        case: The mutant.
        exit_code: pytest's exit code (0 passed, 1 a clause failed).
        clauses: Clauses whose violation the suite reported.
    """

    case: MutantCase
    exit_code: int
    clauses: tuple[str, ...]

    @property
    def killed(self) -> bool:
        """Whether the suite failed on this mutant because of a clause."""
        return self.exit_code == 1 and bool(self.clauses)

    @property
    def as_expected(self) -> bool:
        """Killed when it deviates, passing when it is faithful or equivalent."""
        if self.case.equivalent or self.case.name == FAITHFUL:
            return self.exit_code == 0
        return self.killed


def suite_command(mutant: str | None, *, profile: str = SELFTEST) -> list[str]:
    """The pytest command that runs the packaged suite against one mutant."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--pyargs",
        "contracts.suite",
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "-c",
        os.devnull,
        f"--hypothesis-profile={profile}",
    ]
    if mutant is not None:
        command.append(f"{APP_OPTION}={MUTANT_APPS}:{mutant}")
    return command


def run_case(case: MutantCase, *, timeout: float = 600) -> MutantResult:
    """Run the suite against one mutant in a fresh interpreter."""
    mutant = None if case.name == FAITHFUL else case.name
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SMTP_CONTRACT_")
    }
    if mutant is not None:
        # The packaged mock makes up a token of its own; a mutant app requires
        # this one, and the suite needs it to check authentication.
        from contracts.selftest.mutants import SELFTEST_TOKEN

        environment[TOKEN_ENV] = SELFTEST_TOKEN
    completed = subprocess.run(
        suite_command(mutant),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        check=False,
    )
    clauses = tuple(dict.fromkeys(_VIOLATION.findall(completed.stdout)))
    return MutantResult(case, completed.returncode, clauses)


def cases() -> list[MutantCase]:
    """The faithful mock, then every mutant of the catalogue."""
    from contracts.selftest.mutants import MUTANTS

    return [
        MutantCase(FAITHFUL, "none: follows the guide"),
        *(MutantCase(m.name, m.deviation, m.equivalent) for m in MUTANTS),
    ]


def run_all(
    cases: list[MutantCase], *, workers: int | None = None
) -> list[MutantResult]:
    """Run every case, in parallel on the machine's cores, in input order."""
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        return list(pool.map(run_case, cases))


def table(results: list[MutantResult]) -> list[str]:
    """Lines of the selftest table, ending with `killed K of N`."""
    rows = [("mutant", "deviation", "result")]
    for result in results:
        rows.append((result.case.name, result.case.deviation, _verdict(result)))
    widths = [max(len(row[index]) for row in rows) for index in range(2)]
    lines = [
        f"{row[0].ljust(widths[0])}  {row[1].ljust(widths[1])}  {row[2]}"
        for row in rows
    ]
    deviating = [
        r for r in results if not r.case.equivalent and r.case.name != FAITHFUL
    ]
    killed = sum(1 for result in deviating if result.killed)
    lines.append(f"killed {killed} of {len(deviating)}")
    return lines


def _verdict(result: MutantResult) -> str:
    if result.case.name == FAITHFUL or result.case.equivalent:
        if result.exit_code == 0:
            return "passed (as it must)"
        return f"FALSE ALARM: {', '.join(result.clauses) or f'exit {result.exit_code}'}"
    if result.killed:
        return f"killed by {', '.join(result.clauses)}"
    return f"SURVIVED (exit {result.exit_code})"
