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
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FAKER_VERSION = "2.0.0-rc.25"  # 2.0.0 ships without dist/; plain installs hang
FAKER_DIR = ROOT / "bench" / ".cache" / "faker"
CONCURRENCY = 32
GROWTH_BATCH = 200
CREATE = (
    "mutation CreateSmtpCustomEmailWithConfiguration($senderName: String!, "
    "$emailAddress: String!, $smtpConfiguration: SmtpConfigurationInput) "
    "{ createSmtpCustomEmailWithConfiguration(input: {senderName: $senderName, "
    "emailAddress: $emailAddress, smtpConfiguration: $smtpConfiguration}) "
    "{ smtpCustomEmail { id emailAddress senderName smtpConfiguration "
    "{ id host port organizationId ipRelayAuth } } } }"
)


@dataclass
class Server:
    """One server under test."""

    name: str
    command: list[str]
    port: int
    process: subprocess.Popen[bytes] | None = None
    cold_start_s: float | None = None
    skipped: str | None = None
    rounds: list[dict[str, float]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pinned(command: list[str], cpu: int) -> list[str]:
    """Pin a command to one CPU when taskset exists (2-core machines)."""
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", str(cpu), *command]
    return command


def payload(n: int) -> dict[str, Any]:
    return {
        "query": CREATE,
        "variables": {
            "senderName": "Bench",
            "emailAddress": f"bench-{uuid.uuid4().hex[:8]}-{n}@acme.example",
            "smtpConfiguration": {
                "host": "relay.acme.internal",
                "port": 25,
                "organizationId": "980700673",
                "ipRelayAuth": True,
            },
        },
    }


def servers(include_faker: bool) -> list[Server]:
    python = sys.executable
    uvicorn = [python, "-m", "uvicorn", "--no-access-log", "--log-level", "warning"]
    smtp_mock = str(Path(python).with_name("smtp-mock"))
    found = [
        Server("mock", [smtp_mock, "serve", "--port"], free_port()),
        Server(
            "mock-quiet",
            [smtp_mock, "serve", "--log-level", "warning", "--port"],
            free_port(),
        ),
        Server(
            "mock-graphql-core",
            [smtp_mock, "serve", "--no-compile", "--port"],
            free_port(),
        ),
        Server(
            "raw-starlette",
            [*uvicorn, "--factory", "bench.servers.raw:create_app", "--port"],
            free_port(),
        ),
        Server(
            "ariadne-default",
            [
                *uvicorn,
                "--factory",
                "bench.servers.ariadne_default:create_app",
                "--port",
            ],
            free_port(),
        ),
    ]
    if include_faker:
        faker = Server("graphql-faker", [], free_port())
        reason = install_faker()
        if reason:
            faker.skipped = reason
        else:
            binary = FAKER_DIR / "node_modules" / "graphql-faker" / "dist" / "index.js"
            faker.command = [
                "node",
                str(binary),
                str(faker_schema()),
                "--port",
            ]
        found.append(faker)
    for server in found:
        if not server.skipped:
            server.command = [*server.command, str(server.port)]
    return found


def faker_schema() -> Path:
    """The same SDL without the description on `schema`, which graphql-faker's
    older graphql-js rejects (it then serves no schema at all)."""
    sdl = (ROOT / "schema.graphql").read_text()
    path = FAKER_DIR / "schema.graphql"
    path.write_text(sdl[sdl.index("schema {") :])
    return path


def install_faker() -> str | None:
    """Install the pinned graphql-faker; return why it is skipped, if it is."""
    if not shutil.which("npm") or not shutil.which("node"):
        return "skipped: npm is not installed"
    if (FAKER_DIR / "node_modules" / "graphql-faker" / "dist").is_dir():
        return None
    FAKER_DIR.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            ["npm", "install", f"graphql-faker@{FAKER_VERSION}", "--legacy-peer-deps",
             "--no-audit", "--no-fund"],
            cwd=FAKER_DIR, capture_output=True, timeout=300, check=True,
        )  # fmt: skip
    except (subprocess.SubprocessError, OSError) as exc:
        return f"skipped: npm install failed ({type(exc).__name__})"
    return None


