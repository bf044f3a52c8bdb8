from __future__ import annotations

from typing import Any

import pytest

from mock_server import SchemaLoadError, create_app, default_schema_path
from mock_server.graphql.sdl import load_schema_sdl, mock_operations_path

GUIDE_SDL = default_schema_path().read_text()


def test_packaged_schema_is_the_repository_root_file():
    path = default_schema_path()

    assert path.name == "schema.graphql"
    assert "createSmtpCustomEmailWithConfiguration" in path.read_text()


def test_packaged_schema_types_match_the_guide():
    _, schema = load_schema_sdl(default_schema_path())
    types: Any = schema.type_map

    configuration_input = types["SmtpConfigurationInput"]
    assert str(configuration_input.fields["port"].type) == "Int!"
    assert str(configuration_input.fields["organizationId"].type) == "ID!"
    assert str(configuration_input.fields["username"].type) == "String"
    assert str(configuration_input.fields["password"].type) == "String"
    relay = configuration_input.fields["ipRelayAuth"]
    assert str(relay.type) == "Boolean"
    assert relay.default_value is False
    output = types["SmtpConfiguration"]
    assert str(output.fields["port"].type) == "String!"
    assert "password" not in output.fields
    create_input = types["CreateSmtpCustomEmailWithConfigurationInput"]
    assert (
        str(create_input.fields["smtpConfiguration"].type) == "SmtpConfigurationInput"
    )
    assert str(create_input.fields["senderName"].type) == "String!"
    assert "clientMutationId" in create_input.fields


@pytest.mark.parametrize(
    ("sdl", "reason"),
    [
        ("type Query {", "not valid GraphQL SDL"),
        ("type Query { a: Missing }", "not valid GraphQL SDL"),
        (
            "type Query { a: String }",
            "no Mutation.createSmtpCustomEmailWithConfiguration",
        ),
        (
            "type Query { a: String } type Mutation { "
            "createSmtpCustomEmailWithConfiguration(x: Int): String }",
            "no input object argument 'input'",
        ),
        (
            GUIDE_SDL.replace(
                '  "Friendly display name for the sender."\n  senderName: String!\n', ""
            ),
            r"lacks field\(s\) senderName",
        ),
        (
            GUIDE_SDL.replace('  "SMTP server host."\n  host: String!\n', ""),
            r"lacks field\(s\) host",
        ),
        (
            GUIDE_SDL.replace(
                "smtpConfiguration: SmtpConfigurationInput\n",
                "smtpConfiguration: String\n",
            ),
            "smtpConfiguration is not an input object",
        ),
        (
            GUIDE_SDL.replace(
                "): CreateSmtpCustomEmailWithConfigurationPayload", "): String"
            ),
            "must return a type with smtpCustomEmail",
        ),
        (
            GUIDE_SDL.replace("  query: Query\n", "").replace(
                "type Query {", "type Other {"
            ),
            "not a valid schema",
        ),
    ],
)
def test_unusable_sdl_fails_fast_with_a_clear_message(tmp_path, sdl, reason):
    path = tmp_path / "broken.graphql"
    path.write_text(sdl)

    with pytest.raises(SchemaLoadError, match=reason) as caught:
        create_app(path)

    assert str(path) in str(caught.value)
    assert caught.value.path == path
    assert isinstance(caught.value, ValueError)
    assert "SchemaLoadError(path=" in repr(caught.value)


def test_missing_file_fails_fast(tmp_path):
    with pytest.raises(SchemaLoadError, match="cannot read the file"):
        create_app(tmp_path / "nope.graphql")


def test_non_utf8_file_fails_fast(tmp_path):
    path = tmp_path / "binary.graphql"
    path.write_bytes(b"\xff\xfe\x00")

    with pytest.raises(SchemaLoadError, match="cannot read the file"):
        create_app(path)


def test_minimal_schema_without_supporting_operations_serves(tmp_path):
    """A user's SDL with the guide's mutation alone: the family is optional."""
    # The root types rewritten: the guide's mutation and a query of its own.
    mutation = GUIDE_SDL.index("type Mutation {")
    types = GUIDE_SDL.index('"Arguments of `createSmtpCustomEmailWithConfiguration`')
    minimal = (
        GUIDE_SDL[:mutation]
        + "type Mutation {\n  createSmtpCustomEmailWithConfiguration(\n"
        "    input: CreateSmtpCustomEmailWithConfigurationInput!\n"
        "  ): CreateSmtpCustomEmailWithConfigurationPayload\n}\n"
        "type Query { ping: String }\n" + GUIDE_SDL[types:]
    )
    path = tmp_path / "minimal.graphql"
    path.write_text(minimal)

    _, schema = load_schema_sdl(path)

    assert schema.mutation_type is not None
    assert set(schema.mutation_type.fields) == {
        "createSmtpCustomEmailWithConfiguration"
    }
    assert schema.query_type is not None
    assert set(schema.query_type.fields) == {"ping"}
    create_app(path)


def test_mock_operations_are_served_only_when_asked_for():
    _, documented = load_schema_sdl(default_schema_path())
    _, extended = load_schema_sdl(
        default_schema_path(), extensions=(mock_operations_path(),)
    )

    assert documented.query_type is not None
    assert set(documented.query_type.fields) == {"smtpConfigurations"}
    assert extended.query_type is not None
    assert {"smtpCustomEmails", "smtpCustomEmail"} <= set(extended.query_type.fields)
    mock_only = extended.query_type.fields["smtpCustomEmail"].description or ""
    assert "MOCK ONLY" in mock_only
