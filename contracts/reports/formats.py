"""The clause table: in the terminal after a run, as Markdown for CI, as JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from contracts.clauses import CLAUSES, Tier
from contracts.documented import MUTATION_FIELD

if TYPE_CHECKING:
    from collections.abc import Sequence

    from contracts.clauses import Clause
    from contracts.client.target import Target
    from contracts.config import ContractConfig
    from contracts.reports.results import ClauseRecord, Results


def clause_table(results: Results) -> list[str]:
    """Aligned plain-text lines: clause, tier, result, checks, notes."""
    rows = [("clause", "tier", "result", "checks", "notes")]
    for item in CLAUSES:
        record = results.records[item.id]
        rows.append(
            (
                item.id,
                item.tier.value,
                results.status(item.id),
                str(record.checks),
                _notes(item.tier, record),
            )
        )
    widths = [max(len(row[index]) for row in rows) for index in range(4)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[4]
        for row in rows
    ]


def traffic_line(target: Target) -> str:
    """Requests sent (of the budget), and what throttling cost the run."""
    budget = f" of a budget of {target.max_requests}" if target.max_requests else ""
    return f"requests sent: {target.sent}{budget}; {target.retries.stats.summary()}"


def warning_lines(results: Results) -> list[str]:
    """One line per security warning of the run: what, how often, what to do."""
    return [
        f"security warning: {clause_id}: {titles[0]} ({len(titles)} "
        f"response{'s' if len(titles) > 1 else ''}); mask the message (docs: "
        "guides/server-stacks.md), or pass "
        "--strict-secrets to fail on it"
        for clause_id, titles in results.warnings().items()
    ]


def markdown_report(
    results: Results, config: ContractConfig, *, notes: Sequence[str] = ()
) -> str:
    """A Markdown report of the run: target, then one table row per clause.

    Args:
        results: What the run found.
        config: The run's options.
        notes: Lines about the run as a whole: its `traffic_line`, why it stopped.
    """
    lines = [
        f"# Contract report: {MUTATION_FIELD}",
        "",
        f"- {config.describe()}",
        f"- run id: `{config.run_id}`; enforced tiers: "
        f"{'documented' if config.tier is Tier.DOCUMENTED else 'documented, inferred'}",
        *(f"- {note}" for note in notes),
        "",
        "| clause | tier | result | checks | statement | notes |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for item in CLAUSES:
        record = results.records[item.id]
        cells = (
            f"`{item.id}`",
            item.tier.value,
            results.status(item.id),
            str(record.checks),
            item.statement,
            _notes(item.tier, record),
        )
        lines.append("| " + " | ".join(_escape(cell) for cell in cells) + " |")
    warnings = warning_lines(results)
    if warnings:
        lines += ["", "## Security warnings", ""]
        lines += [f"- {line.removeprefix('security warning: ')}" for line in warnings]
    return "\n".join(lines) + "\n"


JSON_REPORT_VERSION = 1
"""Bumped when a key of `json_report` changes meaning or goes away."""


def json_report(
    results: Results,
    config: ContractConfig,
    *,
    exit_status: int,
    target: Target | None = None,
    stopped: str | None = None,
    left: list[dict[str, Any]] | None = None,
) -> str:
    """The run's verdicts as JSON, for programs (CI dashboards, the selftest).

    One object: `version`, `target` (described without the token), `run_id`,
    `exit_status` (0 held, 1 a clause failed, 2 stopped or misused), `failed`
    (clause ids whose status is FAILED), `violated` (the clauses a failure
    named; a test that crashed fails its clauses without naming one),
    `stopped` (why, or null), `traffic` (null in-process), `left_on_target`
    (what a live run left, each with `reason` and `allowed`; null
    in-process), and `clauses`: per
    clause its `tier`, `status` (as in the table), `checks`, `violations`,
    test `outcomes`, `observations` and `notes`.

    Args:
        results: What the run found.
        config: The run's options.
        exit_status: pytest's exit status for the run.
        target: The target, when a test reached it (for its traffic).
        stopped: Why the run stopped early, if it did.
        left: What a live run left on the target (`reports.leftovers`).
    """
    traffic: dict[str, Any] | None = None
    if target is not None:
        traffic = {"requests_sent": target.sent, "budget": target.max_requests}
        traffic.update(target.retries.stats.as_figures())
    report = {
        "version": JSON_REPORT_VERSION,
        "target": config.describe(),
        "run_id": config.run_id,
        "exit_status": exit_status,
        "failed": [str(clause_id) for clause_id in results.failed()],
        "violated": [
            str(item.id) for item in CLAUSES if results.records[item.id].violations
        ],
        "stopped": stopped,
        "traffic": traffic,
        "left_on_target": left,
        "clauses": [_clause_verdict(item, results) for item in CLAUSES],
    }
    return json.dumps(report, indent=2) + "\n"


def _clause_verdict(item: Clause, results: Results) -> dict[str, Any]:
    record = results.records[item.id]
    return {
        "id": str(item.id),
        "tier": item.tier.value,
        "status": results.status(item.id),
        "checks": record.checks,
        "violations": record.violations,
        "outcomes": dict(record.outcomes),
        "observations": dict(record.observations),
        "notes": _notes(item.tier, record),
    }


def _notes(tier: Tier, record: ClauseRecord) -> str:
    observed = [
        f"{observation} (x{count})" if count > 1 else observation
        for observation, count in sorted(record.observations.items())
    ]
    if tier is Tier.PROBE:
        return "; ".join(observed)
    if record.unenforced:
        return record.unenforced[0]
    return "; ".join([*sorted(record.skip_reasons), *observed])


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")
