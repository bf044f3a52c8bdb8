from __future__ import annotations

import pytest
from click.testing import CliRunner

from mock_server import __version__
from mock_server.cli import ServeSettings, main


@pytest.fixture
def runner():
    return CliRunner()


def test_serve_help_lists_every_option(runner):
    result = runner.invoke(main, ["serve", "-h"])

    assert result.exit_code == 0
    for option in (
        "--host",
        "--port",
        "--schema",
        "--token",
        "--seed",
        "--cors-origin",
        "--no-admin",
        "--log-level",
        "--store",
        "--workers",
        "--session-header",
        "--faults",
        "--no-compile",
        "--allowed-host",
        "--no-graphiql",
        "--watch",
        "--member-token",
        "--client",
        "--token-lifetime",
    ):
        assert option in result.output
    assert "SMTP_MOCK_" in result.output


def test_version(runner):
    result = runner.invoke(main, ["--version"])

    assert result.exit_code == 0
    assert __version__ in result.output


def test_missing_schema_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["serve", "--schema", str(tmp_path / "none.graphql")])

    assert result.exit_code == 2
    assert "Cannot load schema from" in result.output


def test_options_come_from_the_environment(runner, tmp_path):
    result = runner.invoke(
        main, ["serve"], env={"SMTP_MOCK_SCHEMA": str(tmp_path / "env.graphql")}
    )

    assert result.exit_code == 2
    assert "env.graphql" in result.output


def test_blank_token_is_a_usage_error(runner):
    result = runner.invoke(main, ["serve", "--token", " "])

    assert result.exit_code == 2
    assert "token must not be blank" in result.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--schema", "BAD_SDL"], "Expected ':', found '}'. (line 4, column 1)"),
        (["--workers", "2"], "--workers 2 needs a shared store"),
        (["--token", " "], "token must not be blank"),
        (["--limit", "tokens=many"], "--limit 'tokens=many': expected NAME=N"),
    ],
)
def test_start_up_errors_are_one_line_with_exit_code_2(
    runner, served, tmp_path, args, says
):
    sdl = tmp_path / "bad.graphql"
    sdl.write_text("type Query {\n  a: String\n  b\n}\n")
    args = [str(sdl) if arg == "BAD_SDL" else arg for arg in args]

    result = runner.invoke(main, ["serve", *args])

    assert result.exit_code == 2
    [line] = result.output.splitlines()
    assert line.startswith("Error: ")
    assert says in line
    assert served == []


def test_limits_come_from_options_and_the_environment(runner, served):
    import anyio
    import httpx

    query = "{ " + " ".join(f"a{i}: __typename" for i in range(1_500)) + " }"

    async def status(app) -> str:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport) as client:
            response = await client.post(
                "http://localhost/graphql", json={"query": query}
            )
            errors = response.json().get("errors")
            return errors[0]["extensions"]["code"] if errors else "OK"

    runner.invoke(main, ["serve"])
    runner.invoke(main, ["serve", "--limit", "tokens=5000"])
    runner.invoke(main, ["serve"], env={"SMTP_MOCK_LIMITS": "repeats=2 tokens=5000"})

    outcomes = [anyio.run(status, call["app"]) for call in served]
    assert outcomes == ["MAX_TOKENS_EXCEEDED", "OK", "OK"]


def test_invalid_port_is_a_usage_error(runner):
    result = runner.invoke(main, ["serve", "--port", "70000"])

    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("compiled", "graphiql", "watch"), [(True, False, True), (False, True, False)]
)
def test_worker_settings_survive_the_environment(
    monkeypatch, compiled, graphiql, watch
):
    settings = ServeSettings(
        schema=None,
        token="t",
        seed=3,
        cors_origins=("http://a.test",),
        admin=False,
        store="memory://",
        session_header="X-S",
        log_level="warning",
        compiled=compiled,
        allowed_hosts=("mock.internal", ".example.com"),
        graphiql=graphiql,
        watch=watch,
        member_tokens=("m1", "m2"),
        clients=("ci:s3:cret", "web:x"),
        token_lifetime=60,
        limits=("tokens=9000", "mutations=3"),
    )
    for name, value in settings.to_environment().items():
        monkeypatch.setenv(name, value)

    assert ServeSettings.from_environment() == settings


def test_log_timestamps_read_exactly_as_the_standard_formatter_writes_them():
    import logging

    from mock_server.cli import LOG_FORMAT, SecondCachingFormatter

    cached, standard = SecondCachingFormatter(LOG_FORMAT), logging.Formatter(LOG_FORMAT)
    for created in (1_700_000_000.0, 1_700_000_000.999, 1_700_000_001.0005, 5.25):
        record = logging.makeLogRecord({"msg": "line", "name": "mock_server"})
        record.created, record.msecs = created, (created - int(created)) * 1000
        assert cached.format(record) == standard.format(record)


