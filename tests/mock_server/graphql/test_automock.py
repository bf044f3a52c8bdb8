from __future__ import annotations

import uuid

import pytest

from contracts.documented import SCENARIO_A_VARIABLES
from mock_server import create_app, default_schema_path
from tests.helpers import create, created

pytestmark = pytest.mark.anyio

EXTENSION = """
extend type Query {
  auditLog(limit: Int): [AuditEntry!]!
  status: Status!
  search(term: String!): SearchResult
  thing: Thing
}
extend type SmtpCustomEmail { createdAt: String! verified: Boolean! }
enum Status { ACTIVE PAUSED }
type AuditEntry { id: ID! actor: String! count: Int! ratio: Float! at: DateTime }
scalar DateTime
interface Thing { id: ID! }
type Widget implements Thing { id: ID! size: Int! }
union SearchResult = AuditEntry | Widget
"""

QUERY = """{
  auditLog(limit: 3) { id actor count ratio at }
  status
  search(term: "x") { __typename ... on Widget { size } ... on AuditEntry { actor } }
  thing { __typename id }
}"""


def extended_app(tmp_path, seed=None, *, mock_operations=False):
    path = tmp_path / "schema.graphql"
    path.write_text(default_schema_path().read_text() + EXTENSION)
    return create_app(path, seed=seed, mock_operations=mock_operations)


async def run(client_for, app, query):
    async with client_for(app) as client:
        response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def test_unimplemented_fields_get_values_of_their_declared_type(
    tmp_path, client_for
):
    data = await run(client_for, extended_app(tmp_path), QUERY)

    assert len(data["auditLog"]) == 2
    entry = data["auditLog"][0]
    assert uuid.UUID(entry["id"]).version == 4
    assert isinstance(entry["actor"], str)
    assert isinstance(entry["count"], int)
    assert isinstance(entry["ratio"], float)
    assert isinstance(entry["at"], str)
    assert data["status"] in {"ACTIVE", "PAUSED"}
    assert data["search"]["__typename"] in {"AuditEntry", "Widget"}
    assert data["thing"]["__typename"] == "Widget"


async def test_generated_values_are_deterministic_and_follow_the_seed(
    tmp_path, client_for
):
    first = await run(client_for, extended_app(tmp_path), QUERY)
    again = await run(client_for, extended_app(tmp_path), QUERY)
    other_seed = await run(client_for, extended_app(tmp_path, seed=99), QUERY)

    assert first == again
    assert first != other_seed


async def test_new_fields_on_real_records_are_generated_per_record(
    tmp_path, client_for
):
    # Read back through the mock-only query, which returns the stored record.
    app = extended_app(tmp_path, seed=3, mock_operations=True)
    async with client_for(app) as client:
        sender = created(await create(client, SCENARIO_A_VARIABLES))
        query = (
            f'{{ smtpCustomEmail(id: "{sender["id"]}") '
            "{ id senderName createdAt verified } }"
        )
        first = (await client.post("/graphql", json={"query": query})).json()
        again = (await client.post("/graphql", json={"query": query})).json()

    record = first["data"]["smtpCustomEmail"]
    assert record["id"] == sender["id"]
    assert record["senderName"] == "Acme Support"
    assert isinstance(record["createdAt"], str)
    assert isinstance(record["verified"], bool)
    assert first == again


async def test_interface_without_implementations_is_null(tmp_path, client_for):
    path = tmp_path / "schema.graphql"
    path.write_text(
        default_schema_path().read_text()
        + "extend type Query { lonely: Lonely } interface Lonely { id: ID! }"
    )

    data = await run(client_for, create_app(path), "{ lonely { id } }")

    assert data == {"lonely": None}


async def test_graphiql_opens_on_a_mutation_derived_from_the_schema(
    tmp_path, client_for
):
    from mock_server.graphql.example import EXAMPLE_VARIABLES, example_operation
    from mock_server.graphql.sdl import load_schema_sdl

    app = extended_app(tmp_path)
    _, schema = load_schema_sdl(tmp_path / "schema.graphql")
    document = example_operation(schema)
    # The variables the page opens with run as they are.
    variables = EXAMPLE_VARIABLES
    async with client_for(app) as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        response = await client.post(
            "/graphql", json={"query": document, "variables": variables}
        )

    assert "createSmtpCustomEmailWithConfiguration" in page.text
    body = response.json()
    assert "errors" not in body, body
    sender = body["data"]["createSmtpCustomEmailWithConfiguration"]["smtpCustomEmail"]
    assert sender["smtpConfiguration"]["port"] == "25"
    assert isinstance(sender["createdAt"], str)  # the extension's field is selected
