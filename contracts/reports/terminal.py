"""What a contract run prints after its tests, and the report it writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contracts.reports.formats import (
    clause_table,
    json_report,
    markdown_report,
    traffic_line,
    warning_lines,
)

if TYPE_CHECKING:
    from contracts.client.api import ContractApi
    from contracts.config import ContractConfig
    from contracts.reports.results import Results


def write_summary(
    reporter: Any,
    config: ContractConfig,
    results: Results,
    api: ContractApi | None,
    stopped: str | None = None,
    *,
    exit_status: int = 0,
) -> None:
    """The clause table, warnings, the reports, traffic, what is left.

    Args:
        reporter: pytest's terminal reporter (`section`, `write_line`).
        config: The run's options.
        results: What the run recorded.
        api: The suite's client, when a test used it.
        stopped: Why the run stopped early (throttling, budget), if it did.
        exit_status: pytest's exit status, for the JSON report.
    """
    if config.json_report is not None:
        # Written even when no test ran: a program reading it must learn why.
        from contracts.reports.leftovers import left_on_target

        target = None if api is None else api.target
        left = left_on_target(api.ledger, config) if api and config.is_live else None
        config.json_report.write_text(
            json_report(
                results,
                config,
                exit_status=exit_status,
                target=target,
                stopped=stopped,
                left=left,
            ),
            encoding="utf-8",
        )
    ran = any(record.outcomes for record in results.records.values())
    if not ran and stopped is None:
        return
    traffic = None if api is None else traffic_line(api.target)
    notes = [note for note in (traffic, stopped and f"stopped: {stopped}") if note]
    reporter.section("contract clauses")
    for line in clause_table(results):
        reporter.write_line(line)
    for line in warning_lines(results):
        reporter.write_line(line, yellow=True, bold=True)
    if config.report is not None:
        config.report.write_text(
            markdown_report(results, config, notes=notes), encoding="utf-8"
        )
        reporter.write_line(f"report written to {config.report}")
    if stopped is not None:
        reporter.write_line(f"stopped: {stopped}")
    if api is None or traffic is None:
        return
    reporter.write_line(traffic)
    if config.is_live:
        _report_leftovers(reporter, api)


def _report_leftovers(reporter: Any, api: ContractApi) -> None:
    from contracts.reports.leftovers import report_leftovers

    for line in report_leftovers(api.ledger, api.config):
        reporter.write_line(line)
