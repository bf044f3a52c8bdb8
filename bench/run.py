"""Benchmark harness: the mock against its ceiling and its peers, side by side.

    python -m bench.run            # full run (make bench)
    python -m bench.run --quick    # under 2 minutes (make bench BENCH_QUICK=1)

Every server runs as a real process on 127.0.0.1, pinned to CPU 0 when
`taskset` exists; the load generator (wrk with bench/create.lua, or an async
Python generator when wrk is absent) runs on CPU 1. Rounds alternate servers
so machine noise spreads over all of them; only ratios taken in one run count.
The mock runs as `smtp-mock serve` ships it (its access log on, into
/dev/null), then with `--log-level warning` (no access log) and with
`--no-compile` (graphql-core's executor), to show what each costs or buys.
Writes bench/results/latest.json and bench/results/latest.md.

The parts, in the order a run uses them: `lineup` (the servers compared),
`processes` (start, stop, memory, CPU pinning), `load` (wrk or the fallback),
`growth` (a fresh mock against a full one), `scaleout` (two workers against
one on the shared stores), `profile` (where a create's time goes, through
`http_path`) and `report` (ratios, targets, Markdown); `payloads` is the one
request they all send.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.growth import memory_and_growth
from bench.lineup import servers
from bench.load import CONCURRENCY, load
from bench.payloads import payload
from bench.processes import ROOT, rss_mb, start, stop
from bench.profile import measure as measure_profile, to_markdown as profile_markdown
from bench.report import ratios, summary, to_markdown
from bench.scaleout import scale_out

RESULTS = ROOT / "bench" / "results"
# `bench.instructions` runs `from bench.run import payload` in every revision it
# measures, older ones too: the name stays here.
__all__ = ["main", "payload"]


def contract_throughput(profile: str) -> dict[str, float]:
    """Requests/s of `smtp-contract run` against the in-process mock."""
    started = time.monotonic()
    script = str(Path(sys.executable).with_name("smtp-contract"))
    output = subprocess.run(
        [script, "run", "--hypothesis-profile", profile],
        capture_output=True, text=True, timeout=600, check=False, cwd=ROOT,
    ).stdout  # fmt: skip
    elapsed = time.monotonic() - started
    sent = re.search(r"requests sent: (\d+)", output)
    requests = float(sent.group(1)) if sent else 0.0
    return {
        "seconds": elapsed,
        "requests": requests,
        "requests_per_s": requests / elapsed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="Finish in under 2 min.")
    parser.add_argument("--no-faker", action="store_true", help="Skip graphql-faker.")
    args = parser.parse_args(argv)
    seconds, rounds = (4, 2) if args.quick else (15, 3)
    records = 10_000 if args.quick else 100_000
    report: dict[str, Any] = {
        "quick": args.quick,
        "load_generator": "wrk" if shutil.which("wrk") else "python",
        "concurrency": CONCURRENCY,
        "seconds_per_round": seconds,
        "rounds": rounds,
    }
    under_test = servers(include_faker=not args.no_faker)
    try:
        for server in under_test:
            if not server.skipped:
                start(server)
        idle_rss = {s.name: rss_mb(s.process) for s in under_test}
        for _ in range(rounds):
            for server in under_test:
                if not server.skipped:
                    server.rounds.append(load(server, seconds))
    finally:
        for server in under_test:
            stop(server)
    growth = memory_and_growth(records, rounds=rounds + 2)
    report["servers"] = [
        summary(server, idle_rss.get(server.name)) for server in under_test
    ]
    report["growth"] = growth
    report["ratios"] = ratios(report["servers"])
    report["app_time_us"] = app_times(
        batches=3 if args.quick else 5, batch=500 if args.quick else 2000
    )
    report["contract"] = contract_throughput("dev" if args.quick else "ci")
    report["scale_out"] = scale_out(*((2, 1) if args.quick else (10, 2)))
    # Instruction counts take valgrind minutes: the full run only.
    profile = measure_profile(with_instructions=not args.quick)
    report["profile"] = profile
    report["profile_markdown"] = profile_markdown(profile)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    markdown = to_markdown(report)
    (RESULTS / "latest.md").write_text(markdown)
    print(markdown)
    return 0


def app_times(batches: int, batch: int) -> dict[str, float]:
    """Per-create app time (no HTTP) of the Python servers, in one process."""
    from bench.inprocess import app_time_us
    from bench.servers.ariadne_default import create_app as ariadne_default
    from bench.servers.raw import create_app as raw
    from mock_server import create_app

    apps = {
        "mock": create_app(),
        "mock-graphql-core": create_app(compiled=False),
        "raw-starlette": raw(),
        "ariadne-default": ariadne_default(),
    }
    return {
        name: round(us, 1)
        for name, us in app_time_us(apps, payload, batch=batch, batches=batches).items()
    }


if __name__ == "__main__":
    raise SystemExit(main())
