"""The application factory: one SDL file in, one Starlette app out."""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ariadne import make_executable_schema
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
from mock_server.domain.profile import DEFAULT_PROFILE, BehaviourProfile, IdCase
from mock_server.errors import ConfigurationError
from mock_server.graphql.automock import AutoMocker
from mock_server.graphql.error_format import unauthenticated_body
from mock_server.graphql.example import EXAMPLE_VARIABLES, example_operation
from mock_server.graphql.executor import Executor
from mock_server.graphql.forwarding import Router, Upstream, UpstreamOptions
from mock_server.graphql.operation_log import OperationRecorder
from mock_server.graphql.resolvers import bindables
from mock_server.graphql.sdl import (
    CREATE_MUTATION,
    default_schema_path,
    load_schema_sdl,
    mock_operations_path,
)
from mock_server.graphql.upstream_schema import fetch_schema, merge_schemas
from mock_server.stores import MemoryBackend
from mock_server.stores.base import SharedSettings
from mock_server.watch import watching
from mock_server.web.admin import AdminApi, admin_disabled
from mock_server.web.endpoint import GraphQLEndpoint, is_page_request
from mock_server.web.graphiql_page import ASSETS_URL, GraphiQLAssets, graphiql_html
from mock_server.web.middleware.auth import AcceptedTokens
from mock_server.web.middleware.cors import OriginPolicy
from mock_server.web.middleware.faults import Fault, FaultInjector, FaultMiddleware
from mock_server.web.middleware.gate import RequestGate
from mock_server.web.middleware.hosts import HostPolicy
from mock_server.web.middleware.shared_faults import SharedFaults
from mock_server.web.oauth import TOKEN_PATH, TokenEndpoint
from mock_server.web.service_accounts import ServiceAccounts
from mock_server.web.sessions import DEFAULT_SESSION_HEADER, Sessions

if TYPE_CHECKING:
    from starlette.types import Scope

    from mock_server.graphql.limits import RequestLimits
    from mock_server.stores import StoreBackend