def start(server: Server) -> None:
    """Start a server and measure process start to first successful create."""
    started = time.monotonic()
    server.process = subprocess.Popen(
        pinned(server.command, 0),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = started + 30
    while time.monotonic() < deadline:
        try:
            response = httpx.post(server.url, json=payload(0), timeout=1)
            if response.status_code == 200:
                server.cold_start_s = time.monotonic() - started
                return
        except httpx.TransportError:
            pass
        time.sleep(0.01)
    server.skipped = "skipped: not answering within 30 s"


def stop(server: Server) -> None:
    if server.process is not None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()


WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
WRK_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
WRK_ERRORS = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
)
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> dict[str, float]:
    """Requests/s, p50 and p99 in ms, and errors from wrk's --latency output."""
    rps = WRK_RPS.search(output)
    if rps is None:
        raise ValueError("no Requests/sec line in wrk's output")
    result = {"rps": float(rps.group(1)), "errors": 0.0}
    for percentile, value, unit in WRK_LATENCY.findall(output):
        result[f"p{percentile}_ms"] = float(value) * _UNITS[unit]
    non_2xx = WRK_NON_2XX.search(output)
    socket_errors = WRK_ERRORS.search(output)
    if non_2xx:
        result["errors"] += float(non_2xx.group(1))
    if socket_errors:
        result["errors"] += sum(float(n) for n in socket_errors.groups())
    return result


def load(server: Server, seconds: float) -> dict[str, float]:
    """Drive one server for `seconds` at the fixed concurrency."""
    if shutil.which("wrk"):
        command = [
            "wrk", "-t1", f"-c{CONCURRENCY}", f"-d{seconds:g}s", "--latency",
            "-s", str(ROOT / "bench" / "create.lua"), server.url,
        ]  # fmt: skip
        output = subprocess.run(
            pinned(command, 1), capture_output=True, text=True, timeout=seconds + 60,
            check=True,
        ).stdout  # fmt: skip
        return parse_wrk(output)
    return asyncio.run(python_load(server.url, seconds))


async def python_load(url: str, seconds: float) -> dict[str, float]:
    """A fallback load generator: CONCURRENCY clients for `seconds`."""
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:

        async def worker(index: int) -> None:
            nonlocal errors
            n = 0
            while time.monotonic() < deadline:
                n += 1
                started = time.perf_counter()
                response = await client.post(url, json=payload(index * 10**6 + n))
                latencies.append((time.perf_counter() - started) * 1000)
                errors += response.status_code != 200

        await asyncio.gather(*(worker(i) for i in range(CONCURRENCY)))
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50_ms": latencies[len(latencies) // 2],
        "p99_ms": latencies[int(len(latencies) * 0.99)],
        "errors": float(errors),
    }


def rss_mb(process: subprocess.Popen[bytes] | None) -> float | None:
    """Resident memory of a server process (the python child of taskset)."""
    if process is None:
        return None
    status = Path(f"/proc/{process.pid}/status")
    if not status.exists():
        return None
    match = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
    return int(match.group(1)) / 1024 if match else None


