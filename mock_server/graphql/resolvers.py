"""Translation between GraphQL and the domain; no rules live here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ariadne import MutationType, QueryType

from mock_server.domain.permissions import may_list, require_manage
from mock_server.domain.senders import (
    SenderDraft,
    build_sender,
    email_taken,
)
from mock_server.errors import EmailTaken
from mock_server.graphql.configuration_resolvers import (
    MUTATIONS,
    QUERIES,
    configuration_draft,
    configuration_to_graphql,
    text,
)
from mock_server.graphql.sdl import CREATE_MUTATION

if TYPE_CHECKING:
    from collections.abc import Callable

    from graphql import GraphQLResolveInfo, GraphQLSchema

    from mock_server._types import JSONObject
    from mock_server.domain.senders import SmtpCustomEmail
    from mock_server.graphql.context import MockContext

DELETE_MUTATION = "deleteSmtpCustomEmail"


def draft_from_input(data: JSONObject) -> SenderDraft:
    """Turn the mutation's (already GraphQL-coerced) input into a domain draft."""
    configuration = data.get("smtpConfiguration")
    return SenderDraft(
        sender_name=text(data, "senderName"),
        email_address=text(data, "emailAddress"),
        configuration=None
        if configuration is None
        else configuration_draft(configuration),
    )


def sender_to_graphql(sender: SmtpCustomEmail) -> JSONObject:
    """Shape a sender as the API returns it: `port` as text, no credentials."""
    return {
        "id": sender.id,
        "emailAddress": sender.email_address,
        "senderName": sender.sender_name,
        "smtpConfiguration": configuration_to_graphql(sender.configuration),
    }


async def resolve_create(
    _parent: object, info: GraphQLResolveInfo, input: JSONObject
) -> JSONObject:
    context: MockContext = info.context
    # The guide asks only for "the necessary permissions": the profile decides.
    require_manage(context.role, context.profile, field="input", creating=True)
    sender = build_sender(
        draft_from_input(input), context.ids, context.profile, secrets=context.secrets
    )
    try:
        sender = await context.store.add(sender)
    except EmailTaken as exc:
        # Stores raise the default wording; the profile's is the one to send.
        field = exc.problems[0].field if exc.problems else "emailAddress"
        raise email_taken(field, context.profile) from None
    return {
        "clientMutationId": input.get("clientMutationId"),
        "smtpCustomEmail": sender_to_graphql(sender),
    }


async def resolve_delete(
    _parent: object, info: GraphQLResolveInfo, input: JSONObject
) -> JSONObject:
    context: MockContext = info.context
    require_manage(context.role, context.profile, field="input")
    deleted = await context.store.delete(input["id"])
    return {"clientMutationId": input.get("clientMutationId"), "success": deleted}


async def resolve_senders(
    _parent: object, info: GraphQLResolveInfo, organizationId: str
) -> list[JSONObject]:
    context: MockContext = info.context
    if not may_list(context.role):
        return []
    senders = await context.store.list_by_organization(organizationId)
    return [sender_to_graphql(sender) for sender in senders]


async def resolve_sender(
    _parent: object, info: GraphQLResolveInfo, id: str
) -> JSONObject | None:
    context: MockContext = info.context
    sender = await context.store.get(id) if may_list(context.role) else None
    return None if sender is None else sender_to_graphql(sender)


def bindables(schema: GraphQLSchema) -> list[Any]:
    """Return Ariadne bindables for the operations this schema declares.

    The documented mutation is always there (the loader checks it); the other
    documented operations and the mock-only ones (`mock_operations.graphql`)
    are bound only when the schema has them, so a user's SDL may leave them out.
    """
    mutation = MutationType()
    mutation.set_field(CREATE_MUTATION, resolve_create)
    query = QueryType()
    mutations: dict[str, Callable[..., Any]] = {
        DELETE_MUTATION: resolve_delete,
        **MUTATIONS,
    }
    queries: dict[str, Callable[..., Any]] = {
        "smtpCustomEmails": resolve_senders,
        "smtpCustomEmail": resolve_sender,
        **QUERIES,
    }
    for bindable, owner, resolvers in (
        (mutation, schema.mutation_type, mutations),
        (query, schema.query_type, queries),
    ):
        for name, resolver in resolvers.items():
            if owner is not None and name in owner.fields:
                bindable.set_field(name, resolver)
    return [mutation, query] if schema.query_type else [mutation]
