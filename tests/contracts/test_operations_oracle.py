"""graphql-inspector's `validate` as the oracle for `operations check` (#17).

On the same documents and schemas, `operations check` must fail at least the
operations graphql-inspector finds invalid, and warn where it finds deprecated
usage.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from graphql import build_schema, print_ast

from contracts._mock import packaged_schema_path
from contracts.tools.operations import check_operations, read_sources
from contracts.tools.operations.check import with_fragments
from tests.contracts.test_operations import (
    DEFAULT_ARGUMENT,
    RELAY_OUT,
    TSX,
    USERNAME_OUT,
    changed_schema,
)

DOCUMENTS = {
    "one.graphql": (
        "query One($org: ID!) { smtpConfigurations(organizationId: $org) "
        "{ nodes { id username } } }"
    ),
    "list.graphql": (
        "query Defaults($org: ID!) { smtpConfigurations(organizationId: $org, "
        "defaultSmtp: true) { nodes { id host port ipRelayAuth } } }"
    ),
    "create.graphql": (
        "mutation Create($input: CreateSmtpCustomEmailWithConfigurationInput!) { "
        "createSmtpCustomEmailWithConfiguration(input: $input) { clientMutationId "
        "smtpCustomEmail { id senderName } } }"
    ),
    "delete.graphql": (
        'mutation { deleteSmtpConfiguration(input: {id: "x"}) { success } }'
    ),
}
VARIANTS = {
    "same": None,
    "field-removed": (USERNAME_OUT, ""),
    "argument-required": (
        DEFAULT_ARGUMENT,
        DEFAULT_ARGUMENT.replace("Boolean", "Boolean!"),
    ),
    "type-changed": (RELAY_OUT, RELAY_OUT.replace("Boolean!", "SmtpConfiguration!")),
    "query-removed": ("  smtpConfigurations(\n", "  smtpConfigurationList(\n"),
    "input-field-required": (
        "  clientMutationId: String\n",
        "  clientMutationId: String!\n",
    ),
    "deprecated": (
        USERNAME_OUT,
        USERNAME_OUT.replace("String", 'String @deprecated(reason: "gone soon")'),
    ),
}


def inspector(oracle, schema_sdl, documents):
    completed = subprocess.run(
        ["node", str(oracle / "validate.mjs")],
        input=json.dumps({"schema": schema_sdl, "documents": documents}),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return {doc["name"]: doc for doc in json.loads(completed.stdout)}


@pytest.mark.parametrize("variant", VARIANTS)
def test_check_fails_at_least_what_graphql_inspector_fails(
    drift_oracle, tmp_path, variant
):
    for name, text in DOCUMENTS.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "app.tsx").write_text(TSX)
    change = VARIANTS[variant]
    schema_path = (
        changed_schema(tmp_path, *change) if change else str(packaged_schema_path())
    )
    schema_sdl = Path(schema_path).read_text(encoding="utf-8")
    sources = read_sources([str(tmp_path)])
    ours = {v.name: v for v in check_operations(build_schema(schema_sdl), sources)}
    # The oracle sees exactly what we validate: each operation with its fragments.
    documents = [
        {
            "name": operation.name or "<anonymous>",
            "text": print_ast(with_fragments(operation, sources.fragments)),
        }
        for operation in sources.operations
    ]
    theirs = inspector(drift_oracle, schema_sdl, documents)

    for name, found in theirs.items():
        if found["errors"]:
            assert ours[name].broken, f"{variant}: inspector fails {name}: {found}"
        if found["deprecated"]:
            assert any(f.severity == "warning" for f in ours[name].findings), name
    # Where we fail an operation and the oracle does not, say so loudly.
    stricter = {n for n, v in ours.items() if v.broken} - {
        n for n, f in theirs.items() if f["errors"]
    }
    assert stricter == set(), f"{variant}: stricter than graphql-inspector: {stricter}"
    if change is not None and variant != "deprecated":
        assert any(v.broken for v in ours.values()), f"{variant} broke nothing"
