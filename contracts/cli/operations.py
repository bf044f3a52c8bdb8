"""`smtp-contract operations check` and `replay`: the frontend's own contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

import click

from contracts.cli._options import (
    TargetProblem,
    dry_run_option,
    email_domain_option,
    junitxml_option,
    ledger_option,
    live_target,
    max_requests_option,
    rps_option,
    token_option,
    url_option,
)

if TYPE_CHECKING:
    from graphql import GraphQLSchema

    from contracts.client.capabilities import Capabilities
    from contracts.client.ledger import Ledger
    from contracts.client.target import Target
    from contracts.config import ContractConfig
    from contracts.tools.operations import Finding, OperationVerdict
    from contracts.tools.operations.replay import Replayed, ReplayOptions

_SCHEMA_OPTION = click.option(
    "--schema",
    "schema_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The provider's SDL file.  [default: the packaged schema.graphql]",
)


@click.group()
def operations() -> None:
    """The frontend's operations as a contract (record, check, replay)."""


@operations.command()
@click.argument("sources", nargs=-1, required=True)
@url_option("Check against this endpoint's introspection.")
@token_option
@_SCHEMA_OPTION
@click.option(
    "--apollo",
    is_flag=True,
    help="Remove Apollo Client's client-only parts (@client, @connection) first.",
)
@junitxml_option
def check(
    sources: tuple[str, ...],
    url: str | None,
    token: str | None,
    schema_path: Path | None,
    apollo: bool,
    junitxml: Path | None,
) -> None:
    """Validate operations against the provider's schema.

    SOURCES are files, folders or glob patterns: record files of `smtp-mock
    serve --record-operations` (.jsonl), GraphQL documents (.graphql, .gql)
    and JavaScript/TypeScript (.js, .ts, .tsx, .vue, ...) with gql or graphql
    tagged templates, graphql() calls or /* GraphQL */ templates. Each
    document is validated whole, by every rule of the spec. Exits 1 when one
    would be refused, 0 otherwise (deprecated fields are warnings), 2 when the
    schema or a source cannot be read.
    """
    from contracts.errors import ConfigError
    from contracts.tools.operations import check_operations, read_sources

    _check_report_folder(junitxml)
    schema = _schema(url, token, schema_path)
    try:
        found = read_sources(sources)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    verdicts = check_operations(schema, found, apollo=apollo)
    for verdict in verdicts:
        for line in _verdict_lines(verdict):
            click.echo(line)
    operations = [v for v in verdicts if v.kind == "operation"]
    broken = sum(v.broken for v in operations)
    warned = sum(1 for v in verdicts for f in v.findings if f.severity == "warning")
    others = sum(v.broken for v in verdicts if v.kind != "operation")
    click.echo(
        f"{len(operations)} operations checked: {broken} broken, {warned} warnings"
        + (f"; {others} fragment documents or sources refused" if others else "")
    )
    if junitxml is not None:
        _write_report(junitxml, _check_junit(verdicts))
    if broken or others:
        raise SystemExit(1)


def _check_report_folder(path: Path | None) -> None:
    """A report that could not be written is a usage error, found before work."""
    if path is not None and not path.parent.is_dir():
        raise click.UsageError(
            f"cannot write --junitxml {path}: folder {path.parent} does not exist"
        )


