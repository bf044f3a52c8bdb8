"""What a run found: medians per server, ratios between them, and Markdown."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.processes import Server


def summary(server: Server, idle_rss: float | None) -> dict[str, Any]:
    if server.skipped or not server.rounds:
        return {"name": server.name, "skipped": server.skipped or "skipped: no data"}

    def median(key: str) -> float:
        return statistics.median(r.get(key, 0.0) for r in server.rounds)

    return {
        "name": server.name,
        "rps": median("rps"),
        "p50_ms": median("p50_ms"),
        "p99_ms": median("p99_ms"),
        "errors": sum(r.get("errors", 0.0) for r in server.rounds),
        "cold_start_s": server.cold_start_s,
        "rss_mb_idle": idle_rss,
        "rounds": server.rounds,
    }


TARGETS = (
    # (ratio, at least, at most): issue #31's goals, measured in one run.
    ("mock/raw-starlette", 0.75, None),
    ("mock-quiet/raw-starlette", 0.85, None),
    ("p99 mock/raw-starlette", None, 1.5),
    ("mock/graphql-faker", 3.0, None),
    ("mock/graphql-yoga", 3.0, None),
)


def ratios(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    by_name = {row["name"]: row for row in rows}

    def over(name: str) -> float | None:
        return _ratio(by_name, "mock", name)

    return {
        "mock/raw-starlette": over("raw-starlette"),
        "mock-quiet/raw-starlette": _ratio(by_name, "mock-quiet", "raw-starlette"),
        "p99 mock/raw-starlette": _ratio(by_name, "mock", "raw-starlette", "p99_ms"),
        "p99 mock-quiet/raw-starlette": _ratio(
            by_name, "mock-quiet", "raw-starlette", "p99_ms"
        ),
        "mock/graphql-yoga": over("graphql-yoga"),
        "mock/graphql-faker": over("graphql-faker"),
        "mock/ariadne-default": over("ariadne-default"),
        "mock/mock-graphql-core": over("mock-graphql-core"),
    }


def _ratio(
    by_name: dict[str, dict[str, Any]], top: str, bottom: str, key: str = "rps"
) -> float | None:
    above = by_name.get(top, {}).get(key)
    below = by_name.get(bottom, {}).get(key)
    return round(above / below, 2) if above and below else None


def targets(found: dict[str, float | None]) -> list[str]:
    """Each goal of issue #31 with the run's figure: met, missed or not measured."""
    lines = []
    for name, least, most in TARGETS:
        value = found.get(name)
        goal = f">= {least:g}" if least is not None else f"<= {most:g}"
        if value is None:
            verdict = "not measured"
        elif (least is None or value >= least) and (most is None or value <= most):
            verdict = "met"
        else:
            verdict = "MISSED"
        shown = "-" if value is None else f"{value:.2f}"
        lines.append(f"{name} {shown} ({goal}: {verdict})")
    return lines


def to_markdown(report: dict[str, Any]) -> str:
    def cell(value: Any, digits: int = 1) -> str:
        return "-" if value is None else f"{value:,.{digits}f}"

    lines = [
        f"Load: {report['load_generator']}, {report['concurrency']} connections, "
        f"{report['rounds']} alternating rounds of {report['seconds_per_round']:g} s "
        "per server; servers on CPU 0, load on CPU 1.",
        "",
        "| server | req/s | p50 ms | p99 ms | errors | cold start s | RSS idle MB |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in report["servers"]:
        if "skipped" in row:
            lines.append(f"| {row['name']} | {row['skipped']} | | | | | |")
            continue
        lines.append(
            f"| {row['name']} | {cell(row['rps'], 0)} | {cell(row['p50_ms'], 2)} | "
            f"{cell(row['p99_ms'], 2)} | {int(row['errors'])} | "
            f"{cell(row['cold_start_s'], 2)} | {cell(row['rss_mb_idle'])} |"
        )
    ratio = report["ratios"]
    growth = report["growth"]
    contract = report["contract"]
    empty, full = growth["create_p50_ms_empty"], growth["create_p50_ms_full"]
    app_time = report.get("app_time_us") or {}
    lines += [
        "",
        "Ratios (req/s; p99 ms where named): "
        + ", ".join(f"{k} {cell(v, 2)}" for k, v in ratio.items()),
        "",
        "Targets (issue #31): " + "; ".join(targets(ratio)) + ".",
        "",
        "App time per create, no HTTP (us, best of alternating in-process batches): "
        + ", ".join(f"{k} {cell(v)}" for k, v in app_time.items()),
        "",
        f"Sequential creates ({growth.get('sequential_creates', 0):,} each, one "
        "client alternating between a fresh mock and one holding "
        f"{growth['records']:,} records): p50 {cell(empty, 2)} ms vs "
        f"{cell(full, 2)} ms (x{cell(growth['full_over_empty'], 2)}), p99 "
        f"{cell(growth.get('create_p99_ms_empty'), 2)} ms vs "
        f"{cell(growth.get('create_p99_ms_full'), 2)} ms; "
        f"RSS {cell(growth['rss_mb_empty'])} MB vs {cell(growth['rss_mb_full'])} MB.",
        f"Contract suite in-process: {int(contract['requests']):,} requests in "
        f"{contract['seconds']:.1f} s ({contract['requests_per_s']:.0f} requests/s).",
    ]
    lines += _scale_out(report.get("scale_out"))
    profile = report.get("profile_markdown")
    if profile:
        lines += ["", profile.rstrip("\n")]
    return "\n".join(lines) + "\n"


def _scale_out(found: dict[str, Any] | None) -> list[str]:
    if not found:
        return []
    lines = [
        "",
        "Scale-out, the same load against `--workers 2` and one worker, side by "
        "side (servers on any CPU, load on CPU 1):",
        "",
        "| store | 1 worker req/s | p99 ms | 2 workers req/s | p99 ms | 2 / 1 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for store, row in found.items():
        if "skipped" in row:
            lines.append(f"| {store} | {row['skipped']} | | | | |")
            continue
        one, two = row["one_worker"], row["two_workers"]
        lines.append(
            f"| {store} | {one['rps']:,.0f} | {one['p99_ms']:.2f} | "
            f"{two['rps']:,.0f} | {two['p99_ms']:.2f} | {row['two_over_one']:.2f} |"
        )
    return lines
