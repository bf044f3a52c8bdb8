"""The application factory: one SDL file in, one Starlette app out."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ariadne import make_executable_schema
from ariadne.explorer import ExplorerGraphiQL
from graphql import (
    GraphQLInputObjectType,
    GraphQLSchema,
    build_schema,
    get_named_type,
)
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from mock_server.domain.ids import IdFactory
from mock_server.errors import ConfigurationError
from mock_server.graphql.automock import AutoMocker
from mock_server.graphql.depth import MAX_DEPTH
from mock_server.graphql.example import example_operation
from mock_server.graphql.executor import Executor
from mock_server.graphql.forwarding import Router, Upstream, UpstreamOptions
from mock_server.graphql.operation_log import OperationRecorder
from mock_server.graphql.resolvers import bindables
from mock_server.graphql.sdl import (
    CREATE_MUTATION,
    default_schema_path,
    load_schema_sdl,
)
from mock_server.graphql.upstream_schema import fetch_schema, merge_schemas
from mock_server.stores import MemoryBackend
from mock_server.web.admin import AdminApi
from mock_server.web.endpoint import GraphQLEndpoint, is_page_request
from mock_server.web.middleware.access_log import AccessLogMiddleware
from mock_server.web.middleware.auth import BearerTokenMiddleware
from mock_server.web.middleware.cors import LocalCORSMiddleware, OriginPolicy
from mock_server.web.middleware.faults import Fault, FaultInjector, FaultMiddleware
from mock_server.web.middleware.hosts import AllowedHostsMiddleware, HostPolicy
from mock_server.web.sessions import DEFAULT_SESSION_HEADER, Sessions

if TYPE_CHECKING:
    from starlette.types import Scope

    from mock_server.stores import StoreBackend

GRAPHQL_PATH = "/graphql"
ADMIN_PREFIX = "/__mock/"
HEALTH_PATH = "/__mock/health"


def create_app(
    schema_path: Path | str | None = None,
    *,
    seed: int | None = None,
    token: str | None = None,
    cors_origins: Sequence[str] = (),
    allowed_hosts: Sequence[str] = (),
    admin: bool = True,
    store: StoreBackend | None = None,
    session_header: str = DEFAULT_SESSION_HEADER,
    faults: Sequence[Fault] = (),
    max_depth: int = MAX_DEPTH,
    compiled: bool = True,
    upstream: UpstreamOptions | None = None,
    record_operations: Path | None = None,
) -> Starlette:
    """Build the mock server.

    Args:
        schema_path: The SDL file; defaults to the packaged `schema.graphql`.
        seed: Makes ids, correlation ids and generated data reproducible.
        token: When set, requests need `Authorization: Bearer <token>`.
        cors_origins: Origins allowed by CORS besides the local ones
            (`http(s)://localhost`, `127.0.0.1`, `[::1]`, any port); `"*"`
            allows any origin on `/graphql`, never on the admin API (see
            `mock_server.web.middleware.cors`). Other origins get 403.
        allowed_hosts: `Host` names served besides `localhost`, `127.0.0.1`
            and `[::1]`; a leading dot allows a domain and its subdomains,
            `"*"` turns the check off (see `mock_server.web.middleware.hosts`).
            Other hosts get 403.
        admin: Whether to serve the `/__mock/` admin API (health is always on).
        store: Where senders live (see `stores.open_backend`); a fresh
            in-memory store by default. Closed when the app shuts down.
        session_header: Request header naming the caller's isolated session.
        faults: Fault-injection rules to start with (see
            `mock_server.web.middleware.faults`); `/__mock/faults` changes them
            at run time.
        max_depth: Deepest allowed query nesting (introspection exempt).
        compiled: Execute cached operations from compiled plans (see
            `mock_server.graphql._compiler.plans`); False runs graphql-core's
            `execute` instead.
        upstream: Serve the upstream API's other root fields too, forwarding
            them (see `mock_server.graphql.forwarding`); its schema is read
            by introspection here, once.
        record_operations: Append each distinct operation clients send to
            this JSON lines file (see `mock_server.graphql.operation_log`).

    Raises:
        SchemaLoadError: the SDL file is missing, invalid or incomplete.
        ConfigurationError: an option is invalid.

    Example:
        >>> app = create_app(seed=1, token="dev-token")
    """
    if token is not None and not token.strip():
        raise ConfigurationError("token must not be blank; omit it to disable auth")
    hosts = HostPolicy.from_options(allowed_hosts)
    origins = OriginPolicy.from_options(cors_origins, admin_prefix=ADMIN_PREFIX)
    path = Path(schema_path) if schema_path is not None else default_schema_path()
    sdl, plain_schema = load_schema_sdl(path)
    router = None
    if upstream is not None:
        sdl, plain_schema, router = _with_upstream(sdl, upstream)
    schema = make_executable_schema(sdl, *bindables(plain_schema))
    mocker = AutoMocker(seed)
    mocker.install(schema)

    record_ids = IdFactory(seed, stream="records")
    correlation_ids = IdFactory(seed, stream="correlation")
    backend = store or MemoryBackend()
    sessions = Sessions(backend, record_ids, session_header)
    executor = Executor(
        schema,
        max_depth=max_depth,
        sync_resolvers=(mocker.resolve,),
        dict_readers=(mocker.resolve,),
        compiled=compiled,
        router=router,
        recorder=None
        if record_operations is None
        else OperationRecorder(Path(record_operations), schema),
    )
    graphiql = ExplorerGraphiQL(
        title="SMTP custom email mock", default_query=example_operation(schema)
    ).html(None)
    endpoint = GraphQLEndpoint(executor, sessions, correlation_ids, graphiql or "")

    injector = FaultInjector(seed, list(faults))
    admin_api = AdminApi(
        sessions,
        _create_input_type(schema),
        restartable=(record_ids, correlation_ids),
        injector=injector,
    )
    routes = [Route(GRAPHQL_PATH, endpoint)]
    if admin:
        routes += admin_api.routes()
    else:
        routes += [r for r in admin_api.routes() if r.path == HEALTH_PATH]

    middleware = [
        Middleware(AccessLogMiddleware),
        Middleware(AllowedHostsMiddleware, policy=hosts),
        Middleware(
            LocalCORSMiddleware,
            policy=origins,
            expose_headers=["X-Correlation-Id"],
        ),
    ]
    if token is not None:
        middleware.append(
            Middleware(BearerTokenMiddleware, token=token, is_public=_is_public)
        )
    middleware.append(
        Middleware(
            FaultMiddleware,
            injector=injector,
            graphql_path=GRAPHQL_PATH,
            session_header=session_header,
        )
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await backend.close()
        if router is not None:
            await router.upstream.aclose()

    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def _with_upstream(
    sdl: str, options: UpstreamOptions
) -> tuple[str, GraphQLSchema, Router]:
    """The local SDL extended by the upstream's schema, and the router to it."""
    remote = fetch_schema(options.url, token=options.token, timeout=options.timeout)
    merged = merge_schemas(sdl, remote)
    upstream = Upstream(options.url, token=options.token, timeout=options.timeout)
    return merged.sdl, build_schema(merged.sdl), Router(upstream, merged.local_roots)


def _create_input_type(schema: GraphQLSchema) -> GraphQLInputObjectType:
    mutation = schema.mutation_type
    assert mutation is not None  # load_schema_sdl checked it
    input_type = get_named_type(mutation.fields[CREATE_MUTATION].args["input"].type)
    assert isinstance(input_type, GraphQLInputObjectType)
    return input_type


def _is_public(scope: Scope) -> bool:
    """Requests that need no token, as a browser or a probe must send them."""
    if scope["method"] == "OPTIONS" or scope["path"] == HEALTH_PATH:
        return True
    # GraphiQL itself sends the token with every operation it runs.
    return scope["path"] == GRAPHQL_PATH and is_page_request(scope)