def _write_report(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(
            f"cannot write --junitxml {path}: {exc.strerror}"
        ) from exc


def _finding_lines(finding: Finding) -> list[str]:
    place = f"{finding.position}: " if finding.position is not None else ""
    detail = (
        f" ({finding.position.detail})"
        if finding.position is not None and finding.position.detail
        else ""
    )
    lines = [f"      {place}{finding.severity}: {finding.message}{detail}"]
    if finding.see_also:
        lines.append("        see also " + ", ".join(map(str, finding.see_also)))
    return lines


def _affected(verdict: OperationVerdict) -> str | None:
    """Who uses a failing recorded operation: what a provider asks first."""
    if not verdict.clients:
        return None
    count = len(verdict.clients)
    text = f"used by {count} client{'s' * (count != 1)}: {', '.join(verdict.clients)}"
    if verdict.documents_named > 1:
        text += (
            f"; {verdict.documents_named} distinct recorded documents are "
            f"named {verdict.name}"
        )
    return text


def _verdict_lines(verdict: OperationVerdict) -> list[str]:
    if not verdict.findings:
        return [f"ok    {verdict.name}  {verdict.location}"]
    label = "FAIL " if verdict.broken else "WARN "
    lines = [f"{label} {verdict.name}  {verdict.location}"]
    for finding in verdict.findings:
        lines += _finding_lines(finding)
    affected = _affected(verdict) if verdict.broken else None
    if affected:
        lines.append(f"      {affected}")
    return lines


def _check_junit(verdicts: list[OperationVerdict]) -> str:
    suite = ElementTree.Element(
        "testsuite",
        name="smtp-contract operations check",
        tests=str(len(verdicts)),
        failures=str(sum(v.broken for v in verdicts)),
    )
    for verdict in verdicts:
        case = ElementTree.SubElement(
            suite, "testcase", classname=verdict.source, name=verdict.name
        )
        errors = [f for f in verdict.findings if f.severity == "error"]
        where = errors[0].position if errors and errors[0].position else None
        case.set("file", verdict.source)
        case.set("line", str((where or verdict.position).line))
        if errors:
            text = [line.strip() for f in errors for line in _finding_lines(f)]
            affected = _affected(verdict)
            failure = ElementTree.SubElement(
                case, "failure", message=text[0].removeprefix(f"{where}: ")
            )
            failure.text = "\n".join([*text, affected] if affected else text)
        warnings = [f for f in verdict.findings if f.severity == "warning"]
        if warnings:
            text = [line.strip() for f in warnings for line in _finding_lines(f)]
            ElementTree.SubElement(case, "system-out").text = "\n".join(text)
    return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True)


@operations.command()
@click.argument(
    "record_file", type=click.Path(path_type=Path, exists=True, dir_okay=False)
)
@url_option("The live endpoint to replay against.")
@token_option
@click.option("--org", help="Organization a replayed create may write to.")
@email_domain_option
@max_requests_option
@rps_option
@ledger_option
@dry_run_option
@junitxml_option
@_SCHEMA_OPTION
@click.option(
    "--allow-mutations",
    is_flag=True,
    help="Also replay the documented create (in the run's namespace).",
)
@click.option(
    "--cleanup/--keep",
    default=True,
    show_default=True,
    help="Delete what replayed creates made, from requests held back for it.",
)
@click.option(
    "--allow-leftovers",
    is_flag=True,
    help="Replay creates even where the target cannot delete what they make "
    "(no page documents a sender delete); they are listed at the end.",
)
@click.option(
    "--var",
    "variables",
    multiple=True,
    metavar="NAME=JSON",
    help="A value for a variable of the recorded operations (repeatable).",
)
def replay(record_file: Path, **options: Any) -> None:
    """Send recorded operations to a live API and check every answer.

    Queries are replayed; mutations only with --allow-mutations, and then only
    the documented create, with an address of this run's namespace. Each
    answer must come from a run operation and conform to the schema along its
    selection set. What replayed creates made is deleted by the rules of
    `run` (#26): the deletes are held back from the budget, a target that
    cannot delete them is not written to without --allow-leftovers, and what
    is left is listed. Exits 1 when one fails, 2 when the target cannot be
    tested or something not allowed was left on it.
    """
    from contracts.client.family import clean_up
    from contracts.client.ledger import Ledger, Namespace
    from contracts.client.rate_limit import RateLimiter
    from contracts.config import make_config
    from contracts.errors import ConfigError, ContractError
    from contracts.reports.leftovers import report_leftovers, unallowed_leftovers
    from contracts.tools.operations.replay import (
        ReplayOptions,
        read_records,
        replay as run_replay,
    )

    url = options["url"]
    if not url:
        raise click.UsageError("replay needs --url (or SMTP_CONTRACT_URL)")
    try:
        config = make_config(
            url=url, token=options["token"], org=options["org"],
            email_domain=options["email_domain"],
            max_requests=options["max_requests"], rps=options["rps"],
            ledger=options["ledger"], cleanup=options["cleanup"],
            allow_leftovers=options["allow_leftovers"],
        )  # fmt: skip
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    _check_report_folder(options["junitxml"])
    records = read_records(record_file)
    replay_options = ReplayOptions(
        org=config.org,
        namespace=Namespace(config.run_id, config.email_domain),
        password=f"pw{config.run_id}",
        overrides=_overrides(options["variables"]),
        allow_mutations=options["allow_mutations"],
    )
    if options["dry_run"]:
        click.echo(f"would replay {len(records)} recorded operations to {url}")
        for record in records:
            click.echo(f"  {record.get('operationType')} {record.get('operationName')}")
        return
    target = live_target(url, config.token)
    target.max_requests = config.max_requests
    target.limiter = RateLimiter(config.rps)
    ledger = Ledger(config.ledger, config.run_id)
    try:
        cleaning = _prepare_cleanup(target, ledger, config, replay_options)
        schema = _schema(url, config.token, options["schema_path"])
        results = run_replay(records, target, schema, replay_options, ledger)
        if cleaning is not None:
            clean_up(target, ledger, cleaning)
    except ContractError as exc:
        raise TargetProblem(str(exc)) from exc
    finally:
        target.close()
    _print_replayed(results, target.sent)
    if replay_options.allow_mutations:
        for line in report_leftovers(ledger, config):
            click.echo(line)
    if options["junitxml"] is not None:
        _write_report(options["junitxml"], _replay_junit(results))
    if any(r.outcome == "failed" for r in results):
        raise SystemExit(1)
    if unallowed_leftovers(ledger, config):
        raise SystemExit(2)


