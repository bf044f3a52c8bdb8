"""`create_app(record_operations=...)`: the frontend's operations, recorded."""

from __future__ import annotations

import contextlib
import hashlib
import json

import httpx
import pytest
from graphql import parse, print_ast

from mock_server import create_app
from mock_server.graphql.operation_log import mask_literals
from tests.helpers import scenario_a

APOLLO_CREATE = """
mutation CreateSender($senderName: String!, $emailAddress: String!,
                      $smtpConfiguration: SmtpConfigurationInput) {
  createSmtpCustomEmailWithConfiguration(input: {
    senderName: $senderName, emailAddress: $emailAddress,
    smtpConfiguration: $smtpConfiguration
  }) {
    smtpCustomEmail { ...Sender __typename }
    __typename
  }
}
fragment Sender on SmtpCustomEmail { id emailAddress __typename }
"""
URQL_LIST = """query Senders($org: ID!) {
  smtpConfigurations(organizationId: $org) { nodes { id host __typename } }
}"""


pytestmark = pytest.mark.anyio


@contextlib.asynccontextmanager
async def recording(path):
    app = create_app(record_operations=path)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture
async def recorded(tmp_path):
    path = tmp_path / "ops" / "recorded.jsonl"
    async with recording(path) as client:
        yield client, path


def lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_each_distinct_operation_is_recorded_once_per_client(recorded):
    client, path = recorded
    apollo = {"apollographql-client-name": "web", "apollographql-client-version": "1.2"}
    for email in ("a@example.com", "b@example.com"):
        variables = scenario_a(emailAddress=email)
        await client.post(
            "/graphql",
            json={"query": APOLLO_CREATE, "variables": variables},
            headers=apollo,
        )
    for _ in range(2):
        await client.post(
            "/graphql",
            json={"query": URQL_LIST, "variables": {"org": "1"}},
            headers={"user-agent": "urql-test"},
        )

    first, second = lines(path)
    assert first["operationName"] == "CreateSender"
    assert first["operationType"] == "mutation"
    assert first["client"] == "web/1.2"
    assert first["variables"] == [
        {"name": "senderName", "type": "String!"},
        {"name": "emailAddress", "type": "String!"},
        {"name": "smtpConfiguration", "type": "SmtpConfigurationInput"},
    ]
    assert "Mutation.createSmtpCustomEmailWithConfiguration" in first["fields"]
    assert "SmtpCustomEmail.emailAddress" in first["fields"]
    assert "fragment Sender on SmtpCustomEmail" in first["document"]
    assert len(first["hash"]) == 64
    assert second["operationName"] == "Senders"
    assert second["client"] == "urql-test"
    assert second["fields"] == [
        "Query.smtpConfigurations",
        "SmtpConfiguration.host",
        "SmtpConfiguration.id",
        "SmtpConfigurationConnection.nodes",
    ]


async def test_variable_values_are_never_recorded(recorded):
    client, path = recorded
    variables = scenario_a(password="very-secret-pw-123", emailAddress="x@acme.example")
    await client.post("/graphql", json={"query": APOLLO_CREATE, "variables": variables})
    text = path.read_text()
    assert "very-secret-pw-123" not in text
    assert "x@acme.example" not in text
    assert "Acme Support" not in text


async def test_the_same_document_written_differently_is_one_operation(recorded):
    client, path = recorded
    await client.post("/graphql", json={"query": URQL_LIST, "variables": {"org": "1"}})
    squeezed = " ".join(URQL_LIST.split())
    await client.post("/graphql", json={"query": squeezed, "variables": {"org": "1"}})
    assert len(lines(path)) == 1


async def test_invalid_operations_are_not_recorded(recorded):
    client, path = recorded
    await client.post("/graphql", json={"query": "{ nope }"})
    await client.post("/graphql", json={"query": "{"})
    assert not path.exists() or lines(path) == []


async def test_a_restart_appends_no_duplicates(tmp_path):
    path = tmp_path / "recorded.jsonl"
    for _ in range(2):
        async with recording(path) as client:
            await client.post(
                "/graphql", json={"query": URQL_LIST, "variables": {"org": "1"}}
            )
    assert len(lines(path)) == 1


async def test_introspection_is_not_recorded(recorded):
    client, path = recorded
    await client.post("/graphql", json={"query": "{ __schema { types { name } } }"})
    assert not path.exists() or lines(path) == []


INLINE_CREATE = """mutation Inline {
  createSmtpCustomEmailWithConfiguration(input: {
    senderName: "Acme Support", emailAddress: "inline@acme.example",
    smtpConfiguration: {host: "smtp.acme.example", port: 2525,
      organizationId: "42", username: "ops", password: "not-a-real-password"}
  }) { smtpCustomEmail { id } }
}"""


async def test_literals_written_in_the_document_are_never_recorded(recorded):
    client, path = recorded
    response = await client.post("/graphql", json={"query": INLINE_CREATE})
    assert response.status_code == 200
    (record,) = lines(path)
    text = path.read_text()
    for literal in ("not-a-real-password", "inline@acme.example", "smtp.acme"):
        assert literal not in text
    # Numbers are checked in the document only: a hash or a time may hold them.
    assert "2525" not in record["document"]
    assert "42" not in record["document"]
    # Field names stay (the document is still valid and replayable).
    assert 'password: ""' in record["document"]
    assert "port: 0" in record["document"]
    assert record["hash"] == hashlib.sha256(record["document"].encode()).hexdigest()
    assert record["version"] == 2


async def test_documents_differing_only_in_literals_are_one_record(recorded):
    client, path = recorded
    for org in ("1", "2"):
        query = URQL_LIST.replace("$org: ID!", "").replace("$org", f'"{org}"')
        query = query.replace("query Senders()", "query Senders")
        await client.post("/graphql", json={"query": query})
    assert len(lines(path)) == 1


def test_mask_literals_masks_every_literal_and_keeps_the_shape():
    document = parse(
        'query Q($n: Int = 5, $f: [String] = ["a"]) {'
        ' a(s: "secret", b: """block""", i: 7, x: 1.5, l: [1, 2],'
        ' o: {k: "v", nested: {p: "w"}}, t: true, e: RED, z: null) }'
    )
    printed = " ".join(print_ast(mask_literals(document)).replace(",", " ").split())
    assert printed == (
        'query Q($n: Int = 0 $f: [String] = []) { a( s: "" b: "" i: 0 x: 0 l: [] '
        'o: {k: "" nested: {p: ""}} t: true e: RED z: null ) }'
    )