GRAPHQL_PATH = "/graphql"
ADMIN_PREFIX = "/__mock/"
HEALTH_PATH = "/__mock/health"
_AUTH_HEADERS_TEMPLATE = '{\n  "Authorization": "Bearer <your --token>"\n}'


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
    max_depth: int | None = None,
    limits: RequestLimits | None = None,
    compiled: bool = True,
    upstream: UpstreamOptions | None = None,
    record_operations: Path | None = None,
    graphiql: bool = True,
    graphiql_assets: GraphiQLAssets | None = None,
    watch: bool = False,
    mock_operations: bool = False,
    profile: BehaviourProfile = DEFAULT_PROFILE,
    member_tokens: Sequence[str] = (),
    clients: Mapping[str, str] | ServiceAccounts | None = None,
) -> Starlette:
    """Build the mock server.

    Args:
        schema_path: The SDL file; defaults to the packaged `schema.graphql`.
        seed: Makes ids, correlation ids and generated data reproducible.
        token: When set, requests need `Authorization: Bearer <token>`; it
            has manage access to the organization's SMTP configurations.
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
        max_depth: Deepest allowed query nesting (introspection exempt);
            overrides the profile's `max_depth`, which is where the limits
            of the whole API live (`max_complexity` too).
        limits: The mock's own limits on one request: tokens, directives,
            repeated selections, mutations (see `mock_server.graphql.limits`).
        compiled: Execute cached operations from compiled plans (see
            `mock_server.graphql._compiler.plans`); False runs graphql-core's
            `execute` instead.
        upstream: Serve the upstream API's other root fields too, forwarding
            them (see `mock_server.graphql.forwarding`); its schema is read
            by introspection here, once.
        record_operations: Append each distinct operation clients send to
            this JSON lines file (see `mock_server.graphql.operation_log`).
        graphiql: Whether browsers that open `/graphql` get GraphiQL.
        graphiql_assets: Where GraphiQL's own files are; the packaged copy
            by default (the page falls back to a CDN when it is empty).
        watch: Rebuild the schema whenever the SDL file is saved, keeping
            the state; a file that does not load keeps the last good schema.
        mock_operations: Also serve the operations of the packaged
            `mock_operations.graphql`, which the real API does not document
            (a sender list, read-back by id and a sender delete).
        profile: The choices the rules make where the guide is silent (see
            `mock_server.domain.profile`); `GET /__mock/profile` shows it.
        member_tokens: Tokens of organization members without manage access:
            their update and delete get a permission error, their list is
            empty, their create is the profile's `member_create` choice.
        clients: Service accounts (secrets by client id, or a
            `ServiceAccounts` with its own token lifetime and clock) that get
            tokens from `POST /oauth/token` (see `mock_server.web.oauth`).

        With any of `token`, `member_tokens` or `clients`, every request but
        the public ones (health, preflights, the GraphiQL page, the token
        endpoint) needs one of those tokens, or one issued to a client.

    Raises:
        SchemaLoadError: the SDL file is missing, invalid or incomplete.
        ConfigurationError: an option is invalid.

    Example:
        >>> app = create_app(seed=1, token="dev-token")
    """
    if token is not None and not token.strip():
        raise ConfigurationError("token must not be blank; omit it to disable auth")
    accounts = _service_accounts(clients)
    tokens = (
        None
        if token is None and not member_tokens and accounts is None
        else AcceptedTokens(token, member_tokens, accounts)
    )
    hosts = HostPolicy.from_options(allowed_hosts)
    origins = OriginPolicy.from_options(cors_origins, admin_prefix=ADMIN_PREFIX)
    path = Path(schema_path) if schema_path is not None else default_schema_path()
    remote = _remote_schema(upstream)
    mocker = AutoMocker(seed)
    extensions = (mock_operations_path(),) if mock_operations else ()
    schema, local_roots = _executable_schema(path, mocker, remote, extensions)
    router = _router(upstream, local_roots)

    record_ids = IdFactory(
        seed,
        stream="records",
        version=profile.id_version,
        upper=profile.id_case is IdCase.UPPER,
    )
    correlation_ids = IdFactory(seed, stream="correlation")
    secret_ids = IdFactory(seed, stream="secrets")
    backend = store or MemoryBackend()
    sessions = Sessions(backend, record_ids, session_header, profile, secret_ids)
    executor = Executor(
        schema,
        max_depth=profile.max_depth if max_depth is None else max_depth,
        max_complexity=profile.max_complexity,
        limits=limits,
        sync_resolvers=(mocker.resolve,),
        dict_readers=(mocker.resolve,),
        compiled=compiled,
        router=router,
        recorder=_recorder(record_operations, schema),
    )
    assets = graphiql_assets or GraphiQLAssets()

    def page_for(schema: GraphQLSchema) -> str | None:
        if not graphiql:
            return None
        return graphiql_html(
            assets,
            query=example_operation(schema),
            variables=json.dumps(EXAMPLE_VARIABLES, indent=2),
            headers=_AUTH_HEADERS_TEMPLATE if tokens is not None else "",
        )

    endpoint = GraphQLEndpoint(
        executor,
        sessions,
        correlation_ids,
        page_for(schema),
        request_error_status=profile.request_error_status,
    )

    injector = FaultInjector(seed, list(faults))
    # Several workers share a SQLite or Redis store: the rules live there too.
    shared = (
        SharedFaults(injector, backend) if isinstance(backend, SharedSettings) else None
    )
    admin_api = AdminApi(
        sessions,
        _create_input_type(schema),
        restartable=(record_ids, correlation_ids, secret_ids),
        injector=injector,
        shared=shared,
    )
    routes = [
        Route(GRAPHQL_PATH, endpoint),
        *([] if accounts is None else [Route(TOKEN_PATH, TokenEndpoint(accounts))]),
        *(assets.routes() if graphiql else []),
        *_admin_routes(admin_api, admin=admin),
    ]

    middleware = [
        Middleware(
            RequestGate,
            hosts=hosts,
            origins=origins,
            expose_headers=["X-Correlation-Id"],
            tokens=tokens,
            is_public=_is_public if graphiql else _is_public_without_page,
            unauthorized=unauthenticated_body(profile),
            faults=functools.partial(
                FaultMiddleware,
                injector=injector,
                graphql_path=GRAPHQL_PATH,
                session_header=session_header,
                correlation_ids=correlation_ids,
                max_tokens=executor.limits.tokens,
                refresh=None if shared is None else shared.refresh,
            ),
            direct={GRAPHQL_PATH: endpoint},
        )
    ]

    def reload() -> None:
        new_schema, new_roots = _executable_schema(path, mocker, remote, extensions)
        if router is not None:
            router.use_local_roots(new_roots)
        executor.use_schema(new_schema)
        endpoint.use_page(page_for(new_schema))
        admin_api.use_seed_type(_create_input_type(new_schema))

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            if shared is not None:
                # A start is a fresh start, as with the memory store: the rules
                # are the ones given now, not those left by an earlier run.
                await shared.publish(list(faults))
            if watch:
                await stack.enter_async_context(watching(path, reload))
            yield
        await backend.close()
        if router is not None:
            await router.upstream.aclose()

    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def _admin_routes(admin_api: AdminApi, *, admin: bool) -> list[Route]:
    """The admin API, or only its health check without `admin`."""
    if admin:
        return admin_api.routes()
    health = [r for r in admin_api.routes() if r.path == HEALTH_PATH]
    every = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
    return [
        *health,
        Route(f"{ADMIN_PREFIX}{{path:path}}", admin_disabled, methods=every),
    ]


