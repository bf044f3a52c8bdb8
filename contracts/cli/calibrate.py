"""`smtp-contract calibrate`: a behaviour profile learned from a live API."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from contracts.cli._options import (
    TargetProblem,
    dry_run_option,
    email_domain_option,
    ledger_option,
    live_target,
    preflight,
    rps_option,
    token_option,
    url_option,
)

if TYPE_CHECKING:
    from contracts.client.target import Target
    from contracts.config import ContractConfig
    from contracts.tools.calibrate import Calibration
    from contracts.tools.calibrate._probe import Prober

CALIBRATE_MAX_REQUESTS = 150


@click.command()
@url_option("Live GraphQL endpoint to learn from.")
@token_option
@click.option("--org", help="Organization probes may create senders in (required).")
@click.option("--other-org", help="Second organization (kept in the run's context).")
@email_domain_option
@click.option(
    "--max-requests",
    type=click.IntRange(min=1),
    default=CALIBRATE_MAX_REQUESTS,
    show_default=True,
    help="Hard request budget; choices left unpinned are listed as such.",
)
@rps_option
@ledger_option
@click.option(
    "--cleanup", is_flag=True, help="Delete created senders when the target can."
)
@dry_run_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the profile here (.toml, or .json).",
)
@click.option(
    "--against",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="An earlier profile: exit 1 when a calibrated choice changed.",
)
@click.option("--app", help="module:attribute of an ASGI app to learn from instead.")
def calibrate(**options: Any) -> None:
    """Learn the target's choices where the guide is silent: a behaviour profile.

    Every value carries its evidence (a curl with $SMTP_CONTRACT_TOKEN, and
    what was observed). Serve it with `smtp-mock serve --profile FILE`. With
    --against, exits 1 when a choice changed since that profile, naming old
    and new evidence; 0 when none did; 2 when the target cannot be probed.
    """
    from contracts.config import make_config
    from contracts.errors import ConfigError
    from contracts.tools.calibrate import plan

    if not options["output"] and not options["against"]:
        raise click.UsageError("give -o FILE for the profile, or --against FILE")
    if not options["url"] and not options["app"]:
        raise click.UsageError("calibrate needs a target: --url (with --org) or --app")
    try:
        config = make_config(
            url=options["url"], token=options["token"], org=options["org"],
            other_org=options["other_org"], email_domain=options["email_domain"],
            max_requests=options["max_requests"], rps=options["rps"],
            ledger=options["ledger"], cleanup=options["cleanup"], app=options["app"],
        )  # fmt: skip
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    old = _load(options["against"]) if options["against"] else None
    if options["dry_run"]:
        click.echo("smtp-contract calibrate dry run: nothing is sent.")
        click.echo(config.describe())
        click.echo(f"budget: {config.max_requests} requests; choices, in order:")
        for key in plan():
            click.echo(f"  {key}")
        return
    result = _calibrate(config)
    if options["output"] is not None:
        from contracts.tools.calibrate._mockside import dump_profile

        dump_profile(result.profile, options["output"])
    for line in _summary(result, options["output"]):
        click.echo(line)
    if old is not None:
        _against(old, result)


def _load(path: Path) -> Any:
    from contracts.tools.calibrate._mockside import ProfileError, load_profile

    try:
        return load_profile(path)
    except ProfileError as exc:
        raise click.UsageError(str(exc)) from exc


def _calibrate(config: ContractConfig) -> Calibration:
    from contracts.client.in_process import in_process_target
    from contracts.client.ledger import Ledger, Namespace
    from contracts.client.rate_limit import RateLimiter
    from contracts.errors import ContractError
    from contracts.inputs.steps import Context
    from contracts.tools.calibrate import calibrate as learn
    from contracts.tools.calibrate._probe import Prober

    if config.url is not None:
        preflight(config)
        target = live_target(config.url, config.token)
    else:
        target = in_process_target(config, token=config.token)
    target.max_requests = config.max_requests
    target.limiter = RateLimiter(config.rps)
    context = Context(
        Namespace(config.run_id, config.email_domain),
        config.org,
        config.other_org,
    )
    prober = Prober(target, context, Ledger(config.ledger, config.run_id), target.url)
    try:
        result = learn(prober)
        if config.cleanup:
            _cleanup(prober)
    except ContractError as exc:
        raise TargetProblem(str(exc)) from exc
    finally:
        target.close()
    return result


def _cleanup(prober: Prober) -> None:
    from contracts.client.capabilities import discover
    from contracts.client.family import clean_up
    from contracts.reports.leftovers import cleanup_summary

    target: Target = prober.target
    entries = len(prober.ledger.entries)
    # Clean-up is not probing: it gets its own allowance beyond the budget.
    target.max_requests = target.sent + entries + 1
    capabilities = discover(target)
    if capabilities.cleanup is None:
        click.echo("cleanup: the target has no delete operation; nothing deleted")
        return
    clean_up(target, prober.ledger, capabilities)
    click.echo(f"cleanup: {cleanup_summary(prober.ledger, entries)}")


def _summary(result: Calibration, output: Path | None) -> list[str]:
    profile = result.profile
    lines = [
        f"calibrated {len(profile.evidence)} choices with {result.requests} "
        f"requests; {len(profile.not_calibrated)} not calibrated"
        + (" (budget spent)" if result.budget_spent else "")
    ]
    lines += [
        f"  not calibrated: {key}: {reason}"
        for key, reason in profile.not_calibrated.items()
    ]
    if output is not None:
        lines.append(f"profile written to {output}")
    return lines


def _against(old: Any, result: Calibration) -> None:
    from contracts.tools.calibrate import changed_choices

    changes = changed_choices(old, result.profile)
    for change in changes:
        for line in change.lines():
            click.echo(line)
    click.echo(
        f"{len(changes)} calibrated choice(s) changed since the profile was written"
    )
    if changes:
        raise SystemExit(1)
