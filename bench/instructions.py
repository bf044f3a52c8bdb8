"""CPU instructions per create, counted by valgrind: exact and repeatable.

Load runs on a shared 2-core machine vary by tens of percent between runs;
instruction counts do not (callgrind counts the same total whatever else the
machine is doing). Each app is called directly through ASGI, as in
`bench.inprocess`, N and 6N times; the difference over 5N is the cost of one
create, without start-up.

    python -m bench.instructions                     # this tree
    python -m bench.instructions --rev e225bd1 HEAD  # git revisions, side by side

Revisions are checked out as temporary git worktrees and run with this
checkout's virtualenv (their dependencies must be installed in it).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("mock", "mock-graphql-core", "raw-starlette")
CALLS = 100

# Runs inside valgrind with the checkout under test first on sys.path; written
# against what every revision of the project has (bench.run.payload, the
# servers and create_app), so old revisions can be measured too.
_DRIVER = """
import asyncio, json, sys
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
bodies = [json.dumps(payload(n)).encode() for n in range(count)]
async def main():
    for body in bodies:
        await call(body)
asyncio.run(main())
"""
_COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(app: str, checkout: Path, calls: int, driver: Path) -> int | None:
    """Instructions per create of `app` in `checkout`, or None if it cannot run."""
    totals = []
    for count in (calls, 6 * calls):
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
             sys.executable, str(driver), app, str(count), str(checkout)],
            capture_output=True, text=True, check=False, timeout=1800,
        )  # fmt: skip
        found = _COLLECTED.search(run.stderr)
        if run.returncode != 0 or found is None:
            return None  # e.g. a revision older than --no-compile
        totals.append(int(found.group(1)))
    return round((totals[1] - totals[0]) / (5 * calls))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--rev", nargs="+", default=[], help="git revisions to measure instead"
    )
    parser.add_argument("--calls", type=int, default=CALLS, help="N (default 100)")
    parser.add_argument("--app", nargs="+", choices=APPS, default=list(APPS))
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("skipped: valgrind is not installed (Debian package valgrind)")
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as scratch:
        driver = Path(scratch) / "driver.py"
        driver.write_text(_DRIVER)
        checkouts = {"this tree": ROOT}
        for rev in args.rev:
            path = Path(scratch) / rev.replace("/", "_")
            subprocess.run(
                ["git", "worktree", "add", "--detach", "-q", str(path), rev],
                cwd=ROOT, check=True,
            )  # fmt: skip
            checkouts[rev] = path
        try:
            rows = [
                (
                    name,
                    [instructions(app, path, args.calls, driver) for app in args.app],
                )
                for name, path in checkouts.items()
                if name != "this tree" or not args.rev
            ]
        finally:
            for rev in args.rev:
                subprocess.run(
                    ["git", "worktree", "remove", "--force", str(checkouts[rev])],
                    cwd=ROOT, check=False,
                )  # fmt: skip
    print("| revision | " + " | ".join(args.app) + " |")
    print("| --- |" + " --- |" * len(args.app))
    for name, counts in rows:
        cells = ["-" if n is None else f"{n / 1e6:.3f} M" for n in counts]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
