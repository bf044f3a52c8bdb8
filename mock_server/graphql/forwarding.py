"""Root fields the mock does not implement, sent on to the upstream API.

An operation is split by root field: the fields the local SDL defines run in
the mock, the others go to the upstream in one request of their own (their
sub-selections, the fragments and variables they use, nothing else, so that a
strict upstream finds no unused fragment or variable). The two answers are
merged back in the order the client asked for them; the upstream's data and
errors come back unchanged, at their own paths.

When the upstream cannot answer (unreachable, too slow, or not speaking
GraphQL), its fields are null with an `UPSTREAM_UNAVAILABLE` error each, and
the local fields still answer. The forwarded token is never logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    is_non_null_type,
    print_ast,
)

from mock_server.graphql.documents import used_fragments, variables_in

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterator, Mapping

    from graphql import ExecutionResult, GraphQLSchema, SelectionNode

    from mock_server._types import JSONObject

    # Runs the local half of a split operation in the mock.
    LocalRun = Callable[[DocumentNode], Awaitable[ExecutionResult]]

logger = logging.getLogger("mock_server.upstream")

UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class UpstreamOptions:
    """Where `serve --upstream` forwards to.

    Attributes:
        url: The upstream's GraphQL endpoint.
        token: Its bearer token; None passes each caller's own through.
        timeout: Seconds before a slow upstream counts as unavailable.
    """

    url: str
    token: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT


@dataclass(frozen=True, slots=True)
class Split:
    """One operation cut in two by root field.

    Attributes:
        local: The document the mock runs (None when every field is upstream).
        remote: The document sent upstream.
        order: Every response key, in the order the client selected them.
        remote_keys: The response keys the upstream answers, each with its
            field's name.
        variables: The variable names the remote document declares.
    """

    local: DocumentNode | None
    remote: DocumentNode
    order: tuple[str, ...]
    remote_keys: Mapping[str, str]
    variables: frozenset[str]


def split_operation(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    local_fields: frozenset[str],
) -> Split | None:
    """Cut an operation by root field; None when the mock answers all of it."""
    fragments = {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    local: list[SelectionNode] = []
    remote: list[SelectionNode] = []
    order: list[str] = []
    remote_keys: dict[str, str] = {}
    for key, node, selection in _root_fields(operation.selection_set, fragments):
        if key not in order:
            order.append(key)
        if node.name.value in local_fields or node.name.value.startswith("__"):
            local.append(selection)
        else:
            remote.append(selection)
            remote_keys[key] = node.name.value
    if not remote:
        return None
    remote_document, variables = _document(operation, remote, fragments)
    local_document = _document(operation, local, fragments)[0] if local else None
    return Split(
        local_document,
        remote_document,
        tuple(order),
        remote_keys,
        variables,
    )


def _root_fields(
    selections: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> Iterator[tuple[str, FieldNode, SelectionNode]]:
    """Each root field with its response key, fragments opened.

    A field reached through a fragment carrying `@skip`/`@include` keeps them,
    in an inline fragment of its own, so either side still honours them.
    """
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            key = (selection.alias or selection.name).value
            yield key, selection, selection
            continue
        if isinstance(selection, FragmentSpreadNode):
            inner = fragments[selection.name.value].selection_set
        else:
            assert isinstance(selection, InlineFragmentNode)
            inner = selection.selection_set
        for key, node, nested in _root_fields(inner, fragments):
            wrapped = nested
            if selection.directives:
                wrapped = InlineFragmentNode(
                    directives=selection.directives,
                    selection_set=SelectionSetNode(selections=(nested,)),
                )
            yield key, node, wrapped


def _document(
    operation: OperationDefinitionNode,
    selections: list[SelectionNode],
    fragments: Mapping[str, FragmentDefinitionNode],
) -> tuple[DocumentNode, frozenset[str]]:
    selection_set = SelectionSetNode(selections=tuple(selections))
    used = used_fragments(selection_set, fragments)
    names = variables_in([selection_set, *used])
    definitions = tuple(
        d
        for d in operation.variable_definitions or ()
        if d.variable.name.value in names
    )
    cut = OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=definitions,
        directives=operation.directives,
        selection_set=selection_set,
    )
    return DocumentNode(definitions=(cut, *used)), frozenset(names)


class Upstream:
    """Sends forwarded root fields to the upstream API.

    Args:
        url: The upstream's GraphQL endpoint.
        token: Sent as `Authorization: Bearer`; without one, the caller's own
            `Authorization` header is passed through.
        timeout: Seconds before a slow upstream counts as unavailable.
        client: The HTTP client (one per app; closed by `aclose`).
    """

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.url = url
        self._token = token
        self._client = client or httpx.AsyncClient(timeout=timeout)

    def __repr__(self) -> str:
        return f"Upstream({self.url!r}, token={'set' if self._token else 'unset'})"

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()

    async def fetch(
        self,
        split: Split,
        variables: Mapping[str, Any] | None,
        *,
        authorization: str | None,
        correlation_id: str,
    ) -> tuple[JSONObject | None, list[JSONObject]]:
        """Send the remote part; return its `data` and `errors` as they came.

        Never raises: a failure becomes one `UPSTREAM_UNAVAILABLE` error per
        forwarded field.
        """
        payload: JSONObject = {"query": print_ast(split.remote)}
        operation = split.remote.definitions[0]
        assert isinstance(operation, OperationDefinitionNode)
        if operation.name is not None:
            payload["operationName"] = operation.name.value
        if variables:
            kept = {k: v for k, v in variables.items() if k in split.variables}
            if kept:
                payload["variables"] = kept
        headers = {"Accept": "application/graphql-response+json, application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        elif authorization:
            headers["Authorization"] = authorization
        try:
            response = await self._client.post(self.url, json=payload, headers=headers)
            body = response.json()
        except httpx.TimeoutException:
            return self._unavailable(split, "it did not answer in time", correlation_id)
        except httpx.HTTPError as exc:
            reason = f"it cannot be reached ({type(exc).__name__})"
            return self._unavailable(split, reason, correlation_id)
        except ValueError:
            reason = f"it answered HTTP {response.status_code} without JSON"
            return self._unavailable(split, reason, correlation_id)
        if not isinstance(body, dict) or not ({"data", "errors"} & body.keys()):
            reason = f"it answered HTTP {response.status_code} without a GraphQL body"
            return self._unavailable(split, reason, correlation_id)
        data = body.get("data")
        errors = body.get("errors")
        return (
            data if isinstance(data, dict) else None,
            [e for e in errors if isinstance(e, dict)]
            if isinstance(errors, list)
            else [],
        )

    def _unavailable(
        self, split: Split, reason: str, correlation_id: str
    ) -> tuple[None, list[JSONObject]]:
        logger.warning(
            "upstream %s unavailable: %s (correlation_id=%s)",
            self.url,
            reason,
            correlation_id,
        )
        message = f"The upstream API is unavailable: {reason}"
        return None, [
            {
                "message": message,
                "path": [key],
                "extensions": {
                    "code": UPSTREAM_UNAVAILABLE,
                    "correlation_id": correlation_id,
                },
            }
            for key in split.order
            if key in split.remote_keys
        ]


def merge_data(
    split: Split,
    local: JSONObject | None,
    remote: JSONObject | None,
    *,
    non_null: frozenset[str],
) -> JSONObject | None:
    """Both halves' data in the client's order.

    Args:
        split: The split both halves came from.
        local: The mock's `data` (None when a non-null local field failed).
        remote: The upstream's `data`.
        non_null: Response keys whose field type is non-null: a null there
            makes the whole `data` null, as GraphQL's null propagation does.
    """
    if split.local is not None and local is None:
        return None
    merged: JSONObject = {}
    for key in split.order:
        source = remote if key in split.remote_keys else local
        value = (source or {}).get(key)
        if value is None and key in non_null:
            return None
        merged[key] = value
    return merged


class Router:
    """Decides which root fields go upstream, and answers split operations.

    Args:
        upstream: Where forwarded fields go.
        local_roots: Root field names the mock resolves, per operation type
            (`query`, `mutation`).
    """

    def __init__(self, upstream: Upstream, local_roots: Mapping[str, frozenset[str]]):
        self.upstream = upstream
        self._local_roots = local_roots

    def use_local_roots(self, local_roots: Mapping[str, frozenset[str]]) -> None:
        """Follow a reloaded local SDL (`serve --watch`)."""
        self._local_roots = local_roots

    def split(
        self, document: DocumentNode, operation: OperationDefinitionNode
    ) -> Split | None:
        """Cut `operation` by root field; None when the mock answers all of it."""
        local = self._local_roots.get(operation.operation.value, frozenset())
        return split_operation(document, operation, local)

    async def run(
        self,
        split: Split,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        run_local: LocalRun,
        *,
        variables: Mapping[str, Any] | None,
        authorization: str | None,
        correlation_id: str,
        format_local_errors: Callable[[ExecutionResult], list[JSONObject]],
    ) -> JSONObject:
        """Answer a split operation: the mock's half, then the upstream's.

        Mutations run in the order GraphQL requires within each half; the
        mock's fields run before the upstream's.
        """
        local_data: JSONObject | None = None
        errors: list[JSONObject] = []
        if split.local is not None:
            result = await run_local(split.local)
            local_data = result.data
            errors += format_local_errors(result)
        remote_data, remote_errors = await self.upstream.fetch(
            split,
            variables,
            authorization=authorization,
            correlation_id=correlation_id,
        )
        errors += remote_errors
        root = schema.get_root_type(operation.operation)
        assert root is not None  # the document was validated against `schema`
        non_null = frozenset(
            key
            for key, name in split.remote_keys.items()
            if name in root.fields and is_non_null_type(root.fields[name].type)
        )
        body: JSONObject = {
            "data": merge_data(split, local_data, remote_data, non_null=non_null)
        }
        if errors:
            body["errors"] = errors
        return body
