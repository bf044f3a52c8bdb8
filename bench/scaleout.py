"""Scale-out measured: `--workers 2` next to one worker, on each shared store.

Only a shared store (SQLite, Redis) lets several workers serve one state, so
both runs of a pair use one: the figure is the same load's req/s with two
workers over one, side by side in alternating rounds. The servers may use
every CPU here (two workers need two); the load generator still runs on CPU 1.
The Redis store is the real server at 127.0.0.1:6379, in databases of its own
(emptied before and after).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.load import load
from bench.processes import Server, free_port, start, stop

REDIS_DATABASES = {1: 14, 2: 15}
"""The Redis database of each worker count (the tests use 0 and 11)."""


def scale_out(seconds: int, rounds: int) -> dict[str, Any]:
    """Req/s and p99 of one and two workers on SQLite and on Redis."""
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        stores = {
            "sqlite": lambda workers: f"sqlite:///{Path(scratch)}/w{workers}.db",
            "redis": _redis_url,
        }
        for store, url_for in stores.items():
            reason = _unavailable(store)
            if reason:
                found[store] = {"skipped": reason}
                continue
            pair = [_server(store, workers, url_for(workers)) for workers in (1, 2)]
            found[store] = _measure(pair, seconds, rounds)
            if store == "redis":
                _empty_redis()
    return found


def _redis_url(workers: int) -> str:
    return f"redis://127.0.0.1:6379/{REDIS_DATABASES[workers]}"


def _server(store: str, workers: int, url: str) -> Server:
    smtp_mock = str(Path(sys.executable).with_name("smtp-mock"))
    port = free_port()
    command = [smtp_mock, "serve", "--store", url, "--workers", str(workers)]
    return Server(f"{store}-{workers}", [*command, "--port", str(port)], port, cpu=None)


def _measure(pair: list[Server], seconds: int, rounds: int) -> dict[str, Any]:
    try:
        for server in pair:
            start(server)
        if any(server.skipped for server in pair):
            return {"skipped": "skipped: a server did not start"}
        for _ in range(rounds):
            for server in pair:
                server.rounds.append(load(server, seconds))
    finally:
        for server in pair:
            stop(server)
    one, two = (
        {
            key: statistics.median(r[key] for r in server.rounds)
            for key in ("rps", "p99_ms")
        }
        for server in pair
    )
    return {
        "one_worker": one,
        "two_workers": two,
        "two_over_one": round(two["rps"] / one["rps"], 2) if one["rps"] else None,
    }


def _unavailable(store: str) -> str | None:
    if store != "redis":
        return None
    try:
        _empty_redis()
    except Exception as exc:  # no server, no client library: skip, say why
        return f"skipped: no Redis at 127.0.0.1:6379 ({type(exc).__name__})"
    return None


def _empty_redis() -> None:
    import redis

    for database in REDIS_DATABASES.values():
        client = redis.Redis(host="127.0.0.1", port=6379, db=database)
        try:
            client.flushdb()
        finally:
            client.close()