def test_log_lines_read_exactly_as_the_standard_formatter_writes_them():
    import logging

    from mock_server.cli import LOG_FORMAT, SecondCachingFormatter
    from mock_server.web.middleware.access_log import ACCESS_FORMAT

    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        failure = sys.exc_info()
    records: list[dict[str, object]] = [
        {"msg": ACCESS_FORMAT, "args": ("POST", "/graphql", 200, "Op", "OK", 1.25)},
        {"msg": "with a traceback", "exc_info": failure},
        {"msg": "with a stack", "stack_info": "Stack (most recent call last)"},
    ]
    for fields in records:
        record = logging.makeLogRecord({"name": "mock_server.access", **fields})
        standard = logging.makeLogRecord({"name": "mock_server.access", **fields})
        standard.created, standard.msecs = record.created, record.msecs
        assert SecondCachingFormatter(LOG_FORMAT).format(record) == (
            logging.Formatter(LOG_FORMAT).format(standard)
        )
    other = SecondCachingFormatter("%(message)s!")
    assert other.format(logging.makeLogRecord({"msg": "hi"})) == "hi!"


@pytest.fixture
def own_log():
    """A process whose log nobody configured yet, as `serve` starts in."""
    import logging

    from mock_server.web.middleware.access_log import logger as access

    root = logging.getLogger()
    saved = (
        root.handlers[:],
        root.level,
        access.handlers[:],
        access.propagate,
        logging.logThreads,
        logging.logProcesses,
        logging.logMultiprocessing,
        logging._srcfile,
    )
    error_filters = logging.getLogger("uvicorn.error").filters[:]
    yield access
    (
        root.handlers,
        level,
        access.handlers,
        access.propagate,
        logging.logThreads,
        logging.logProcesses,
        logging.logMultiprocessing,
        logging._srcfile,
    ) = saved
    root.setLevel(level)
    logging.getLogger("uvicorn.error").filters = error_filters


def test_serve_writes_access_lines_from_a_thread_into_its_own_log(own_log):
    import logging

    from mock_server.serving import ServeSettings
    from mock_server.web.middleware.access_log import AccessLineWriter

    settings = ServeSettings(
        schema=None, token=None, seed=None, cors_origins=(), admin=True,
        store="memory://", session_header="X-S", log_level="info",
    )  # fmt: skip
    for _start in range(2):  # a second start in the process: still one writer
        logging.getLogger().handlers = []  # pytest's, attached for the test
        settings.configure_logging()

    [writer] = own_log.handlers
    assert isinstance(writer, AccessLineWriter)
    assert own_log.propagate is False


def test_start_up_objects_are_frozen_out_of_collections():
    import gc

    from mock_server.cli import freeze_startup_objects

    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


@pytest.fixture
def served(monkeypatch):
    """What `serve` hands to uvicorn, instead of serving it."""
    import uvicorn

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(
        uvicorn, "run", lambda app, **kw: calls.append(kw | {"app": app})
    )
    for name in (
        "SMTP_MOCK_TOKEN",
        "SMTP_MOCK_ALLOWED_HOSTS",
        "SMTP_MOCK_CORS_ORIGIN",
        "SMTP_MOCK_MEMBER_TOKEN",
        "SMTP_MOCK_CLIENTS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("mock_server.cli.freeze_startup_objects", lambda: None)
    return calls


def host_status(app, host: str) -> int:
    import anyio
    import httpx

    async def get() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport) as client:
            response = await client.get(f"http://{host}/__mock/health")
            return response.status_code

    return anyio.run(get)


def test_a_network_bind_without_a_token_warns_once(runner, served):
    result = runner.invoke(main, ["serve", "--host", "0.0.0.0"])

    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.output.splitlines() if "WARNING" in line]
    assert "0.0.0.0 without a token" in warning
    assert "SMTP_MOCK_TOKEN" in warning


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--host", "0.0.0.0", "--token", "t0k"], {}),
        (["--host", "0.0.0.0"], {"SMTP_MOCK_TOKEN": "t0k"}),
        (["--host", "127.0.0.1"], {}),
        (["--host", "::1"], {}),
        (["--host", "localhost"], {}),
    ],
)
def test_a_token_or_a_loopback_bind_is_quiet(runner, served, args, env):
    result = runner.invoke(main, ["serve", *args], env=env)

    assert result.exit_code == 0, result.output
    assert "WARNING" not in result.output
    assert "t0k" not in result.output


