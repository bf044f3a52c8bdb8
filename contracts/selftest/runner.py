"""Proof of the suite's teeth: run it against every deliberately broken mock.

Each mutant deviates from the guide in one way; a sound suite fails on every
one (the mutant is "killed"), passes on the faithful mock, and passes on the
`equivalent` mutants, which only make a different choice where the guide is
silent. Every case runs twice: in-process (`--contract-app`) and over HTTP
against a server process of its own (`--contract-url`), because some bugs
(races across connections) show only on a real server.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from contracts.config import TOKEN_ENV
from contracts.profiles import SELFTEST
from contracts.pytest_options import (
    APP_OPTION,
    JSON_REPORT_OPTION,
    KEEP_OPTION,
    MAX_REQUESTS_OPTION,
    ORG_OPTION,
    OTHER_ORG_OPTION,
    RPS_OPTION,
    URL_OPTION,
)
from contracts.selftest import ordering
from contracts.selftest.forked import run_pytest
from contracts.suite import PLUGIN_ARGUMENTS, RUN_CONFIG

FAITHFUL = "(faithful mock)"
MUTANT_APPS = "contracts.selftest.mutants.apps"
"""The module whose attribute NAME builds the mutant NAME (`--contract-app`)."""
IN_PROCESS = "in-process"
OVER_HTTP = "over HTTP"
MODES = (IN_PROCESS, OVER_HTTP)
"""How a case is run: the app in the suite's process, or served over HTTP."""
# A served mutant is private to its run: no budget, no pacing, two orgs.
_SERVED_OPTIONS = (
    f"{ORG_OPTION}=980700673",
    f"{OTHER_ORG_OPTION}=980700674",
    f"{RPS_OPTION}=1000000",
    f"{MAX_REQUESTS_OPTION}=1000000",
    # Each mutant's server is thrown away after its run: nothing to clean up.
    KEEP_OPTION,
)


@dataclass(frozen=True, slots=True)
class MutantCase:
    """A mutant to run the suite against."""

    name: str
    deviation: str
    equivalent: bool = False
    clause: str | None = None
    """The clause whose tests catch it: they run first."""


@dataclass(frozen=True, slots=True)
class MutantResult:
    """How the suite did against one mutant.

    Attributes:
        case: The mutant.
        exit_code: pytest's exit code (0 passed, 1 a clause failed).
        clauses: Clauses whose violation the suite reported.
        mode: `IN_PROCESS` or `OVER_HTTP`.
    """

    case: MutantCase
    exit_code: int
    clauses: tuple[str, ...]
    mode: str = IN_PROCESS

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


def suite_command(
    mutant: str | None,
    *,
    profile: str = SELFTEST,
    url: str | None = None,
    json_report: Path | None = None,
    first: str | None = None,
) -> list[str]:
    """The pytest command that runs the packaged suite against one mutant.

    With `url` the suite tests that served endpoint; otherwise the mutant's app
    (or the packaged mock) in-process. With `json_report` the plugin writes its
    verdicts there (`--contract-json-report`). With `first` the tests of that
    clause run before the others (`contracts.selftest.ordering`).
    """
    arguments = suite_arguments(
        mutant, profile=profile, url=url, json_report=json_report, first=first
    )
    return [sys.executable, "-m", "pytest", *arguments]


def suite_arguments(
    mutant: str | None,
    *,
    profile: str = SELFTEST,
    url: str | None = None,
    json_report: Path | None = None,
    first: str | None = None,
) -> list[str]:
    """The arguments of `suite_command` after `python -m pytest`."""
    command = [
        "--pyargs",
        "contracts.suite",
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        # Only the suite's plugins: loading the others cost more CPU than a
        # quickly killed mutant's whole run.
        *PLUGIN_ARGUMENTS,
        "-c",
        str(RUN_CONFIG),
        f"--hypothesis-profile={profile}",
    ]
    if json_report is not None:
        command.append(f"{JSON_REPORT_OPTION}={json_report}")
    if first is not None:
        command += ["-p", ordering.PLUGIN, f"{ordering.FIRST_OPTION}={first}"]
    if url is not None:
        command += [f"{URL_OPTION}={url}", *_SERVED_OPTIONS]
    elif mutant is not None:
        command.append(f"{APP_OPTION}={MUTANT_APPS}:{mutant}")
    return command


