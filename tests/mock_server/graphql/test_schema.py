from __future__ import annotations

from typing import Any

import pytest

from mock_server import SchemaLoadError, create_app, default_schema_path
from mock_server.graphql.sdl import load_schema_sdl

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
    minimal = GUIDE_SDL.split('  """\n  NOT FROM THE GUIDE')[0] + "}\n"
    minimal += (
        "type Query { ping: String }\n"
        + GUIDE_SDL.split("type Query {")[1].split("}\n", 1)[1]
    )
    path = tmp_path / "minimal.graphql"
    path.write_text(minimal)

    _, schema = load_schema_sdl(path)

    assert schema.mutation_type is not None
    assert "deleteSmtpCustomEmail" not in schema.mutation_type.fields
    create_app(path)
