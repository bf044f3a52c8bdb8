"""`smtp-contract`: the command CI pipelines and API owners run."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from contracts.clauses import CLAUSES
from contracts.cli._options import (
    live_config,
    live_options,
    preflight,
    profile_option,
    strict_secrets_option,
)
from contracts.cli.calibrate import calibrate
from contracts.cli.operations import operations
from contracts.cli.tools import diff_command, drift, fuzz

if TYPE_CHECKING:
    from contracts.config import ContractConfig

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
VERSION = "0.1.0"


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(VERSION, prog_name="smtp-contract")
def main() -> None:
    """Contract suite for the createSmtpCustomEmailWithConfiguration API."""


@main.command()
@live_options(
    "Live GraphQL endpoint. Without it the packaged mock is tested in-process."
)
@profile_option(
    "Hypothesis profile: dev (fast), ci (bounded, derandomized), fuzz (thousands "
    "of examples)."
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=2),
    help="Simultaneous creates of one address per burst.  "
    "[default: 8 on a live target, 25 in-process]",
)
@click.option(
    "--shrink-budget",
    type=click.IntRange(min=0),
    help="Requests one failure may spend on shrinking; then it is reported "
    "unshrunk.  [default: a tenth of --max-requests on a live target]",
)
@click.option(
    "--tier",
    type=click.Choice(["documented", "inferred"]),
    default="inferred",
    show_default=True,
    help="Fail on documented clauses only, or on inferred ones too.",
)
@strict_secrets_option
@click.option(
    "--schema",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="SDL file for the in-process mock.",
)
@click.option("--app", help="module:attribute of an ASGI app to test in-process.")
@click.option(
    "--json-report",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the verdicts as JSON here (version, exit status, failed and "
    "violated clauses, traffic, one entry per clause), for programs.",
)
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
def run(**options: Any) -> None:
    """Check a target against every clause; exit 0 if all hold, 1 if one fails.

    Exit 2 means the run could not reach every clause it enforces (bad
    option, unreachable endpoint, rejected token, a budget, throttling or
    deadline that stopped it first), or left on the target what was not
    allowed. Arguments after `--` go to pytest (e.g. `-- -k unique`); the
    run loads no installed pytest plugin but its own and Hypothesis's (add
    one with `-- -p NAME`).
    """
    config = live_config(
        options,
        tier=options["tier"],
        schema=options["schema"],
        app=options["app"],
        strict_secrets=options["strict_secrets"],
        concurrency=options["concurrency"],
        shrink_budget=options["shrink_budget"],
        json_report=options["json_report"],
    )
    if options["dry_run"]:
        from contracts.tools.plan import plan_lines

        for line in plan_lines(config, options["profile"]):
            click.echo(line)
        return
    if config.is_live:
        preflight(config)
    raise SystemExit(_run_pytest(config, options))


def _run_pytest(config: ContractConfig, options: dict[str, Any]) -> int:
    import pytest
    from hypothesis.configuration import set_hypothesis_home_dir

    from contracts.profiles import hypothesis_home
    from contracts.pytest_plugin import ContractRun
    from contracts.suite import PLUGIN_ARGUMENTS, RUN_CONFIG

    args = [
        "--pyargs",
        "contracts.suite",
        "-p",
        "no:cacheprovider",
        *PLUGIN_ARGUMENTS,
        # The caller's own pytest configuration must not change the suite.
        "-c",
        str(RUN_CONFIG),
        "--rootdir",
        os.getcwd(),
        f"--hypothesis-profile={options['profile']}",
        # This process imported the package before pytest started; harmless.
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
    ]
    valued = (("--hypothesis-seed", config.seed), ("--junitxml", options["junitxml"]))
    args += [f"{name}={value}" for name, value in valued if value is not None]
    args += list(options["pytest_args"])
    # The config travels as an object: no second check of the options, and
    # the token is never on a command line nor in the environment.
    # Hypothesis keeps its example database under the working directory by
    # default: a CLI run must not leave `.hypothesis/` in the caller's project.
    set_hypothesis_home_dir(hypothesis_home())
    code = int(pytest.main(args, plugins=[ContractRun(config)]))
    # 0: every clause held; 1: a clause failed; anything else is a run problem.
    return code if code in (0, 1) else 2


@main.command()
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Runs in parallel.  [default: twice the CPU count]",
)
@click.option(
    "--mode",
    "modes",
    type=click.Choice(["in-process", "http"]),
    multiple=True,
    help="Run the suite in-process, over HTTP, or (the default) both.",
)
@click.option(
    "--mutant",
    "names",
    multiple=True,
    help="Only this mutant (repeat for several); the faithful mock always runs.",
)
def selftest(
    workers: int | None, modes: tuple[str, ...], names: tuple[str, ...]
) -> None:
    """Run the suite against every deliberately broken mock: all must be caught.

    Each runs in-process and over HTTP (a server process per mutant). Also runs
    the faithful mock and the equivalent mutants (which differ only where the
    guide is silent): those must pass. Prints a table and `killed K of N
    (in-process K1, over HTTP K2)`; exits 0 only when every result is as
    expected.
    """
    from contracts.selftest import IN_PROCESS, MODES, OVER_HTTP, cases, run_all, table

    chosen = cases()
    unknown = set(names) - {case.name for case in chosen}
    if unknown:
        raise click.UsageError(f"no mutant named {sorted(unknown)[0]!r}")
    if names:
        chosen = [c for i, c in enumerate(chosen) if i == 0 or c.name in names]
    by_option = {"in-process": IN_PROCESS, "http": OVER_HTTP}
    run_modes = tuple(by_option[mode] for mode in dict.fromkeys(modes)) or MODES
    results = run_all(chosen, workers=workers, modes=run_modes)
    for line in table(results):
        click.echo(line)
    if not all(result.as_expected for result in results):
        raise SystemExit(1)


@main.command(name="clauses")
def list_clauses() -> None:
    """List every clause: id, tier and statement."""
    for item in CLAUSES:
        click.echo(f"{item.id:26} {item.tier.value:10} {item.statement}")


main.add_command(drift)
main.add_command(diff_command)
main.add_command(fuzz)
main.add_command(operations)
main.add_command(calibrate)
