"""The docs' GraphQL Code Generator recipe, run for real (#16).

Types come from the running mock's introspection and from `schema.graphql`;
`tests/js/codegen/check.ts` then only compiles if `port` is a `string` in the
result type and a `number` in the input types.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from contracts.documented import DOCUMENTED_OPERATION
from mock_server import default_schema_path
from tests.e2e.conftest import TOKEN, running_server
from tests.js.npm import node_project

pytestmark = pytest.mark.starts_first

CODEGEN = Path(__file__).with_name("codegen")
STEP_TIMEOUT_S = 180


@pytest.fixture
def project(tmp_path):
    """The recipe in a folder of its own, so the checkout stays clean."""
    folder = node_project(CODEGEN, "for GraphQL Code Generator")
    work = tmp_path / "codegen"
    work.mkdir()
    for name in ("codegen.cjs", "check.ts"):
        shutil.copy(folder / name, work / name)
    (work / "node_modules").symlink_to(folder / "node_modules")
    (work / "create.graphql").write_text(DOCUMENTED_OPERATION)
    return work


def generate(work: Path, schema: str, token: str | None = None) -> None:
    env = {
        **os.environ,
        "CODEGEN_SCHEMA": schema,
        "CODEGEN_DOCUMENTS": "create.graphql",
    }
    if token is not None:
        env["CODEGEN_TOKEN"] = token
    run = subprocess.run(
        ["node", "node_modules/.bin/graphql-codegen", "--config", "codegen.cjs"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT_S,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def type_check(work: Path) -> subprocess.CompletedProcess[str]:
    # --skipLibCheck: TypeScript's own lib.*.d.ts need no checking by us, and
    # checking them was most of each run's CPU (6.2 s, 1.8 s without). check.ts
    # and the generated files are .ts, so they are checked in full.
    return subprocess.run(
        [
            "node",
            "node_modules/.bin/tsc",
            "--noEmit",
            "--strict",
            "--skipLibCheck",
            "check.ts",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT_S,
    )


def assert_port_types(work: Path) -> None:
    checked = type_check(work)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    operations = (work / "generated" / "operations.ts").read_text()
    assert "port: string" in operations
    schema_types = (work / "generated" / "schema-types.ts").read_text()
    assert "port: Scalars['Int']['input']" in schema_types
    assert "port: Scalars['String']['output']" in schema_types


def test_types_from_the_running_mock(project, tmp_path):
    with running_server(tmp_path) as server:
        generate(project, server.url, token=TOKEN)
        log = server.log_with("op=IntrospectionQuery")

    assert "op=IntrospectionQuery outcome=OK" in log
    assert_port_types(project)


def test_types_from_the_schema_file_and_a_number_port_fails_the_check(project):
    # One generation serves both halves.
    generate(project, str(default_schema_path()))
    assert_port_types(project)

    operations = project / "generated" / "operations.ts"
    operations.write_text(
        operations.read_text().replace("port: string", "port: number")
    )

    checked = type_check(project)

    assert checked.returncode != 0
    line = next(
        number
        for number, text in enumerate(
            (project / "check.ts").read_text().splitlines(), 1
        )
        if "resultPortIsString" in text
    )
    assert f"check.ts({line}," in checked.stdout, checked.stdout
