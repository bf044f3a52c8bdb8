"""Load at a fixed concurrency: wrk with bench/create.lua, or a Python fallback."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import time

import httpx

from bench.payloads import payload
from bench.processes import ROOT, Server, pinned

CONCURRENCY = 32
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
