"""The servers compared: the mock three ways, its ceiling and its peers.

The peers are what a frontend team would pick or write instead: graphql-faker,
Ariadne's default app, and the GraphQL Yoga 5 implementation of the documented
family that the no-false-alarm tests run (`tests/js/servers/yoga.mjs`, run
here as those tests start it, with node, its defaults as shipped).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bench.processes import ROOT, Server, free_port

FAKER_VERSION = "2.0.0-rc.25"  # 2.0.0 ships without dist/; plain installs hang
FAKER_DIR = ROOT / "bench" / ".cache" / "faker"
NODE_SERVERS = ROOT / "tests" / "js" / "servers"


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
    found.append(yoga())
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
        if not server.skipped and server.command[-1] == "--port":
            server.command = [*server.command, str(server.port)]
    return found


def yoga() -> Server:
    """The GraphQL Yoga implementation, without a token (as the mock runs)."""
    server = Server("graphql-yoga", [], free_port(), cwd=NODE_SERVERS)
    reason = install_node_servers()
    if reason:
        server.skipped = reason
        return server
    server.command = ["node", str(NODE_SERVERS / "yoga.mjs")]
    # The stack's defaults as shipped: no NODE_ENV, as the tests start it.
    server.env = {"HOST": "127.0.0.1", "PORT": str(server.port), "NODE_ENV": None}
    return server


def install_node_servers() -> str | None:
    """tests/js/servers' packages, as its tests install them; why not, if so."""
    if not shutil.which("npm") or not shutil.which("node"):
        return "skipped: npm is not installed"
    # The tests' own installer: one install per lock file, linked, so the
    # bench and the tests never wipe each other's node_modules.
    from tests.js.npm import cached_install, link

    try:
        link(NODE_SERVERS / "node_modules", cached_install(NODE_SERVERS))
    except (subprocess.SubprocessError, OSError) as exc:
        return f"skipped: npm ci failed ({type(exc).__name__})"
    return None


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
