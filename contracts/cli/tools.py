"""`smtp-contract fuzz`, `drift` and `diff`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from contracts.cli._options import (
    TargetProblem,
    junitxml_option,
    live_config,
    live_options,
    live_target,
    open_live_target,
    profile_option,
    strict_secrets_option,
    token_option,
    url_option,
)
from contracts.cli.calibrate import diff_held_out, held_out_option
from contracts.errors import ContractError

if TYPE_CHECKING:
    from contracts.client.ledger import Ledger
    from contracts.client.target import Target
    from contracts.config import ContractConfig
    from contracts.reports.findings import FuzzReport
    from contracts.tools.diff import Row


@click.command()
@url_option("Endpoint whose introspection to compare.")
@token_option
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
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one aligned line per change; json: a document for CI tools.",
)
@junitxml_option
def drift(
    url: str | None,
    token: str | None,
    against: Path | None,
    schema: Path | None,
    output_format: str,
    junitxml: Path | None,
) -> None:
    """Compare the contract's SDL with a target's schema, completely.

    Without --url or --against, the mock's own introspection is compared.
    Every difference is listed; a change to an element the guide documents is
    breaking and names the clause it contradicts. Exits 1 on a breaking change
    in a type the documented mutation uses, 0 otherwise, 2 when the target's
    schema cannot be had.
    """
    from graphql import GraphQLError, build_schema

    from contracts._mock import packaged_schema_path
    from contracts.client.in_process import mock_target
    from contracts.errors import ContractError
    from contracts.tools import drift as drifts

    if url and against:
        raise click.UsageError("give either --url or --against, not both")
    contract_path = schema or packaged_schema_path()
    try:
        contract = build_schema(contract_path.read_text(encoding="utf-8"))
        if against is not None:
            theirs = build_schema(against.read_text(encoding="utf-8"))
        else:
            theirs = drifts.introspect(
                live_target(url, token) if url else mock_target()
            )
    except GraphQLError as exc:
        raise click.UsageError(f"not a valid SDL file: {exc.message}") from exc
    except ContractError as exc:
        raise TargetProblem(str(exc)) from exc
    changes = drifts.compare(contract, theirs)
    if output_format == "json":
        click.echo(drifts.as_json(changes))
    else:
        for line in drifts.table(changes):
            click.echo(line)
    if junitxml is not None:
        junitxml.write_text(drifts.junit_xml(changes), encoding="utf-8")
    if any(change.fails for change in changes):
        raise SystemExit(1)


@click.command(name="diff")
@live_options("The live endpoint to compare with the mock.")
@click.option(
    "--app", help="module:attribute of an ASGI app to compare instead of a URL."
)
@click.option(
    "--profile",
    "profile_path",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Run the mock with this behaviour profile, and compare error wording too.",
)
@held_out_option("[default: 100 with --profile, else 0]")
def diff_command(**options: Any) -> None:
    """Send the same requests to the mock and a target; show what differs.

    Covers the guide's scenarios, duplicates, cross-organization, credential
    failures and every probe. Ids, correlation ids and error wording are
    normalized away (wording is compared with --profile, whose mock should
    answer like the target). Then fresh held-out inputs measure how often the
    mock answers as the target does (verdict, code, fields, message). Exits 1
    when a documented or inferred clause differs, 2 when the run could not
    finish (unreachable, budget, throttling).
    """
    from contracts.client.family import clean_up
    from contracts.client.in_process import in_process_target
    from contracts.client.ledger import Namespace
    from contracts.errors import ConfigError
    from contracts.inputs.steps import Context
    from contracts.tools import diff as diffs

    if not options["url"] and not options["app"]:
        raise click.UsageError("diff needs a target: --url (with --org) or --app")
    config = live_config(options, app=options["app"])
    if options["dry_run"]:
        from contracts.tools.plan import diff_plan_lines

        steps = diffs.planned_steps(config.other_org if config.is_live else None)
        for line in diff_plan_lines(config, steps):
            click.echo(line)
        return
    progress = None
    if config.is_live:
        target, progress = open_live_target(config)
    else:
        try:
            target = in_process_target(config, token=config.token)
        except ConfigError as exc:
            raise click.UsageError(str(exc)) from exc
    context = Context(
        Namespace(config.run_id, config.email_domain), config.org, config.other_org
    )
    ledger = _held_ledger(config, target)
    stopped: diffs.DiffStopped | None = None
    held_out: list[str] = []
    try:
        profile_path = options["profile_path"]
        rows = diffs.compare(
            _mock(target.token, profile_path),
            target,
            context,
            ledger=ledger,
            wording=profile_path is not None,
        )
        held_out = diff_held_out(target, context, ledger, config.seed, options)
    except diffs.DiffStopped as exc:
        rows, stopped = exc.rows, exc
    except ContractError as exc:
        raise TargetProblem(str(exc)) from exc
    finally:
        if config.cleanup:
            clean_up(target, ledger)
        if progress is not None:
            progress.finish()
    _diff_reports(rows, stopped, target, options, held_out)
    # A difference found outranks the throttling that stopped the run after it.
    if any(row.fails for row in rows):
        raise SystemExit(1)
    if stopped is not None:
        raise SystemExit(2)


def _diff_reports(
    rows: list[Row],
    stopped: Exception | None,
    target: Target,
    options: Any,
    held_out: list[str],
) -> None:
    from contracts.reports.formats import traffic_line
    from contracts.tools import diff as diffs

    lines = [*diffs.table(rows), *held_out, traffic_line(target)]
    if stopped is not None:
        lines.append(f"stopped: {stopped}")
    _emit(lines, options["report"])
    if options["junitxml"] is not None:
        properties = {"requests_sent": str(target.sent)}
        properties.update(target.retries.stats.as_properties())
        options["junitxml"].write_text(
            diffs.junit_xml(rows, properties), encoding="utf-8"
        )


def _emit(lines: list[str], report: Path | None) -> None:
    for line in lines:
        click.echo(line)
    if report is not None:
        report.write_text("\n".join(["```", *lines, "```"]) + "\n", encoding="utf-8")


def _mock(token: str | None, profile_path: Path | None) -> Any:
    from contracts.client.in_process import mock_target

    if profile_path is None:
        return mock_target(token=token)
    from contracts.tools.calibrate._mockside import (
        ProfileError,
        load_profile,
        profiled_mock,
    )

    try:
        return profiled_mock(load_profile(profile_path), token=token)
    except ProfileError as exc:
        raise click.UsageError(str(exc)) from exc


@click.command()
@live_options(
    "Live GraphQL endpoint. Without it the packaged mock is fuzzed in-process."
)
@profile_option(
    "Examples per operation and mode: dev 15, ci 100, fuzz 2000 "
    "(on a live target, at most what --max-requests allows)."
)
@strict_secrets_option
@click.option("--mutant", hidden=True, help="Test-only: fuzz a broken mock.")
def fuzz(**options: Any) -> None:
    """Fuzz every operation with Schemathesis, plus the documented mutation.

    Positive and negative documents for each operation, and the guide's own
    operation driven with variables. Checks: no server error (5xx, traceback,
    INTERNAL_SERVER_ERROR), well-formed responses, a code on every error, data
    that conforms to the SDL, and no submitted password echoed. Exits 1 when a
    check fails, 2 when the target cannot be fuzzed (or kept throttling).
    """
    config = live_config(options, strict_secrets=options["strict_secrets"])
    examples = _examples(options["profile"], config)
    if options["dry_run"]:
        from contracts.budgets import FUZZ
        from contracts.client.ledger import ADDRESS_PREFIX
        from contracts.tools.plan import budget_note

        click.echo("smtp-contract fuzz dry run: nothing is sent.")
        click.echo(config.describe())
        budget = config.max_requests or "no"
        per = f"{examples} examples per operation and mode"
        click.echo(
            f"budget: {budget} requests; {per} (positive, negative), then the "
            "documented operation with variables"
        )
        if config.is_live:
            click.echo(budget_note(FUZZ, config.max_requests, examples))
        click.echo(
            f"writes steered to organization {config.org}, addresses "
            f"{ADDRESS_PREFIX}{config.run_id}-<n>@{config.email_domain}"
        )
        return
    report = _fuzz(config, examples, options["mutant"])
    _emit(report.summary(), options["report"])
    if options["junitxml"] is not None:
        options["junitxml"].write_text(report.junit_xml(), encoding="utf-8")
    # A finding outranks the throttling that stopped the run after it.
    if report.failed:
        raise SystemExit(1)
    if report.stopped:
        raise SystemExit(2)


def _examples(profile: str, config: ContractConfig) -> int:
    from hypothesis import settings

    from contracts.budgets import FUZZ
    from contracts.profiles import register_profiles

    register_profiles()
    examples = settings.get_profile(profile).max_examples
    return FUZZ.examples(config.max_requests, examples) if config.is_live else examples


def _mutant_app(name: str, token: str) -> Any:
    # Test-only (`--mutant`): proves fuzz finds what selftest's mutants break.
    from contracts.selftest.mutants import mutant_app

    try:
        return mutant_app(name, token=token)
    except ValueError as exc:  # mock_server's ConfigurationError: no such mutant
        raise click.UsageError(str(exc)) from exc


def _fuzz(config: ContractConfig, examples: int, mutant: str | None) -> FuzzReport:
    import secrets as _secrets
    from urllib.parse import urlsplit

    import schemathesis
    from graphql import build_client_schema, introspection_from_schema

    from contracts._mock import mock_app
    from contracts.checks import Checker
    from contracts.client.api import ContractApi
    from contracts.client.capabilities import discover
    from contracts.client.family import clean_up, hold_for_cleanup
    from contracts.client.in_process import IN_PROCESS_URL, app_target
    from contracts.client.ledger import Ledger, Namespace
    from contracts.client.target import Target
    from contracts.inputs.steering import Steering
    from contracts.reports.results import Results
    from contracts.tools import drift as drifts
    from contracts.tools.fuzz import Fuzzer, FuzzOptions

    progress = None
    if config.is_live:
        target, progress = open_live_target(config)
        # Fetched through the target, so a throttled introspection is retried.
        try:
            st_schema = schemathesis.graphql.from_dict(
                dict(introspection_from_schema(drifts.introspect(target)))
            )
        except ContractError as exc:
            raise TargetProblem(str(exc)) from exc
        except Exception as exc:  # Schemathesis raises several kinds of errors
            raise TargetProblem(
                f"Schemathesis could not load the schema: {exc}"
            ) from exc
    else:
        token = f"fuzz-{_secrets.token_hex(8)}"
        app = mock_app(token=token) if mutant is None else _mutant_app(mutant, token)
        # Schemathesis's in-process client says `Host: testserver`, which the
        # mock refuses (#20); it goes to the mock's local URL instead.
        host = urlsplit(IN_PROCESS_URL).netloc
        st_schema = schemathesis.graphql.from_asgi(
            "/graphql",
            app,
            headers={"Authorization": f"Bearer {token}", "Host": host},
        )
        st_schema.config.update(base_url=IN_PROCESS_URL)
        in_process = app_target(app, token)
        target = Target.configured(
            in_process.client, in_process.url, config, token=token
        )
    schema = build_client_schema(st_schema.raw_schema)  # type: ignore[arg-type]
    options = FuzzOptions(
        examples=examples,
        seed=config.seed,
        live=config.is_live,
        strict_secrets=config.strict_secrets,
    )
    namespace = Namespace(config.run_id, config.email_domain)
    steering = Steering(namespace, config.org)
    ledger = Ledger(config.ledger, config.run_id)
    capabilities = discover(target)
    if config.cleanup:
        hold_for_cleanup(target, ledger, capabilities)
    # The stateful phase judges with the suite's own client and checker.
    api = ContractApi(
        target,
        config,
        capabilities,
        Checker(config, Results(), target.url),
        namespace,
        ledger,
    )
    fuzzer = Fuzzer(st_schema, schema, target, steering, options, ledger, api)
    try:
        return fuzzer.run()
    finally:
        if config.cleanup:
            clean_up(target, ledger, capabilities)
        if progress is not None:
            progress.finish()


def _held_ledger(config: ContractConfig, target: Target) -> Ledger:
    """The run's ledger; with clean-up on, a delete held back per entry."""
    from contracts.client.family import hold_for_cleanup
    from contracts.client.ledger import Ledger

    ledger = Ledger(config.ledger, config.run_id)
    if config.cleanup:
        hold_for_cleanup(target, ledger)
    return ledger