def _service_accounts(
    clients: Mapping[str, str] | ServiceAccounts | None,
) -> ServiceAccounts | None:
    if clients is None or isinstance(clients, ServiceAccounts):
        return clients
    return ServiceAccounts(clients) if clients else None


def _remote_schema(upstream: UpstreamOptions | None) -> GraphQLSchema | None:
    """The upstream's schema, read once at start (`serve --upstream`)."""
    if upstream is None:
        return None
    return fetch_schema(upstream.url, token=upstream.token, timeout=upstream.timeout)


def _router(
    upstream: UpstreamOptions | None, local_roots: dict[str, frozenset[str]]
) -> Router | None:
    if upstream is None:
        return None
    client = Upstream(upstream.url, token=upstream.token, timeout=upstream.timeout)
    return Router(client, local_roots)


def _recorder(path: Path | None, schema: GraphQLSchema) -> OperationRecorder | None:
    return None if path is None else OperationRecorder(Path(path), schema)


def _executable_schema(
    path: Path,
    mocker: AutoMocker,
    remote: GraphQLSchema | None,
    extensions: tuple[Path, ...] = (),
) -> tuple[GraphQLSchema, dict[str, frozenset[str]]]:
    """The schema served, and the root fields it resolves itself.

    With an upstream (`remote`), the local SDL extends the upstream's schema.
    """
    sdl, plain_schema = load_schema_sdl(path, extensions=extensions)
    local_roots: dict[str, frozenset[str]] = {}
    if remote is not None:
        merged = merge_schemas(sdl, remote)
        sdl, plain_schema = merged.sdl, build_schema(merged.sdl)
        local_roots = merged.local_roots
    schema = make_executable_schema(sdl, *bindables(plain_schema))
    mocker.install(schema)
    return schema, local_roots


def _create_input_type(schema: GraphQLSchema) -> GraphQLInputObjectType:
    mutation = schema.mutation_type
    assert mutation is not None  # load_schema_sdl checked it
    input_type = get_named_type(mutation.fields[CREATE_MUTATION].args["input"].type)
    assert isinstance(input_type, GraphQLInputObjectType)
    return input_type


def _is_public_without_page(scope: Scope) -> bool:
    """Requests that need no token, as a probe or a preflight must send them.

    The token endpoint too: a service account has no token before it asks
    (and without service accounts that path is not found, as any other).
    """
    return bool(
        scope["method"] == "OPTIONS" or scope["path"] in (HEALTH_PATH, TOKEN_PATH)
    )


def _is_public(scope: Scope) -> bool:
    """Those, plus the GraphiQL page and its files, which a browser loads bare.

    GraphiQL itself sends the token with every operation it runs.
    """
    if _is_public_without_page(scope) or scope["path"].startswith(ASSETS_URL):
        return True
    return scope["path"] == GRAPHQL_PATH and is_page_request(scope)
