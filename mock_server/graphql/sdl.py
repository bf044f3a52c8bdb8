"""Loading the SDL contract and checking it has what the behaviour binds to."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from graphql import (
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    get_named_type,
    validate_schema,
)

from mock_server.errors import SchemaLoadError

MOCK_OPERATIONS_FILE = "mock_operations.graphql"
"""The mock-only operations' SDL, shipped beside `schema.graphql`."""

CREATE_MUTATION = "createSmtpCustomEmailWithConfiguration"
"""The documented mutation: the one field the schema must have."""

_REQUIRED_INPUT_FIELDS = ("senderName", "emailAddress", "smtpConfiguration")
_REQUIRED_CONFIGURATION_FIELDS = ("host", "port", "organizationId")


def default_schema_path() -> Path:
    """Return the `schema.graphql` that ships with the package.

    An installed wheel carries it inside `mock_server/`; an editable install
    reads the one at the repository root, so there is only one file to edit.
    """
    packaged = Path(str(resources.files("mock_server").joinpath("schema.graphql")))
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "schema.graphql"


def mock_operations_path() -> Path:
    """Return the packaged `mock_operations.graphql` (see `default_schema_path`).

    It extends the schema with the mock-only operations that no page of the
    API documents; `serve --mock-operations` adds it.
    """
    return default_schema_path().with_name(MOCK_OPERATIONS_FILE)


def load_schema_sdl(
    path: Path, *, extensions: tuple[Path, ...] = ()
) -> tuple[str, GraphQLSchema]:
    """Read and check an SDL file.

    Args:
        path: The `.graphql` file to load.
        extensions: SDL files appended to it (`extend type ...`).

    Returns:
        The SDL text and the schema built from it (without resolvers).

    Raises:
        SchemaLoadError: the file is missing or unreadable, is not valid SDL, or
            lacks the documented mutation and the input fields it binds to.
    """
    sdl = _read(path)
    for extension in extensions:
        sdl += "\n" + _read(extension)
    try:
        schema = build_schema(sdl)
    except (GraphQLError, TypeError) as exc:
        shown = ", ".join(str(p) for p in (path, *extensions))
        raise SchemaLoadError(
            path, f"not valid GraphQL SDL ({shown}): {_one_line(exc)}"
        ) from exc
    problems = validate_schema(schema)
    if problems:
        raise SchemaLoadError(path, f"not a valid schema: {problems[0].message}")
    _check_contract_types(path, schema)
    return sdl, schema


def _one_line(error: Exception) -> str:
    """The error in one line: graphql-core's text adds the source around it."""
    if not isinstance(error, GraphQLError):
        return " ".join(str(error).split())
    where = [f"line {at.line}, column {at.column}" for at in error.locations or ()]
    return f"{error.message} ({where[0]})" if where else error.message


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaLoadError(path, f"cannot read the file ({exc})") from exc


def _check_contract_types(path: Path, schema: GraphQLSchema) -> None:
    mutation = schema.mutation_type
    field = mutation.fields.get(CREATE_MUTATION) if mutation else None
    if field is None:
        raise SchemaLoadError(path, f"it has no Mutation.{CREATE_MUTATION} field")
    input_argument = field.args.get("input")
    input_type = get_named_type(input_argument.type) if input_argument else None
    if not isinstance(input_type, GraphQLInputObjectType):
        raise SchemaLoadError(
            path, f"Mutation.{CREATE_MUTATION} has no input object argument 'input'"
        )
    _require_fields(path, input_type, _REQUIRED_INPUT_FIELDS)
    configuration = get_named_type(input_type.fields["smtpConfiguration"].type)
    if not isinstance(configuration, GraphQLInputObjectType):
        raise SchemaLoadError(
            path, f"{input_type.name}.smtpConfiguration is not an input object"
        )
    _require_fields(path, configuration, _REQUIRED_CONFIGURATION_FIELDS)
    payload = get_named_type(field.type)
    if not isinstance(payload, GraphQLObjectType) or (
        "smtpCustomEmail" not in payload.fields
    ):
        raise SchemaLoadError(
            path, f"Mutation.{CREATE_MUTATION} must return a type with smtpCustomEmail"
        )


def _require_fields(
    path: Path, owner: GraphQLInputObjectType, names: tuple[str, ...]
) -> None:
    missing = [name for name in names if name not in owner.fields]
    if missing:
        raise SchemaLoadError(
            path, f"input {owner.name} lacks field(s) {', '.join(missing)}"
        )
