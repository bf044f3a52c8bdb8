"""`smtp-contract fuzz`, `drift` and `diff`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from contracts.cli._options import (
    TargetProblem,
    dry_run_option,
    email_domain_option,
    junitxml_option,
    ledger_option,
    live_target,
    max_requests_option,
    preflight,
    profile_option,
    rps_option,
    seed_option,
    strict_secrets_option,
    token_option,
    url_option,
)


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
@url_option("The live endpoint to compare with the mock.")
@token_option
@click.option("--org", help="Organization the requests may create senders in.")
@click.option("--other-org", help="Second organization (cross-organization step).")
@email_domain_option
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
    from contracts.client.in_process import in_process_target, mock_target
    from contracts.client.ledger import Namespace
    from contracts.client.target import RateLimiter
    from contracts.config import make_config
    from contracts.errors import ConfigError, ContractError
    from contracts.inputs.steps import Context
    from contracts.tools import diff as diffs

    if not url and not app:
        raise click.UsageError("diff needs a target: --url (with --org) or --app")
    try:
        config = make_config(
            url=url, token=token, org=org, other_org=other_org,
            email_domain=email_domain, app=app,
        )  # fmt: skip
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        target = live_target(url, token) if url else in_process_target(config)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    target.limiter = RateLimiter(rps if url else None)
    mock = mock_target(token=target.token)
    context = Context(
        Namespace(config.run_id, config.email_domain), config.org, config.other_org
    )
    try:
        rows = diffs.compare(mock, target, context)
    except ContractError as exc:
        raise TargetProblem(str(exc)) from exc
    for line in diffs.table(rows):
        click.echo(line)
    if any(row.fails for row in rows):
        raise SystemExit(1)


@click.command()
@url_option("Live GraphQL endpoint. Without it the packaged mock is fuzzed in-process.")
@token_option
@click.option("--org", help="Organization writes are steered to (required with --url).")
@email_domain_option
@max_requests_option
@rps_option
@profile_option(
    "Examples per operation and mode: dev 15, ci 100, fuzz 2000 "
    "(on a live target, --max-requests sets them)."
)
@seed_option
@strict_secrets_option
@junitxml_option
@ledger_option
@dry_run_option
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
            strict_secrets=options["strict_secrets"],
        )  # fmt: skip
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    examples = _examples(options["profile"])
    if options["dry_run"]:
        from contracts.client.ledger import ADDRESS_PREFIX

        click.echo("smtp-contract fuzz dry run: nothing is sent.")
        click.echo(config.describe())
        budget = config.max_requests or "no"
        per = (
            "examples per operation and mode set by the budget"
            if config.is_live
            else f"{examples} examples per operation and mode"
        )
        click.echo(
            f"budget: {budget} requests; {per} (positive, negative), then the "
            "documented operation with variables"
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


def _examples(profile: str) -> int:
    from hypothesis import settings

    from contracts.profiles import register_profiles

    register_profiles()
    # On a live target the Fuzzer derives them from the budget instead.
    return settings.get_profile(profile).max_examples


def _fuzz(config: Any, examples: int, mutant: str | None) -> Any:
    import secrets as _secrets
    from urllib.parse import urlsplit

    import schemathesis
    from graphql import build_client_schema

    from contracts._mock import mock_app
    from contracts.client.in_process import IN_PROCESS_URL, app_target
    from contracts.client.ledger import Ledger, Namespace
    from contracts.inputs.steering import Steering
    from contracts.tools.fuzz import Fuzzer, FuzzOptions

    if config.is_live:
        preflight(config)
        headers = {"Authorization": f"Bearer {config.token}"} if config.token else {}
        try:
            st_schema = schemathesis.graphql.from_url(config.url, headers=headers)
        except Exception as exc:  # Schemathesis raises several kinds of errors
            raise TargetProblem(
                f"Schemathesis could not load the schema: {exc}"
            ) from exc
        target = live_target(config.url, config.token)
    else:
        token = f"fuzz-{_secrets.token_hex(8)}"
        app = mock_app(token=token, mutant=mutant)
        # Schemathesis's in-process client says `Host: testserver`, which the
        # mock refuses (#20); it goes to the mock's local URL instead.
        host = urlsplit(IN_PROCESS_URL).netloc
        st_schema = schemathesis.graphql.from_asgi(
            "/graphql",
            app,
            headers={"Authorization": f"Bearer {token}", "Host": host},
        )
        st_schema.config.update(base_url=IN_PROCESS_URL)
        target = app_target(app, token)
    schema = build_client_schema(st_schema.raw_schema)  # type: ignore[arg-type]
    options = FuzzOptions(
        examples=examples,
        seed=config.seed,
        max_requests=config.max_requests,
        rps=config.rps,
        live=config.is_live,
        strict_secrets=config.strict_secrets,
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
