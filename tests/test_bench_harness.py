"""Smoke test of bench/: it starts a server, drives it and parses results.

Benchmarks themselves never run here (`make bench`); no timing is asserted.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import pytest

from bench import load, processes, report as reports
from bench.payloads import payload

# Their subprocesses run code other tests measure (CONTRIBUTING.md, "Coverage").
pytestmark = pytest.mark.no_cover_subprocesses

WRK_OUTPUT = """
Running 5s test @ http://127.0.0.1:4000/graphql
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    19.71ms    9.22ms  94.32ms   91.02%
  Latency Distribution
     50%   17.88ms
     75%   19.63ms
     90%   23.75ms
     99%   88.42ms
  8083 requests in 5.01s, 5.28MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   1612.33
Transfer/sec:      1.05MB
"""


def test_wrk_output_is_parsed():
    parsed = load.parse_wrk(WRK_OUTPUT)

    assert parsed == {"rps": 1612.33, "errors": 3.0, "p50_ms": 17.88, "p99_ms": 88.42}


def test_the_harness_starts_a_server_and_drives_it():
    server = processes.Server(
        "raw-starlette",
        [sys.executable, "-m", "uvicorn", "--factory",
         "bench.servers.raw:create_app", "--log-level", "warning", "--port"],
        processes.free_port(),
    )  # fmt: skip
    server.command.append(str(server.port))
    try:
        processes.start(server)
        assert server.skipped is None
        result = asyncio.run(load.python_load(server.url, 0.5))
    finally:
        processes.stop(server)

    assert result["rps"] > 0
    assert result["errors"] == 0
    assert server.cold_start_s is not None


def test_report_renders_ratios_and_skips():
    rows: list[dict[str, Any]] = [
        {"name": "mock", "rps": 100.0, "p50_ms": 1.0, "p99_ms": 2.0, "errors": 0,
         "cold_start_s": 0.5, "rss_mb_idle": 40.0},
        {"name": "raw-starlette", "rps": 200.0, "p50_ms": 1.0, "p99_ms": 2.0,
         "errors": 0, "cold_start_s": 0.5, "rss_mb_idle": 40.0},
        {"name": "graphql-faker", "skipped": "skipped: npm is not installed"},
    ]  # fmt: skip
    report: dict[str, Any] = {
        "load_generator": "python",
        "concurrency": 32,
        "rounds": 1,
        "seconds_per_round": 1.0,
        "servers": rows,
        "ratios": reports.ratios(rows),
        "growth": {
            "records": 10,
            "create_p50_ms_empty": 1.0,
            "create_p50_ms_full": 1.1,
            "full_over_empty": 1.1,
            "create_p99_ms_empty": 2.0,
            "create_p99_ms_full": 2.5,
            "rss_mb_empty": 40.0,
            "rss_mb_full": 41.0,
        },
        "app_time_us": {"mock": 60.0, "raw-starlette": 30.0},
        "contract": {"requests": 10.0, "seconds": 1.0, "requests_per_s": 10.0},
    }

    markdown = reports.to_markdown(report)

    assert report["ratios"]["mock/raw-starlette"] == 0.5
    assert report["ratios"]["mock/graphql-faker"] is None
    assert "| graphql-faker | skipped: npm is not installed |" in markdown
    assert "mock/raw-starlette 0.50" in markdown
    assert "mock 60.0, raw-starlette 30.0" in markdown
    assert "p99 2.00 ms vs 2.50 ms" in markdown


def test_app_time_calls_each_app_and_checks_its_answers():
    from bench.inprocess import app_time_us
    from bench.servers.raw import create_app as raw
    from mock_server import create_app

    times = app_time_us(
        {"mock": create_app(), "raw-starlette": raw()},
        payload,
        batch=20,
        batches=2,
    )

    assert set(times) == {"mock", "raw-starlette"}
    assert all(0 < value < float("inf") for value in times.values())


def test_the_instruction_count_driver_runs_every_app(tmp_path):
    """What valgrind runs in `bench.instructions` (here without valgrind)."""
    import subprocess

    from bench import instructions

    driver = tmp_path / "driver.py"
    driver.write_text(instructions._DRIVER)
    for app in instructions.APPS:
        done = subprocess.run(
            [sys.executable, str(driver), app, "3", str(instructions.ROOT)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr


def test_instruction_counts_are_read_from_callgrinds_summary():
    assert instructions_collected("==1== Collected : 1605261093\n") == 1605261093


def instructions_collected(stderr: str) -> int:
    from bench.instructions import _COLLECTED

    found = _COLLECTED.search(stderr)
    assert found is not None
    return int(found.group(1))


def test_every_hostile_request_is_under_the_body_limit():
    import json

    from bench import hostile
    from mock_server.web import MAX_BODY_BYTES

    sizes = {
        case.name: len(json.dumps(case.body(99_999)).encode())
        for case in hostile.cases()
    }

    assert all(size <= MAX_BODY_BYTES for size in sizes.values()), sizes


def test_the_hostile_report_names_the_worst_case():
    from bench import hostile

    row = {"bytes": 2048, "status": 200, "code": "OK", "wall_ms": 2.0}
    rows = [
        ("documented create (reference)", {**row, "worker_ms": 1.5}),
        ("big", {**row, "worker_ms": 120.0, "code": "MAX_TOKENS_EXCEEDED"}),
        ("small", {**row, "worker_ms": 3.0}),
    ]

    markdown = hostile.report(rows)

    assert "| big | 2 KiB | 200 MAX_TOKENS_EXCEEDED | 120 ms | 2 ms |" in markdown
    assert "Worst case: big, 120 ms of worker CPU" in markdown
    assert "the documented create: 1.5 ms" in markdown