def run_case(
    case: MutantCase, *, mode: str = IN_PROCESS, timeout: float = 600
) -> MutantResult:
    """Run the suite against one mutant in a fresh process.

    The process is forked from one that has already imported pytest and the
    libraries (`contracts.selftest.forked`); its output goes to a log that is
    thrown away, since the verdicts come from the JSON report. Over HTTP the
    mutant is first served by a process of its own (uvicorn with its app
    factory, forked the same way; `smtp-mock serve` for the faithful mock),
    stopped after.

    Raises:
        subprocess.TimeoutExpired: the suite ran longer than `timeout`.
    """
    from contracts.selftest.mutants import SELFTEST_TOKEN
    from contracts.selftest.served import app_server, mock_server, served

    mutant = None if case.name == FAITHFUL else case.name
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SMTP_CONTRACT_", "SMTP_MOCK_"))
    }
    if mutant is not None or mode == OVER_HTTP:
        # The packaged mock makes up a token of its own in-process; a mutant
        # app (and a served mock) requires this one, and the suite needs it to
        # check authentication.
        environment[TOKEN_ENV] = SELFTEST_TOKEN

    with tempfile.TemporaryDirectory(prefix="smtp-selftest-") as folder:
        report = Path(folder) / "verdicts.json"

        def suite(url: str | None) -> int:
            arguments = suite_arguments(
                mutant, url=url, json_report=report, first=case.clause
            )
            log = Path(folder) / "pytest.log"
            return run_pytest(arguments, environment, log, timeout)

        if mode == OVER_HTTP:
            server_environment = {**environment, "SMTP_MOCK_TOKEN": SELFTEST_TOKEN}
            server = (
                mock_server(server_environment)
                if mutant is None
                else app_server(f"{MUTANT_APPS}:{mutant}", server_environment)
            )
            with served(server) as url:
                exit_code = suite(url)
        else:
            exit_code = suite(None)
        clauses = failed_clauses(report)
    return MutantResult(case, exit_code, clauses, mode)


def failed_clauses(json_report: Path) -> tuple[str, ...]:
    """The clauses a failure of the run named, from its JSON report.

    Only violations count: a test that crashed names no clause, and a run that
    crashed before its summary writes no report; neither kills a mutant.
    """
    try:
        verdicts = json.loads(json_report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    return tuple(str(clause_id) for clause_id in verdicts.get("violated", ()))


def cases() -> list[MutantCase]:
    """The faithful mock, then every mutant of the catalogue."""
    from contracts.selftest.mutants import MUTANTS

    return [
        MutantCase(FAITHFUL, "none: follows the guide"),
        *(MutantCase(m.name, m.deviation, m.equivalent, m.clause) for m in MUTANTS),
    ]


def run_all(
    cases: list[MutantCase],
    *,
    workers: int | None = None,
    modes: tuple[str, ...] = MODES,
) -> list[MutantResult]:
    """Run every case in every mode, in parallel, in input order.

    Twice as many workers as cores by default: a run over HTTP spends much of
    its time waiting on the other process.
    """
    jobs = [(case, mode) for case in cases for mode in modes]
    with ThreadPoolExecutor(max_workers=workers or 2 * (os.cpu_count() or 1)) as pool:
        return list(pool.map(lambda job: run_case(job[0], mode=job[1]), jobs))


def table(results: list[MutantResult]) -> list[str]:
    """Lines of the selftest table, ending with `killed K of N (...)`.

    A mutant counts as killed when every mode it ran in killed it.
    """
    modes = list(dict.fromkeys(result.mode for result in results))
    by_case: dict[MutantCase, dict[str, MutantResult]] = {}
    for result in results:
        by_case.setdefault(result.case, {})[result.mode] = result
    rows = [("mutant", "deviation", *modes)]
    for case, runs in by_case.items():
        verdicts = [_verdict(runs[mode]) if mode in runs else "-" for mode in modes]
        rows.append((case.name, case.deviation, *verdicts))
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]
    deviating = [
        runs
        for case, runs in by_case.items()
        if not case.equivalent and case.name != FAITHFUL
    ]
    killed = sum(all(run.killed for run in runs.values()) for runs in deviating)
    per_mode = ", ".join(
        f"{mode} {sum(runs[mode].killed for runs in deviating if mode in runs)}"
        for mode in modes
    )
    lines.append(f"killed {killed} of {len(deviating)} ({per_mode})")
    return lines


def _verdict(result: MutantResult) -> str:
    if result.case.name == FAITHFUL or result.case.equivalent:
        if result.exit_code == 0:
            return "passed (as it must)"
        return f"FALSE ALARM: {', '.join(result.clauses) or f'exit {result.exit_code}'}"
    if result.killed:
        return f"killed by {', '.join(result.clauses)}"
    return f"SURVIVED (exit {result.exit_code})"
