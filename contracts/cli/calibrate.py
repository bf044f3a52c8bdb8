"""`smtp-contract calibrate`: a behaviour profile learned from a live API."""

from __future__ import annotations

from collections.abc import Callable
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


def held_out_option(default: str) -> Callable[[Callable[..., Any]], Any]:
    """`--held-out N`, on `calibrate` and `diff` alike."""
    return click.option(
        "--held-out",
        type=click.IntRange(min=0),
        help="Fresh requests (never calibration's probes) sent to the target and "
        "to the mock, reported as their held-out agreement (--seed draws the "
        f"same ones again); 0 for none.  {default}",
    )


def diff_held_out(
    target: Target, context: Any, ledger: Any, seed: int | None, options: Any
) -> list[str]:
    """`diff`'s held-out lines: 100 requests with --profile, none without (#30)."""
    from contracts.tools.calibrate import held_out_lines
    from contracts.tools.calibrate._mockside import ProfileError

    path, size = options["profile_path"], options["held_out"]
    size = (100 if path else 0) if size is None else size
    try:
        return held_out_lines(target, context, path, size, seed, ledger=ledger)
    except ProfileError as exc:
        raise click.UsageError(str(exc)) from exc


CALIBRATE_MAX_REQUESTS = 250
"""About 110 probes, then the 100 held-out requests (`--held-out`)."""


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
@held_out_option("[default: 100]")
@click.option(
    "--seed",
    type=int,
    help="Seed of the held-out inputs (printed), to draw the same ones again.",
)
def calibrate(**options: Any) -> None:
    """Learn the target's choices where the guide is silent: a behaviour profile.

    Every value carries its evidence (a curl with $SMTP_CONTRACT_TOKEN, and
    what was observed). Then fresh held-out inputs go to the target and to
    the calibrated mock: "held-out agreement: N of M" says how well the
    profile generalizes. Serve it with `smtp-mock serve --profile FILE`. With
    --against, exits 1 when a choice changed since that profile, naming old
    and new evidence (and that profile's held-out agreement); 0 when none
    did; 2 when the target cannot be probed.
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
        click.echo(f"then {_held_out(options)} held-out requests")
        return
    result = _calibrate(config, _held_out(options), options["seed"], old)
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


def _held_out(options: dict[str, Any]) -> int:
    from contracts.tools.calibrate import HELD_OUT

    held_out = options["held_out"]
    return HELD_OUT if held_out is None else int(held_out)


def _calibrate(
    config: ContractConfig, held_out: int, seed: int | None, old: Any
) -> Calibration:
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
        result = learn(prober, held_out=held_out, seed=seed, against=old)
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
    costs = ", ".join(f"{group} {cost}" for group, cost in result.costs.items())
    lines.append(
        f"requests: {result.learning} probing ({costs}), "
        f"{result.requests - result.learning} held-out"
    )
    calibrated = result.agreements.get("calibrated")
    if calibrated is not None:
        lines += [f"{calibrated.line()} (seed {result.seed})", *calibrated.details()]
    elif result.budget_spent:
        lines.append("held-out agreement: not measured (budget spent)")
    if output is not None:
        lines.append(f"profile written to {output}")
    return lines


def _against(old: Any, result: Calibration) -> None:
    from contracts.tools.calibrate import changed_choices

    changes = changed_choices(old, result.profile)
    for change in changes:
        for line in change.lines():
            click.echo(line)
    earlier = result.agreements.get("against")
    if earlier is not None:
        click.echo(f"the earlier profile's {earlier.line()}")
        for line in earlier.details():
            click.echo(line)
    click.echo(
        f"{len(changes)} calibrated choice(s) changed since the profile was written"
    )
    if changes:
        raise SystemExit(1)
