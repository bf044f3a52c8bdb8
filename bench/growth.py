"""Does a full store slow creates down? A fresh mock next to one holding many."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.payloads import payload
from bench.processes import Server, free_port, on_cpu, rss_mb, start, stop

GROWTH_BATCH = 200


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