def _prepare_cleanup(
    target: Target, ledger: Ledger, config: ContractConfig, options: ReplayOptions
) -> Capabilities | None:
    """The target's capabilities when replayed creates will be cleaned up.

    Raises:
        TargetProblem: the target cannot delete what they would make and
            leftovers are not allowed.
    """
    from contracts.client.capabilities import discover
    from contracts.client.family import hold_for_cleanup
    from contracts.reports.leftovers import start_refusal

    if not (options.allow_mutations and config.cleanup):
        return None
    capabilities = discover(target)
    refusal = start_refusal(capabilities, config)
    if refusal is not None:
        raise TargetProblem(refusal)
    hold_for_cleanup(target, ledger, capabilities)
    return capabilities


def _overrides(pairs: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{pair!r} is not NAME=JSON", param_hint="--var")
        try:
            values[name] = json.loads(text)
        except ValueError:
            values[name] = text  # a bare word is a string
    return values


def _print_replayed(results: list[Replayed], sent: int) -> None:
    for result in results:
        click.echo(f"{result.outcome:<8} {result.name}  {result.detail}".rstrip())
        if result.outcome == "failed" and result.clients:
            click.echo(f"         used by: {', '.join(result.clients)}")
        if result.outcome == "failed" and result.curl:
            click.echo(f"         reproduce: {result.curl}")
    counts = {k: sum(r.outcome == k for r in results) for k in ("passed", "failed")}
    skipped = len(results) - counts["passed"] - counts["failed"]
    click.echo(
        f"{counts['passed']} passed, {counts['failed']} failed, {skipped} skipped "
        f"({sent} requests)"
    )


def _replay_junit(results: list[Replayed]) -> str:
    suite = ElementTree.Element(
        "testsuite",
        name="smtp-contract operations replay",
        tests=str(len(results)),
        failures=str(sum(r.outcome == "failed" for r in results)),
    )
    for result in results:
        case = ElementTree.SubElement(suite, "testcase", name=result.name)
        if result.outcome == "failed":
            used = f"used by: {', '.join(result.clients)}" if result.clients else ""
            ElementTree.SubElement(
                case, "failure", message=result.detail
            ).text = "\n".join(t for t in (used, result.curl) if t)
        elif result.outcome == "skipped":
            ElementTree.SubElement(case, "skipped", message=result.detail)
    return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True)


def _schema(url: str | None, token: str | None, path: Path | None) -> GraphQLSchema:
    """The provider's schema, or exit 2 when it cannot be had."""
    from graphql import GraphQLError, build_schema

    from contracts._mock import packaged_schema_path
    from contracts.errors import ContractError
    from contracts.tools import drift

    if url and path:
        raise click.UsageError("give either --url or --schema, not both")
    if url:
        target = live_target(url, token)
        try:
            return drift.introspect(target)
        except ContractError as exc:
            raise TargetProblem(str(exc)) from exc
        finally:
            target.close()
    source = path or packaged_schema_path()
    try:
        return build_schema(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, GraphQLError, TypeError) as exc:
        raise TargetProblem(f"cannot read the schema {source}: {exc}") from exc