def create_latencies_ms(url: str, count: int, first: int = 0) -> list[float]:
    """Latencies of `count` sequential creates (one client, no concurrency)."""
    samples = []
    with httpx.Client(timeout=10) as client:
        for n in range(first, first + count):
            started = time.perf_counter()
            client.post(url, json=payload(n))
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentiles(samples: list[float]) -> tuple[float, float]:
    """Median and 99th percentile."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99)]


def seed_records(base: str, total: int) -> None:
    """Load `total` senders into the mock through /__mock/seed, in chunks."""
    chunk = 2000
    with httpx.Client(timeout=60) as client:
        for start_at in range(0, total, chunk):
            items = [
                payload(start_at + n)["variables"]
                for n in range(min(chunk, total - start_at))
            ]
            response = client.post(
                f"{base}/__mock/seed", json={"smtpCustomEmails": items}
            )
            response.raise_for_status()


def contract_throughput(profile: str) -> dict[str, float]:
    """Requests/s of `smtp-contract run` against the in-process mock."""
    started = time.monotonic()
    script = str(Path(sys.executable).with_name("smtp-contract"))
    output = subprocess.run(
        [script, "run", "--profile", profile],
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
    seconds, rounds = (5.0, 2) if args.quick else (15.0, 3)
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
    report["app_time_us"] = app_times(batches=3 if args.quick else 5)
    report["contract"] = contract_throughput("dev" if args.quick else "ci")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    markdown = to_markdown(report)
    (RESULTS / "latest.md").write_text(markdown)
    print(markdown)
    return 0


def memory_and_growth(records: int, rounds: int) -> dict[str, Any]:
    """Create latency and RSS of a fresh mock next to one holding `records`.

    Both run side by side (CPU 0) while one client (CPU 1) alternates batches
    of sequential creates between them, so noise falls on both alike.
    """
    smtp_mock = str(Path(sys.executable).with_name("smtp-mock"))
    pair = [Server(name, [], free_port()) for name in ("empty", "full")]
    for server in pair:
        server.command = [smtp_mock, "serve", "--port", str(server.port)]
        start(server)
    empty, full = pair
    samples: dict[str, list[float]] = {"empty": [], "full": []}
    try:
        if empty.skipped or full.skipped:
            raise RuntimeError("the growth servers did not start")
        seed_records(full.url.removesuffix("/graphql"), records)
        with on_cpu(1):
            for round_number in range(rounds):
                for server in pair:
                    first = (round_number + 1) * 10**6
                    samples[server.name] += create_latencies_ms(
                        server.url, GROWTH_BATCH, first
                    )
        rss = {server.name: rss_mb(server.process) for server in pair}
    finally:
        for server in pair:
            stop(server)
    (empty_p50, empty_p99), (full_p50, full_p99) = (
        percentiles(samples["empty"]),
        percentiles(samples["full"]),
    )
    return {
        "records": records,
        "sequential_creates": len(samples["full"]),
        "create_p50_ms_empty": empty_p50,
        "create_p50_ms_full": full_p50,
        "full_over_empty": full_p50 / empty_p50 if empty_p50 else None,
        "create_p99_ms_empty": empty_p99,
        "create_p99_ms_full": full_p99,
        "rss_mb_empty": rss["empty"],
        "rss_mb_full": rss["full"],
    }


@contextlib.contextmanager
def on_cpu(cpu: int) -> Iterator[None]:
    """Run this process on one CPU for a while (where the OS allows it)."""
    if not hasattr(os, "sched_setaffinity") or (os.cpu_count() or 1) < 2:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


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


def ratios(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    by_name = {row["name"]: row for row in rows}

    def over(name: str) -> float | None:
        return _ratio(by_name, "mock", name)

    return {
        "mock/raw-starlette": over("raw-starlette"),
        "mock/ariadne-default": over("ariadne-default"),
        "mock/graphql-faker": over("graphql-faker"),
        "mock/mock-graphql-core": over("mock-graphql-core"),
        "mock-quiet/raw-starlette": _ratio(by_name, "mock-quiet", "raw-starlette"),
    }


def _ratio(by_name: dict[str, dict[str, Any]], top: str, bottom: str) -> float | None:
    above = by_name.get(top, {}).get("rps")
    below = by_name.get(bottom, {}).get("rps")
    return round(above / below, 2) if above and below else None


def app_times(batches: int) -> dict[str, float]:
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
        for name, us in app_time_us(apps, payload, batches=batches).items()
    }


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
        "Ratios (req/s): " + ", ".join(f"{k} {cell(v, 2)}" for k, v in ratio.items()),
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
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
