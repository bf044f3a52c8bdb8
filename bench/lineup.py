"""The servers compared: the mock three ways, its ceiling and its peers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bench.processes import ROOT, Server, free_port

FAKER_VERSION = "2.0.0-rc.25"  # 2.0.0 ships without dist/; plain installs hang
FAKER_DIR = ROOT / "bench" / ".cache" / "faker"


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
