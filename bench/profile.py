"""Where one create's time goes, stage by stage, through the whole HTTP path.

    python -m bench.profile                    # stages and instruction counts
    python -m bench.profile --no-instructions  # stages only (no valgrind)

Every create runs through uvicorn's own HTTP protocol over an in-memory
connection (`bench.http_path`): the request's bytes are parsed, the app runs
as `smtp-mock serve` builds it, and the response's bytes are written.

- Instructions per create (callgrind, exact and repeatable whatever else the
  machine does) for the paths that bound the mock: uvicorn with a bare app
  (the HTTP floor), the ceiling (`raw-starlette`), the mock quiet and as
  shipped (its access line included: the event loop's part and the writer
  thread's), and the quiet mock with uvicorn's own access log instead.
- Stages of the mock as shipped (cProfile over the event loop): each
  function's own time goes to the stage of its file, a builtin's to the
  stage of its caller. cProfile's cost per call inflates stages made of many
  small calls, so shares are indicative; the instruction column spreads the
  quiet mock's exact count by them.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.processes import ROOT

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

PATHS = {
    "floor": "uvicorn + a bare ASGI app (the HTTP floor)",
    "raw-starlette": "raw-starlette (the ceiling)",
    "mock-quiet": "mock, --log-level warning",
    "mock": "mock as shipped (access line: event loop + writer thread)",
    "mock-uvicorn-log": "mock quiet + uvicorn's own access log instead",
}
CALLS = 100
PROFILED_CREATES = 20_000
# (stage, fragments of a function's file), the first match wins.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "access line (event loop's part)",
        ("web/middleware/access_log.py", "/logging/"),
    ),
    (
        "request gate: Host, CORS, auth, faults",
        ("mock_server/web/middleware/", "starlette/", "uvicorn/middleware/"),
    ),
    ("endpoint: headers, body, JSON in and out", ("mock_server/web/", "orjson")),
    (
        "executor: cached document, limits",
        (
            "graphql/executor.py",
            "graphql/preparation.py",
            "graphql/limits.py",
            "graphql/complexity.py",
        ),
    ),
    (
        "compiled plan: variables, completion",
        ("graphql/_compiler/", "site-packages/graphql/"),
    ),
    ("resolver", ("mock_server/graphql/",)),
    (
        "domain rules (shared with the ceiling)",
        ("mock_server/domain/", "email_validator/", "idna/"),
    ),
    ("store (shared with the ceiling)", ("mock_server/stores/",)),
    (
        "HTTP server: uvicorn, httptools, event loop",
        ("uvicorn/", "bench/", "asyncio/", "uvloop/", "_weakrefset.py"),
    ),
)
_COLLECTED = re.compile(r"Collected : (\d+)")


def build(path: str) -> tuple[ASGIApp, dict[str, Any]]:
    """The app of one path, and how its connection is set up."""
    if path == "floor":
        return _bare_app, {}
    if path == "raw-starlette":
        from bench.servers.raw import create_app

        return create_app(), {"log_level": "warning"}
    from mock_server.serving import ServeSettings
    from mock_server.stores import MEMORY_URL
    from mock_server.web.sessions import DEFAULT_SESSION_HEADER

    level = "info" if path == "mock" else "warning"
    settings = ServeSettings(
        None, None, None, (), True, MEMORY_URL, DEFAULT_SESSION_HEADER, level
    )
    settings.configure_logging()
    options: dict[str, Any] = {"log_level": level}
    if path == "mock-uvicorn-log":
        options = {"access_log": True, "log_level": "info"}
    return settings.build(), options


async def _bare_app(scope: Scope, receive: Receive, send: Send) -> None:
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    headers = [(b"content-length", b"2"), (b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"{}"})


def drive(path: str, count: int, stats_file: str | None = None) -> None:
    """Run `count` creates on `path`; with `stats_file`, cProfile them."""
    import uvloop

    from bench.http_path import Connection, creates, status_of

    # The log goes where the bench's servers send theirs.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    requests = creates(count + (count // 10 if stats_file else 0))
    warm_up = requests[count:]

    async def run() -> None:
        app, options = build(path)
        connection = Connection(app, **options)
        for request in warm_up:
            await connection.send(request)
        profiler = cProfile.Profile() if stats_file else None
        if profiler is not None:
            profiler.enable()
        for request in requests[:count]:
            response = await connection.send(request)
            if status_of(response) != 200:
                raise SystemExit(f"{path} answered {response[:200]!r}")
        if profiler is not None and stats_file is not None:
            profiler.disable()
            profiler.dump_stats(stats_file)

    uvloop.run(run())


def instructions(path: str, calls: int = CALLS) -> int | None:
    """Instructions per create on `path` (N and 6N creates; the difference/5N)."""
    totals = []
    for count in (calls, 6 * calls):
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
             sys.executable, "-m", "bench.profile", "--drive", path, str(count)],
            capture_output=True, text=True, check=False, timeout=1800, cwd=ROOT,
        )  # fmt: skip
        found = _COLLECTED.search(run.stderr)
        if run.returncode != 0 or found is None:
            return None
        totals.append(int(found.group(1)))
    return round((totals[1] - totals[0]) / (5 * calls))


def stages(creates: int = PROFILED_CREATES) -> dict[str, float]:
    """Microseconds per create of each stage, profiled (the mock as shipped)."""
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as scratch:
        stats_file = str(Path(scratch) / "mock.prof")
        subprocess.run(
            [sys.executable, "-m", "bench.profile", "--drive", "mock", str(creates),
             "--stats", stats_file],
            check=True, timeout=600, cwd=ROOT,
        )  # fmt: skip
        # The raw table pstats keeps: function -> (calls, ..., own, total, callers).
        stats: dict[Any, Any] = getattr(pstats.Stats(stats_file), "stats")  # noqa: B009
    per_stage = dict.fromkeys([name for name, _ in STAGES] + ["other"], 0.0)
    for (filename, _line, _name), (_cc, _nc, own, _ct, callers) in stats.items():
        stage = _stage(filename)
        if stage != "other" or not callers:
            per_stage[stage] += own
            continue
        # A builtin, generated code (a dataclass's __init__) or the standard
        # library: its time goes to its callers' stages.
        for caller, (_n, _c, caller_own, _t) in callers.items():
            per_stage[_stage(caller[0])] += caller_own
    return {name: seconds / creates * 1e6 for name, seconds in per_stage.items()}


def _stage(filename: str) -> str:
    path = filename.replace(os.sep, "/")
    for name, fragments in STAGES:
        if any(fragment in path for fragment in fragments):
            return name
    return "other"


def measure(*, with_instructions: bool) -> dict[str, Any]:
    """The profile: stages always, instruction counts when valgrind is there."""
    found: dict[str, Any] = {"stages_us": stages()}
    if with_instructions and shutil.which("valgrind"):
        with ThreadPoolExecutor(max_workers=2) as pool:
            counts = dict(zip(PATHS, pool.map(instructions, PATHS), strict=True))
        found["instructions"] = counts
    else:
        found["instructions"] = None
    return found


def to_markdown(profile: dict[str, Any]) -> str:
    """The profile as two Markdown tables."""
    lines: list[str] = []
    counts: dict[str, int | None] | None = profile.get("instructions")
    if counts:
        raw = counts.get("raw-starlette")
        lines += [
            "Instructions per create through the whole HTTP path (callgrind, "
            "in-memory connection, `python -m bench.profile`):",
            "",
            "| path | instructions | ceiling / path |",
            "| --- | --- | --- |",
        ]
        for path, label in PATHS.items():
            count = counts.get(path)
            ratio = f"{raw / count:.2f}" if raw and count else "-"
            shown = "-" if count is None else f"{count / 1000:,.0f} k"
            lines.append(f"| {label} | {shown} | {ratio} |")
        lines.append("")
    quiet = counts.get("mock-quiet") if counts else None
    per_stage: dict[str, float] = profile["stages_us"]
    total = sum(per_stage.values())
    lines += [
        "Where the mock's event loop spends a create (cProfile; shares are "
        "indicative, cProfile inflates many small calls):",
        "",
        "| stage | us per create (profiled) | share | ~ instructions |",
        "| --- | --- | --- | --- |",
    ]
    for name, micros in per_stage.items():
        if micros <= 0:
            continue
        share = micros / total
        estimate = f"{share * quiet / 1000:,.0f} k" if quiet else "-"
        lines.append(f"| {name} | {micros:.1f} | {share:.0%} | {estimate} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-instructions", action="store_true")
    parser.add_argument("--drive", nargs=2, metavar=("PATH", "COUNT"))
    parser.add_argument("--stats", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.drive:
        path, count = args.drive
        drive(path, int(count), args.stats)
        return 0
    profile = measure(with_instructions=not args.no_instructions)
    print(to_markdown(profile))
    print(json.dumps(profile, indent=2), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
