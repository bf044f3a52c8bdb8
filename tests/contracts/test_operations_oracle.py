"""GraphQL Inspector's `validate` as the oracle for `operations check`.

On the same documents and schemas, `operations check` must fail at least the
operations graphql-inspector finds invalid, and warn where it finds deprecated
usage (#17). On the corpus of `test_operations_corpus.py`, Inspector 7.0.0's
own `validate` command (its own JS/TS loading; every case in one Node
process) must give each case the verdict its name states, except where the
spec sides with `operations check`: each of those cases is listed in
`DISAGREEMENTS` with the argument (#27).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from graphql import build_schema

from contracts._mock import packaged_schema_path
from contracts.tools.operations import check_operations, read_sources
from tests.contracts.test_operations import (
    DEFAULT_ARGUMENT,
    RELAY_OUT,
    TSX,
    USERNAME_OUT,
    changed_schema,
)
from tests.contracts.test_operations_corpus import (
    CASES,
    CORPUS,
    apollo,
    expected_exit_code,
    schema_of,
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
    # The oracle sees the same documents; it resolves fragments by name.
    documents = [
        {
            "name": ",".join(
                op.name.value if op.name else "<anonymous>" for op in doc.operations
            ),
            "text": doc.source.body,
        }
        for doc in sources.documents
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


OPERATIONS_ORACLE = Path(__file__).parents[1] / "js" / "operations-oracle"
# Where GraphQL Inspector 7.0.0 gives a corpus case the other verdict, and why
# `operations check` is right: by the spec (September 2025 edition), by
# ECMAScript, or by what Apollo Client sends.
DISAGREEMENTS = {
    "fail--executable-definitions.graphql": (
        "Executable Definitions: a document holding a type definition "
        "is invalid; Inspector's loader drops the definition unseen."
    ),
    "fail--fragments-must-be-used.graphql": (
        "Fragments Must Be Used; Inspector validates the operations "
        "with only the fragments they spread, so an unused one is never seen."
    ),
    "fail--interpolated-unused-fragment.ts": (
        "Fragments Must Be Used: graphql-tag appends every fragment "
        "of an interpolated document, so the server gets one it never uses."
    ),
    "fail--operation-type-existence-subscription.graphql": (
        "Operation Type Existence: the schema has no subscription "
        "type; graphql-js 16, under Inspector, lacks the rule (17 adds it)."
    ),
    "ok--fragment-defined-per-document": (
        "Fragment Name Uniqueness holds within a document: each "
        "file defines and sends its own Fields. Inspector calls the names not "
        "unique and validates one file with the other file's fragment."
    ),
    "ok--interpolation-with-braces-in-strings.ts": (
        "A `}` inside a string within `${...}` is the string's (ECMAScript "
        "template literals); Inspector's extraction fails to parse the file."
    ),
    "ok--apollo-client-directives.apollo.ts": (
        "Apollo Client (3.13, utilities/graphql/transform.js) drops the "
        "variable declarations its @client removal leaves unused before "
        "sending; Inspector's --apollo keeps them and reports them unused."
    ),
}


@pytest.fixture(scope="module")
def operations_oracle() -> Path:
    """GraphQL Inspector's CLI installed from its lock file."""
    from tests.js.npm import node_project

    return node_project(OPERATIONS_ORACLE, "to run graphql-inspector (the oracle)")


def inspector_arguments(case: Path, output: Path) -> list[str]:
    """`graphql-inspector validate` on one case, as a user would run it."""
    documents = f"{case}/*" if case.is_dir() else str(case)
    return [
        "validate",
        documents,
        str(schema_of(case)),
        *(["--apollo"] if apollo(case) else []),
        "--output",
        str(output),
    ]


@pytest.fixture(scope="module")
def inspector_verdicts(
    operations_oracle: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[int, str]]:
    """Inspector's exit code on every case, with what it said.

    Its own `validate` command runs every case in one Node process
    (`verdicts.cjs`: the CLI's loaders and options, a fresh parser per case):
    a CLI process per case cost 0.7 s of CPU each.
    """
    output = tmp_path_factory.mktemp("inspector") / "inspector.json"
    completed = subprocess.run(
        ["node", str(operations_oracle / "verdicts.cjs")],
        input=json.dumps([inspector_arguments(case, output) for case in CASES]),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    verdicts = json.loads(completed.stdout)
    return {
        case.name: (verdict["code"], verdict["said"])
        for case, verdict in zip(CASES, verdicts, strict=True)
    }


def test_one_process_gives_the_verdicts_of_the_cli_itself(
    operations_oracle, inspector_verdicts, tmp_path
):
    # The batch stands in for the CLI only while they agree: one case that
    # passes, one whose documents are invalid, one whose file fails to parse.
    for name in (
        "ok--gql-tag.ts",
        "fail--argument-names.graphql",
        "ok--interpolation-with-braces-in-strings.ts",
    ):
        case = CORPUS / name
        completed = subprocess.run(
            [
                str(operations_oracle / "node_modules" / ".bin" / "graphql-inspector"),
                *inspector_arguments(case, tmp_path / "inspector.json"),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert completed.returncode == inspector_verdicts[name][0], completed.stdout


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_inspector_gives_the_stated_verdict_except_where_the_spec_disagrees(
    inspector_verdicts, case
):
    code, said = inspector_verdicts[case.name]
    agrees = (code == 0) == (expected_exit_code(case) == 0)
    if case.name in DISAGREEMENTS:
        # The table stays true: a case Inspector comes to agree on leaves it.
        assert not agrees, f"Inspector now agrees on {case.name}: {said}"
    else:
        assert agrees, f"Inspector exits {code} on {case.name}:\n{said}"


def test_every_disagreement_is_a_corpus_case():
    names = {case.name for case in CASES}
    assert set(DISAGREEMENTS) <= names