def test_allowed_hosts_come_from_options_and_the_environment(runner, served):
    result = runner.invoke(
        main,
        ["serve", "--allowed-host", "a.internal", "--allowed-host", ".b.internal"],
    )
    from_env = runner.invoke(
        main, ["serve"], env={"SMTP_MOCK_ALLOWED_HOSTS": "a.internal .b.internal"}
    )

    assert result.exit_code == from_env.exit_code == 0
    for call in served:
        assert host_status(call["app"], "a.internal") == 200
        assert host_status(call["app"], "x.b.internal:4000") == 200
        assert host_status(call["app"], "evil.example") == 403


def test_the_bound_address_is_served(runner, served):
    result = runner.invoke(main, ["serve", "--host", "127.0.0.2", "--port", "4001"])

    assert result.exit_code == 0, result.output
    assert host_status(served[0]["app"], "127.0.0.2:4001") == 200
    assert host_status(served[0]["app"], "127.0.0.3:4001") == 403


def test_star_turns_the_host_check_off_and_says_so(runner, served):
    result = runner.invoke(main, ["serve", "--allowed-host", "*"])

    assert result.exit_code == 0, result.output
    assert "Host check off" in result.output
    assert host_status(served[0]["app"], "evil.example") == 200


def test_a_bad_allowed_host_is_a_usage_error(runner, served):
    result = runner.invoke(main, ["serve", "--allowed-host", "http://x.example"])

    assert result.exit_code == 2
    assert "--allowed-host 'http://x.example' is not a host name" in result.output
    assert served == []


def test_settings_reprs_hide_tokens_and_secrets():
    settings = ServeSettings(
        schema=None,
        token="adm1n-t0k",
        seed=None,
        cors_origins=(),
        admin=True,
        store="memory://",
        session_header="X-S",
        log_level="info",
        member_tokens=("m3mber-t0k",),
        clients=("ci:s3cret-value",),
    )

    for secret in ("adm1n-t0k", "m3mber-t0k", "s3cret-value"):
        assert secret not in repr(settings)


def token_status(app, token: str | None, *, grant: dict[str, str] | None = None):
    """The status of a query sent with `token`, or with one `grant` fetched."""
    import anyio
    import httpx

    async def post() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://localhost"
        ) as client:
            bearer = token
            if grant is not None:
                issued = await client.post("/oauth/token", json=grant)
                bearer = issued.json()["access_token"]
            headers = {} if bearer is None else {"authorization": f"Bearer {bearer}"}
            response = await client.post(
                "/graphql", json={"query": "{ __typename }"}, headers=headers
            )
            return response.status_code

    return anyio.run(post)


def test_member_tokens_and_clients_come_from_options_and_the_environment(
    runner, served
):
    grant = {
        "grant_type": "client_credentials",
        "client_id": "ci",
        "client_secret": "s3c:ret",
    }
    options = runner.invoke(
        main, ["serve", "--member-token", "m-t0k", "--client", "ci:s3c:ret"]
    )
    env = runner.invoke(
        main,
        ["serve"],
        env={
            "SMTP_MOCK_MEMBER_TOKEN": "m-t0k",
            "SMTP_MOCK_CLIENTS": "web:w,ci:s3c:ret,",
        },
    )

    for result in (options, env):
        assert result.exit_code == 0, result.output
        assert "auth on" in result.output
        assert "get tokens from http://127.0.0.1:4000/oauth/token" in result.output
        assert "s3c" not in result.output
        assert "m-t0k" not in result.output
    for call in served:
        assert token_status(call["app"], None) == 401
        assert token_status(call["app"], "m-t0k") == 200
        assert token_status(call["app"], None, grant=grant) == 200


def test_clients_with_several_workers_are_a_usage_error(runner, served):
    result = runner.invoke(
        main,
        ["serve", "--client", "ci:s3cret", "--workers", "2", "--store", "sqlite:///x"],
    )

    assert result.exit_code == 2
    assert "--workers 1 with --client" in result.output
    assert "s3cret" not in result.output
    assert served == []


@pytest.mark.parametrize("value", ["no-colon", ":s3cret", "ci:"])
def test_a_bad_client_is_a_usage_error_that_quotes_no_secret(runner, served, value):
    result = runner.invoke(main, ["serve", "--client", value])

    assert result.exit_code == 2
    assert "must be ID:SECRET" in result.output
    assert "s3cret" not in result.output
    assert served == []


def test_a_network_bind_with_only_clients_is_quiet(runner, served):
    result = runner.invoke(main, ["serve", "--host", "0.0.0.0", "--client", "ci:s"])

    assert result.exit_code == 0, result.output
    assert "WARNING" not in result.output
