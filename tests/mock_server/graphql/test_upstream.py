"""`create_app(upstream=...)`: the real API behind the mock."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLSchema,
    build_client_schema,
    build_schema,
    get_introspection_query,
    graphql_sync,
)

from mock_server import create_app, default_schema_path
from mock_server.graphql.forwarding import UPSTREAM_UNAVAILABLE, UpstreamOptions
from mock_server.graphql.upstream_schema import UpstreamError, merge_schemas
from tests.helpers import scenario_b
from tests.upstream_api import UPSTREAM_SDL, serve_upstream

pytestmark = pytest.mark.anyio

LOCAL_SDL = default_schema_path().read_text(encoding="utf-8")
TOKEN = "upstream-secret-token-42"
CREATE = """
mutation Create($input: CreateSmtpCustomEmailWithConfigurationInput!) {
  createSmtpCustomEmailWithConfiguration(input: $input) {
    smtpCustomEmail { id archived smtpConfiguration { port } }
  }
}
"""


@pytest.fixture(scope="module")
def upstream():
    with serve_upstream() as running:
        yield running


@contextlib.asynccontextmanager
async def open_client(app):
    """A client of the app, with its lifespan run (which closes the upstream)."""
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c,
    ):
        yield c


@pytest.fixture
async def client(upstream):
    app = create_app(seed=1, upstream=UpstreamOptions(upstream.url, token=TOKEN))
    async with open_client(app) as c:
        yield c


async def post(client, query, variables=None, **headers):
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    response = await client.post("/graphql", json=body, headers=headers)
    return response.status_code, response.json()


def _input():
    variables = scenario_b()
    return {
        "senderName": variables["senderName"],
        "emailAddress": variables["emailAddress"],
        "smtpConfiguration": variables["smtpConfiguration"],
    }


def upstream_schema(sdl: str = UPSTREAM_SDL) -> GraphQLSchema:
    introspection: Any = graphql_sync(build_schema(sdl), get_introspection_query()).data
    return build_client_schema(introspection)


def merged(sdl: str = UPSTREAM_SDL) -> Any:
    return build_schema(merge_schemas(LOCAL_SDL, upstream_schema(sdl)).sdl)


def test_merge_keeps_local_definitions_and_adds_the_upstreams():
    schema = merged()

    assert {"organization", "me", "smtpConfigurations"} <= set(schema.query_type.fields)
    assert "renameOrganization" in schema.mutation_type.fields
    sender = schema.get_type("SmtpCustomEmail")
    # Local fields win (id stays ID!), the upstream's extra field joins.
    assert {"id", "emailAddress", "archived"} <= set(sender.fields)


def test_local_root_fields_are_the_ones_the_local_sdl_defines():
    roots = merge_schemas(LOCAL_SDL, upstream_schema()).local_roots
    assert "createSmtpCustomEmailWithConfiguration" in roots["mutation"]
    assert "organization" not in roots["query"]


def test_a_type_of_another_kind_upstream_is_a_conflict_naming_it():
    sdl = UPSTREAM_SDL + "\nenum SmtpConfiguration { A B }\n"
    with pytest.raises(UpstreamError, match="type SmtpConfiguration is an object"):
        merge_schemas(LOCAL_SDL, upstream_schema(sdl))


def test_upstream_root_types_with_other_names_join_the_local_ones():
    sdl = (
        "schema { query: RootQuery }\n"
        "type RootQuery { hello: String, again: RootQuery }\n"
    )
    schema = merged(sdl)
    assert schema.query_type.name == "Query"
    assert {"hello", "again"} <= set(schema.query_type.fields)
    assert str(schema.query_type.fields["again"].type) == "Query"


async def test_one_operation_mixing_local_and_upstream_fields(client, upstream):
    query = """
    query Mixed($org: ID!, $first: Int) {
      senders: smtpConfigurations(organizationId: $org) { nodes { id } }
      org: organization(id: $org) { ...OrgFields members(first: $first) { id } }
      me { email }
    }
    fragment OrgFields on Organization { id name }
    """
    status, body = await post(client, query, {"org": "42", "first": 1})

    assert status == 200
    assert "errors" not in body
    assert list(body["data"]) == ["senders", "org", "me"]
    assert body["data"]["senders"] == {"nodes": []}
    assert body["data"]["org"] == {
        "id": "42",
        "name": "Org 42",
        "members": [{"id": "42-u0"}],
    }
    assert body["data"]["me"] == {"email": "me@example.com"}
    sent = upstream.seen.requests[-1]
    # Only the forwarded fields, with the fragments and variables they use.
    assert "smtpConfigurations" not in sent["query"]
    assert "fragment OrgFields" in sent["query"]
    assert sent["variables"] == {"org": "42", "first": 1}
    assert sent["operationName"] == "Mixed"


async def test_upstream_errors_come_back_unchanged_at_their_path(client):
    status, body = await post(client, '{ organization(id: "7") { id auditLog } }')

    assert status == 200
    assert body["data"] == {"organization": {"id": "7", "auditLog": None}}
    [error] = body["errors"]
    assert error["path"] == ["organization", "auditLog"]
    assert error["message"] == "audit log is restricted"
    assert error["extensions"] == {"code": "FORBIDDEN"}


async def test_the_documented_mutation_stays_local(client, upstream):
    before = len(upstream.seen.requests)
    status, body = await post(client, CREATE, {"input": _input()})

    assert status == 200, body
    created = body["data"]["createSmtpCustomEmailWithConfiguration"]["smtpCustomEmail"]
    assert created["smtpConfiguration"]["port"] == "25"
    assert len(upstream.seen.requests) == before


async def test_the_upstream_token_is_sent_and_never_logged(client, upstream, caplog):
    caplog.set_level(logging.DEBUG)
    await post(client, "{ me { id } }", Authorization="Bearer caller-token")

    assert upstream.seen.headers[-1]["authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in caplog.text


async def test_without_an_upstream_token_the_callers_own_is_passed_through(upstream):
    app = create_app(upstream=UpstreamOptions(upstream.url))
    async with open_client(app) as client:
        await post(client, "{ me { id } }", Authorization="Bearer caller-token")
    assert upstream.seen.headers[-1]["authorization"] == "Bearer caller-token"


async def test_introspection_shows_the_merged_schema(client):
    status, body = await post(client, "{ __schema { queryType { fields { name } } } }")
    assert status == 200
    names = {f["name"] for f in body["data"]["__schema"]["queryType"]["fields"]}
    assert {"organization", "me", "smtpConfigurations"} <= names


async def test_variables_that_do_not_fit_get_the_usual_request_error(client, upstream):
    before = len(upstream.seen.requests)
    status, body = await post(
        client, "query Q($id: ID!) { organization(id: $id) { id } }", {}
    )
    assert status == 200
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert len(upstream.seen.requests) == before


async def test_an_upstream_down_nulls_its_fields_and_the_local_ones_answer(caplog):
    with serve_upstream() as running:
        app = create_app(upstream=UpstreamOptions(running.url, token=TOKEN))
    # The upstream has stopped: the schema was read, the forwarding fails.
    caplog.set_level(logging.WARNING)
    async with open_client(app) as client:
        status, body = await post(
            client,
            '{ organization(id: "1") { id } smtpConfigurations(organizationId: "1") '
            "{ nodes { id } } }",
        )
    assert status == 200
    assert body["data"] == {
        "organization": None,
        "smtpConfigurations": {"nodes": []},
    }
    [error] = body["errors"]
    assert error["path"] == ["organization"]
    assert error["extensions"]["code"] == UPSTREAM_UNAVAILABLE
    assert "Traceback" not in caplog.text
    assert [r for r in caplog.records if r.name == "mock_server.upstream"]
    assert TOKEN not in caplog.text


async def test_a_non_null_upstream_field_that_fails_nulls_the_data():
    with serve_upstream() as running:
        app = create_app(upstream=UpstreamOptions(running.url))
    async with open_client(app) as client:
        status, body = await post(client, "{ me { id } }")
    assert status == 200
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == UPSTREAM_UNAVAILABLE


async def test_an_upstream_answering_html_is_unavailable():
    with serve_upstream(mode="html") as running:
        app = create_app(upstream=UpstreamOptions(running.url))
        async with open_client(app) as client:
            status, body = await post(client, '{ organization(id: "1") { id } }')
    assert status == 200
    assert body["data"] == {"organization": None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == UPSTREAM_UNAVAILABLE
    assert "HTTP 502 without JSON" in error["message"]


async def test_a_slow_upstream_is_unavailable_after_the_timeout(upstream):
    # The same timeout covers the introspection at start: 1 s leaves it room on
    # a loaded machine (0.3 s did not, once, under CI) and is still half of
    # the 2 s the slow field takes.
    app = create_app(upstream=UpstreamOptions(upstream.url, timeout=1.0))
    async with open_client(app) as client:
        status, body = await post(client, "{ slow me { id } }")
    assert status == 200
    assert body["data"] is None or body["data"]["slow"] is None
    assert body["errors"][0]["extensions"]["code"] == UPSTREAM_UNAVAILABLE
    assert "did not answer in time" in body["errors"][0]["message"]


def test_an_unreachable_upstream_at_start_is_a_configuration_error():
    with serve_upstream() as running:
        url = running.url
    with pytest.raises(UpstreamError, match="cannot be reached"):
        create_app(upstream=UpstreamOptions(url, token=TOKEN))


def test_serve_stops_with_exit_2_naming_a_conflict():
    from click.testing import CliRunner

    from mock_server.cli import main

    sdl = UPSTREAM_SDL + "\nenum SmtpConfiguration { A B }\n"
    with serve_upstream(sdl) as running:
        result = CliRunner().invoke(main, ["serve", "--upstream", running.url])
    assert result.exit_code == 2
    assert "type SmtpConfiguration is an object type in the local SDL" in result.output
