"""CPU instructions per create, counted by valgrind: exact and repeatable.

Load runs on a shared 2-core machine vary by tens of percent between runs;
instruction counts do not (callgrind counts the same total whatever else the
machine is doing). Each app is called directly through ASGI, as in
`bench.inprocess`, N and 6N times; the difference over 5N is the cost of one
create, without start-up. Request bodies come from one template, so that
making them costs next to nothing (a uuid4 and a `json.dumps` each would
count as a fifth of a create).

    python -m bench.instructions                     # this tree
    python -m bench.instructions --rev               # the budget's revisions
    python -m bench.instructions --rev e225bd1 HEAD  # git revisions, side by side
    python -m bench.instructions --http              # through uvicorn's HTTP

`--rev` alone measures the steps the budget of issue #31 follows: the
documented create may cost at most 3 % more instructions than before the
API-family (#25), live-run (#26) and hardening and live-safety (#27, #28,
#30) issues added work to the request path. Revisions are checked out as
temporary git worktrees and run with this checkout's virtualenv (their
dependencies must be installed in it).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("mock", "mock-graphql-core", "raw-starlette")
CALLS = 100
BUDGET = 0.03
"""How much the documented create's count may grow over the base revision."""
BUDGET_REVISIONS = {
    "7e5e4eb": "base (eb0a676^)",
    "eb0a676": "#25 the documented family",
    "a8d2cab": "#26 live runs",
    "a9f1ba2": "#27 #28 #30 operations, hardening, live safety",
    "HEAD": "(the last commit)",
}

# Runs inside valgrind with the checkout under test first on sys.path; written
# against what every revision of the project has (bench.run.payload, the
# servers and create_app), so old revisions can be measured too. With a 4th
# argument, the requests go through uvicorn's HTTP protocol: that file is
# this tree's bench/http_path.py, loaded by path (old revisions lack it).
_DRIVER = """
import asyncio, json, re, sys
sys.path.insert(0, sys.argv[3])
from bench.run import payload
which, count = sys.argv[1], int(sys.argv[2])
if which == "raw-starlette":
    from bench.servers.raw import create_app
    app = create_app()
else:
    from mock_server import create_app
    app = create_app(compiled=False) if which == "mock-graphql-core" else create_app()
SCOPE = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
         "method": "POST", "scheme": "http", "path": "/graphql",
         "raw_path": b"/graphql", "root_path": "", "query_string": b"",
         "headers": [(b"content-type", b"application/json"), (b"host", b"localhost")],
         "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80)}
async def call(body):
    messages, status = [{"type": "http.request", "body": body}], []
    async def receive():
        return messages.pop() if messages else {"type": "http.disconnect"}
    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])
    await app(dict(SCOPE), receive, send)
    if status != [200]:
        raise SystemExit(f"{which} answered {status}")
text = json.dumps(payload(0))
# The address's own length, so a body's length never changes.
template = re.sub(r"bench-[0-9a-f]{8}-0@", "bench-%010d@", text)
bodies = [(template % n).encode() for n in range(count)]
async def direct():
    for body in bodies:
        await call(body)
async def through_http():
    import importlib.util
    spec = importlib.util.spec_from_file_location("_http_path", sys.argv[4])
    http_path = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(http_path)
    connection = http_path.Connection(app, log_level="warning")
    for request in http_path.creates(count):
        response = await connection.send(request)
        if http_path.status_of(response) != 200:
            raise SystemExit(f"{which} answered {response[:100]!r}")
asyncio.run(through_http() if len(sys.argv) > 4 else direct())
"""
_COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(
    app: str, checkout: Path, calls: int, driver: Path, *, http: bool = False
) -> int | None:
    """Instructions per create of `app` in `checkout`, or None if it cannot run."""
    totals = []
    through = [str(ROOT / "bench" / "http_path.py")] if http else []
    for count in (calls, 6 * calls):
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
             sys.executable, str(driver), app, str(count), str(checkout), *through],
            capture_output=True, text=True, check=False, timeout=1800,
        )  # fmt: skip
        found = _COLLECTED.search(run.stderr)
        if run.returncode != 0 or found is None:
            return None  # e.g. a revision older than --no-compile
        totals.append(int(found.group(1)))
    return round((totals[1] - totals[0]) / (5 * calls))


def table(
    rows: list[tuple[str, list[int | None]]], apps: list[str], *, budget: bool
) -> list[str]:
    """The counts as Markdown; with `budget`, the mock's growth over the first row."""
    head = "| revision | " + " | ".join(apps) + " |"
    rule = "| --- |" + " --- |" * len(apps)
    mock = apps.index("mock") if "mock" in apps else None
    base = rows[0][1][mock] if budget and mock is not None and rows else None
    if base:
        head += " mock vs base |"
        rule += " --- |"
    lines = [head, rule]
    for name, counts in rows:
        cells = ["-" if n is None else f"{n / 1e6:.3f} M" for n in counts]
        if base:
            count = counts[mock] if mock is not None else None
            cells.append("-" if count is None else f"{count / base - 1:+.1%}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if base:
        lines.append(
            f"\nBudget: the mock's count may grow by at most {BUDGET:.0%} over "
            "the base through the API-family, hardening and live-safety issues."
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--rev",
        nargs="*",
        default=None,
        help="git revisions to measure instead (none given: the budget's steps)",
    )
    parser.add_argument("--calls", type=int, default=CALLS, help="N (default 100)")
    parser.add_argument("--app", nargs="+", choices=APPS, default=None)
    parser.add_argument(
        "--http", action="store_true", help="through uvicorn's HTTP protocol"
    )
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("skipped: valgrind is not installed (Debian package valgrind)")
        return 2
    budget = args.rev == []
    revisions = list(BUDGET_REVISIONS) if budget else (args.rev or [])
    apps = args.app or (["mock", "raw-starlette"] if budget else list(APPS))
    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as scratch:
        driver = Path(scratch) / "driver.py"
        driver.write_text(_DRIVER)
        checkouts: dict[str, Path] = {}
        for rev in revisions:
            path = Path(scratch) / rev.replace("/", "_")
            subprocess.run(
                ["git", "worktree", "add", "--detach", "-q", str(path), rev],
                cwd=ROOT, check=True,
            )  # fmt: skip
            checkouts[rev] = path
        if budget or not revisions:
            checkouts["this tree"] = ROOT
        try:
            jobs = [(path, app) for path in checkouts.values() for app in apps]
            with ThreadPoolExecutor(max_workers=2) as pool:
                counts = list(
                    pool.map(
                        lambda job: instructions(
                            job[1], job[0], args.calls, driver, http=args.http
                        ),
                        jobs,
                    )
                )
        finally:
            for rev in revisions:
                subprocess.run(
                    ["git", "worktree", "remove", "--force", str(checkouts[rev])],
                    cwd=ROOT, check=False,
                )  # fmt: skip
    rows = [
        (
            f"{name} {BUDGET_REVISIONS[name]}" if budget and name in BUDGET_REVISIONS
            else name,
            counts[index * len(apps) : (index + 1) * len(apps)],
        )
        for index, name in enumerate(checkouts)
    ]  # fmt: skip
    print("\n".join(table(rows, apps, budget=budget)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
