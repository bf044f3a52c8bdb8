"""`smtp-contract`: the command CI pipelines and API owners run."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from contracts.clauses import CLAUSES
from contracts.profiles import CI, PROFILES

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
VERSION = "0.1.0"


class TargetProblem(click.ClickException):
    """The target cannot be tested (unreachable, token rejected): exit 2."""

    exit_code = 2


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(VERSION, prog_name="smtp-contract")
def main() -> None:
    """Contract suite for the createSmtpCustomEmailWithConfiguration API."""


@main.command(context_settings={"ignore_unknown_options": True})
@click.option(
    "--url",
    envvar="SMTP_CONTRACT_URL",
    show_envvar=True,
    help="Live GraphQL endpoint. Without it the packaged mock is tested in-process.",
)
@click.option(
    "--token",
    envvar="SMTP_CONTRACT_TOKEN",
    show_envvar=True,
    help="Bearer token; prefer the environment variable.",
)
@click.option(
    "--org", help="Organization the suite may create senders in (required with --url)."
)
@click.option(
    "--other-org",
    help="Second organization, for the cross-organization "
    "clause (not run on a live target without it).",
)
@click.option(
    "--email-domain", help="Domain of generated addresses.  [default: example.com]"
)
@click.option(
    "--max-requests",
    type=click.IntRange(min=1),
    help="Hard request budget.  [default: 300 on a live target]",
)
@click.option(
    "--rps",
    type=click.FloatRange(min=0, min_open=True),
    help="Client-side requests per second.  [default: 5 on a live target]",
)
@click.option(
    "--profile",
    type=click.Choice(PROFILES),
    default=CI,
    show_default=True,
    help="Hypothesis profile: dev (fast), ci (bounded, derandomized), "
    "fuzz (thousands of examples).",
)
@click.option("--seed", type=int, help="Hypothesis seed, to rerun a failure.")
@click.option(
    "--tier",
    type=click.Choice(["documented", "inferred"]),
    default="inferred",
    show_default=True,
    help="Fail on documented clauses only, or on inferred ones too.",
)
@click.option(
    "--junitxml", type=click.Path(path_type=Path), help="Write a JUnit XML report here."
)
@click.option(
    "--report",
    type=click.Path(path_type=Path),
    help="Write a Markdown clause table here.",
)
@click.option(
    "--ledger",
    type=click.Path(path_type=Path),
    help="Append every created object here (JSON lines).",
)
@click.option(
    "--cleanup",
    is_flag=True,
    help="Delete created objects at the end when the target can.",
)
@click.option(
    "--dry-run", is_flag=True, help="Print the planned requests and send none."
)
@click.option(
    "--schema",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="SDL file for the in-process mock.",
)
@click.option("--app", help="module:attribute of an ASGI app to test in-process.")
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
def run(**options: Any) -> None:
    """Check a target against every clause; exit 0 if all hold, 1 if one fails.

    Exit 2 means the run itself could not go ahead (bad option, unreachable
    endpoint, rejected token). Extra arguments after `--` go to pytest.
    """
    from contracts.config import make_config
    from contracts.errors import ConfigError

    try:
        config = make_config(
            url=options["url"],
            token=options["token"],
            org=options["org"],
            other_org=options["other_org"],
            email_domain=options["email_domain"],
            max_requests=options["max_requests"],
            rps=options["rps"],
            tier=options["tier"],
            schema=options["schema"],
            app=options["app"],
            ledger=options["ledger"],
            report=options["report"],
            cleanup=options["cleanup"],
            seed=options["seed"],
        )
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    if options["dry_run"]:
        from contracts.plan import plan_lines

        for line in plan_lines(config, options["profile"]):
            click.echo(line)
        return
    if config.is_live:
        _preflight(config)
    raise SystemExit(_run_pytest(config, options))


def _preflight(config: Any) -> None:
    import httpx

    from contracts.capabilities import discover
    from contracts.errors import ContractError
    from contracts.target import Target

    assert config.url is not None
    with httpx.Client(timeout=config.timeout) as client:
        try:
            discover(Target(client, config.url, token=config.token))
        except ContractError as exc:
            raise TargetProblem(str(exc)) from exc


def _run_pytest(config: Any, options: dict[str, Any]) -> int:
    import pytest

    from contracts.pytest_plugin import (
        APP_OPTION,
        CLEANUP_OPTION,
        EMAIL_DOMAIN_OPTION,
        LEDGER_OPTION,
        MAX_REQUESTS_OPTION,
        ORG_OPTION,
        OTHER_ORG_OPTION,
        REPORT_OPTION,
        RPS_OPTION,
        SCHEMA_OPTION,
        TIER_OPTION,
        TOKEN_ENV,
        URL_OPTION,
    )

    args = [
        "--pyargs",
        "contracts.suite",
        "-p",
        "no:cacheprovider",
        # The caller's own pytest configuration must not change the suite.
        "-c",
        os.devnull,
        "--rootdir",
        os.getcwd(),
        f"--hypothesis-profile={options['profile']}",
        # This process imported the package before pytest started; harmless.
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
        f"{TIER_OPTION}={config.tier.value}",
    ]
    valued = (
        (URL_OPTION, config.url),
        (ORG_OPTION, options["org"]),
        (OTHER_ORG_OPTION, config.other_org if config.is_live else None),
        (EMAIL_DOMAIN_OPTION, options["email_domain"]),
        (MAX_REQUESTS_OPTION, options["max_requests"]),
        (RPS_OPTION, options["rps"]),
        (SCHEMA_OPTION, config.schema),
        (APP_OPTION, config.app),
        (REPORT_OPTION, config.report),
        (LEDGER_OPTION, config.ledger),
        ("--hypothesis-seed", options["seed"]),
        ("--junitxml", options["junitxml"]),
    )
    args += [f"{name}={value}" for name, value in valued if value is not None]
    if config.cleanup:
        args.append(CLEANUP_OPTION)
    args += list(options["pytest_args"])
    previous = os.environ.get(TOKEN_ENV)
    # The token travels by environment, never on a command line.
    if config.token:
        os.environ[TOKEN_ENV] = config.token
    try:
        code = int(pytest.main(args))
    finally:
        if previous is None:
            os.environ.pop(TOKEN_ENV, None)
        else:
            os.environ[TOKEN_ENV] = previous
    # 0: every clause held; 1: a clause failed; anything else is a run problem.
    return code if code in (0, 1) else 2


@main.command()
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Mutants run in parallel.  [default: CPU count]",
)
def selftest(workers: int | None) -> None:
    """Run the suite against every deliberately broken mock: all must be caught.

    Also runs it against the faithful mock and the equivalent mutants (which
    differ only where the guide is silent): those must pass. Prints a table
    and `killed K of N`; exits 0 only when every result is as expected.
    """
    from contracts.pytest_plugin import mutant_catalogue
    from contracts.selftest import FAITHFUL, MutantCase, run_all, table

    cases = [MutantCase(FAITHFUL, "none: follows the guide")]
    cases += [
        MutantCase(name, deviation, equivalent)
        for name, deviation, equivalent in mutant_catalogue()
    ]
    results = run_all(cases, workers=workers)
    for line in table(results):
        click.echo(line)
    if not all(result.as_expected for result in results):
        raise SystemExit(1)


@main.command(name="clauses")
def list_clauses() -> None:
    """List every clause: id, tier and statement."""
    for item in CLAUSES:
        click.echo(f"{item.id:26} {item.tier.value:10} {item.statement}")


@main.command()
@click.option(
    "--url",
    envvar="SMTP_CONTRACT_URL",
    show_envvar=True,
    help="Endpoint whose introspection to compare.",
)
@click.option(
    "--token",
    envvar="SMTP_CONTRACT_TOKEN",
    show_envvar=True,
    help="Bearer token; prefer the environment variable.",
)
@click.option(
    "--against",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="An SDL file to compare instead of an endpoint.",
)
@click.option(
    "--schema",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="The contract's SDL.  [default: the packaged schema.graphql]",
)
@click.option(
    "--junitxml", type=click.Path(path_type=Path), help="Write a JUnit XML report here."
)
def drift(
    url: str | None,
    token: str | None,
    against: Path | None,
    schema: Path | None,
    junitxml: Path | None,
) -> None:
    """Compare the contract's SDL with a target's schema.

    Without --url or --against, the mock's own introspection is compared.
    Exits 1 on a breaking change in a type the documented mutation uses, 0
    otherwise, 2 when the target's schema cannot be had.
    """
    from graphql import GraphQLError, build_schema

    from contracts import drift as drifts
    from contracts.errors import ContractError
    from contracts.pytest_plugin import mock_target, packaged_schema_path

    if url and against:
        raise click.UsageError("give either --url or --against, not both")
    contract_path = schema or packaged_schema_path()
    try:
        contract = build_schema(contract_path.read_text(encoding="utf-8"))
        if against is not None:
            theirs = build_schema(against.read_text(encoding="utf-8"))
        else:
            theirs = drifts.introspect(
                _live_target(url, token) if url else mock_target()
            )
    except GraphQLError as exc:
        raise click.UsageError(f"not a valid SDL file: {exc.message}") from exc
    except ContractError as exc:
        raise TargetProblem(str(exc)) from exc
    changes = drifts.compare(contract, theirs)
    for line in drifts.table(changes):
        click.echo(line)
    if junitxml is not None:
        junitxml.write_text(drifts.junit_xml(changes), encoding="utf-8")
    if any(change.fails for change in changes):
        raise SystemExit(1)


def _live_target(url: str, token: str | None) -> Any:
    import httpx

    from contracts.config import make_config
    from contracts.errors import ConfigError
    from contracts.target import Target

    try:
        # Checks the URL the same way `run` does; no organization is written to.
        make_config(url=url, org="-")
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    return Target(httpx.Client(timeout=10.0), url, token=token)


@main.command(name="diff")
@click.option(
    "--url",
    envvar="SMTP_CONTRACT_URL",
    show_envvar=True,
    help="The live endpoint to compare with the mock.",
)
@click.option(
    "--token",
    envvar="SMTP_CONTRACT_TOKEN",
    show_envvar=True,
    help="Bearer token; prefer the environment variable.",
)
@click.option("--org", help="Organization the requests may create senders in.")
@click.option("--other-org", help="Second organization (cross-organization step).")
@click.option("--email-domain", help="Domain of generated addresses.")
@click.option(
    "--rps",
    type=click.FloatRange(min=0, min_open=True),
    default=5.0,
    show_default=True,
    help="Requests per second sent to the target.",
)
@click.option(
    "--app", help="module:attribute of an ASGI app to compare instead of a URL."
)
def diff_command(
    url: str | None,
    token: str | None,
    org: str | None,
    other_org: str | None,
    email_domain: str | None,
    rps: float,
    app: str | None,
) -> None:
    """Send the same requests to the mock and a target; show what differs.

    Covers the guide's scenarios, duplicates, cross-organization, credential
    failures and every probe. Ids, correlation ids and error wording are
    normalized away. Exits 1 when a documented or inferred clause differs.
    """
    from contracts import diff as diffs
    from contracts.config import make_config
    from contracts.errors import ConfigError, ContractError
    from contracts.ledger import Namespace
    from contracts.pytest_plugin import in_process_target, mock_target
    from contracts.requests import Context
    from contracts.target import RateLimiter

    if not url and not app:
        raise click.UsageError("diff needs a target: --url (with --org) or --app")
    try:
        config = make_config(
            url=url, token=token, org=org, other_org=other_org,
            email_domain=email_domain, app=app,
        )  # fmt: skip
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    target = _live_target(url, token) if url else in_process_target(config)
    target.limiter = RateLimiter(rps if url else None)
    mock = mock_target(token=target.token)
    context = Context(
        Namespace(config.run_id, config.email_domain),
        config.org,
        config.other_org,
        f"pw{config.run_id}",
    )
    try:
        rows = diffs.compare(mock, target, context)
    except ContractError as exc:
        raise TargetProblem(str(exc)) from exc
    for line in diffs.table(rows):
        click.echo(line)
    if any(row.fails for row in rows):
        raise SystemExit(1)


@main.command()
@click.option(
    "--url",
    envvar="SMTP_CONTRACT_URL",
    show_envvar=True,
    help="Live GraphQL endpoint. Without it the packaged mock is fuzzed in-process.",
)
@click.option(
    "--token",
    envvar="SMTP_CONTRACT_TOKEN",
    show_envvar=True,
    help="Bearer token; prefer the environment variable.",
)
@click.option("--org", help="Organization writes are steered to (required with --url).")
@click.option("--email-domain", help="Domain of generated addresses.")
@click.option(
    "--max-requests",
    type=click.IntRange(min=1),
    help="Hard request budget.  [default: 300 on a live target]",
)
@click.option(
    "--rps",
    type=click.FloatRange(min=0, min_open=True),
    help="Client-side requests per second.  [default: 5 on a live target]",
)
@click.option(
    "--profile",
    type=click.Choice(PROFILES),
    default=CI,
    show_default=True,
    help="Examples per operation and mode: dev 15, ci 100, fuzz 2000 "
    "(at most 5 on a live target).",
)
@click.option("--seed", type=int, help="Hypothesis seed, for reruns.")
@click.option(
    "--junitxml", type=click.Path(path_type=Path), help="Write a JUnit XML report here."
)
@click.option(
    "--ledger",
    type=click.Path(path_type=Path),
    help="Append every created object here (JSON lines).",
)
@click.option("--dry-run", is_flag=True, help="Print the plan and send nothing.")
@click.option("--mutant", hidden=True, help="Test-only: fuzz a broken mock.")
def fuzz(**options: Any) -> None:
    """Fuzz every operation with Schemathesis, plus the documented mutation.

    Positive and negative documents for each operation, and the guide's own
    operation driven with variables. Checks: no server error (5xx, traceback,
    INTERNAL_SERVER_ERROR), well-formed responses, a code on every error, data
    that conforms to the SDL, and no submitted password echoed. Exits 1 when a
    check fails, 2 when the target cannot be fuzzed.
    """
    from contracts.config import make_config
    from contracts.errors import ConfigError

    try:
        config = make_config(
            url=options["url"], token=options["token"], org=options["org"],
            email_domain=options["email_domain"], max_requests=options["max_requests"],
            rps=options["rps"], ledger=options["ledger"], seed=options["seed"],
        )  # fmt: skip
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    examples = _examples(options["profile"], live=config.is_live)
    if options["dry_run"]:
        from contracts.ledger import ADDRESS_PREFIX

        click.echo("smtp-contract fuzz dry run: nothing is sent.")
        click.echo(config.describe())
        budget = config.max_requests or "no"
        click.echo(
            f"budget: {budget} requests; {examples} examples per operation "
            "and mode (positive, negative), then the documented operation "
            "with variables"
        )
        click.echo(
            f"writes steered to organization {config.org}, addresses "
            f"{ADDRESS_PREFIX}{config.run_id}-<n>@{config.email_domain}"
        )
        return
    report = _fuzz(config, examples, options["mutant"])
    for line in report.summary():
        click.echo(line)
    if options["junitxml"] is not None:
        options["junitxml"].write_text(report.junit_xml(), encoding="utf-8")
    if report.failed:
        raise SystemExit(1)


def _examples(profile: str, *, live: bool) -> int:
    from hypothesis import settings

    from contracts.profiles import register_profiles
    from contracts.pytest_plugin import LIVE_MAX_EXAMPLES

    register_profiles()
    examples = settings.get_profile(profile).max_examples
    return min(examples, LIVE_MAX_EXAMPLES) if live else examples


def _fuzz(config: Any, examples: int, mutant: str | None) -> Any:
    import secrets as _secrets

    import schemathesis
    from graphql import build_client_schema

    from contracts.fuzz import Fuzzer, FuzzOptions, Steering
    from contracts.ledger import Ledger, Namespace
    from contracts.pytest_plugin import app_target, mock_app

    if config.is_live:
        _preflight(config)
        headers = {"Authorization": f"Bearer {config.token}"} if config.token else {}
        try:
            st_schema = schemathesis.graphql.from_url(config.url, headers=headers)
        except Exception as exc:  # Schemathesis raises several kinds of errors
            raise TargetProblem(
                f"Schemathesis could not load the schema: {exc}"
            ) from exc
        target = _live_target(config.url, config.token)
    else:
        token = f"fuzz-{_secrets.token_hex(8)}"
        app = mock_app(token=token, mutant=mutant)
        st_schema = schemathesis.graphql.from_asgi(
            "/graphql", app, headers={"Authorization": f"Bearer {token}"}
        )
        target = app_target(app, token)
    schema = build_client_schema(st_schema.raw_schema)  # type: ignore[arg-type]
    options = FuzzOptions(
        examples=examples,
        seed=config.seed,
        max_requests=config.max_requests,
        rps=config.rps,
        live=config.is_live,
    )
    steering = Steering(Namespace(config.run_id, config.email_domain), config.org)
    fuzzer = Fuzzer(
        st_schema,
        schema,
        target,
        steering,
        options,
        Ledger(config.ledger, config.run_id),
    )
    return fuzzer.run()
