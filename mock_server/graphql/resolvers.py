"""Translation between GraphQL and the domain; no rules live here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ariadne import MutationType, QueryType

from mock_server.domain.senders import (
    ConfigurationDraft,
    SenderDraft,
    build_sender,
    email_taken,
)
from mock_server.errors import EmailTaken
from mock_server.graphql.sdl import CREATE_MUTATION

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo, GraphQLSchema

    from mock_server._types import JSONObject
    from mock_server.domain.senders import SmtpCustomEmail
    from mock_server.graphql.context import MockContext

DELETE_MUTATION = "deleteSmtpCustomEmail"


def draft_from_input(data: JSONObject) -> SenderDraft:
    """Turn the mutation's (already GraphQL-coerced) input into a domain draft."""
    configuration = data.get("smtpConfiguration")
    return SenderDraft(
        sender_name=_text(data, "senderName"),
        email_address=_text(data, "emailAddress"),
        configuration=None
        if configuration is None
        else ConfigurationDraft(
            host=_text(configuration, "host"),
            # A user's SDL may loosen nullability; a missing port is out of range.
            port=configuration.get("port") or 0,
            organization_id=_text(configuration, "organizationId"),
            # An explicit null arrives as None, past the SDL default.
            ip_relay_auth=configuration.get("ipRelayAuth", False),
            username=configuration.get("username"),
            password=configuration.get("password"),
        ),
    )


def _text(data: JSONObject, key: str) -> str:
    # A user's SDL may make a required field nullable: null then reads as blank.
    value = data.get(key)
    return "" if value is None else str(value)


def sender_to_graphql(sender: SmtpCustomEmail) -> JSONObject:
    """Shape a sender as the API returns it: `port` as text, no credentials."""
    configuration = sender.configuration
    return {
        "id": sender.id,
        "emailAddress": sender.email_address,
        "senderName": sender.sender_name,
        "smtpConfiguration": {
            "id": configuration.id,
            "host": configuration.host,
            "port": str(configuration.port),
            "organizationId": configuration.organization_id,
            "ipRelayAuth": configuration.ip_relay_auth,
        },
    }


async def resolve_create(
    _parent: object, info: GraphQLResolveInfo, input: JSONObject
) -> JSONObject:
    context: MockContext = info.context
    sender = build_sender(draft_from_input(input), context.ids, context.profile)
    try:
        await context.store.add(sender)
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
    deleted = await context.store.delete(input["id"])
    return {"clientMutationId": input.get("clientMutationId"), "success": deleted}


async def resolve_senders(
    _parent: object, info: GraphQLResolveInfo, organizationId: str
) -> list[JSONObject]:
    context: MockContext = info.context
    senders = await context.store.list_by_organization(organizationId)
    return [sender_to_graphql(sender) for sender in senders]


async def resolve_sender(
    _parent: object, info: GraphQLResolveInfo, id: str
) -> JSONObject | None:
    context: MockContext = info.context
    sender = await context.store.get(id)
    return None if sender is None else sender_to_graphql(sender)


def bindables(schema: GraphQLSchema) -> list[Any]:
    """Return Ariadne bindables for the operations this schema declares.

    The documented mutation is always there (the loader checks it); the
    supporting operations are bound only when the schema has them, so a user's
    SDL may leave them out.
    """
    mutation = MutationType()
    mutation.set_field(CREATE_MUTATION, resolve_create)
    query = QueryType()
    optional = (
        (mutation, schema.mutation_type, DELETE_MUTATION, resolve_delete),
        (query, schema.query_type, "smtpCustomEmails", resolve_senders),
        (query, schema.query_type, "smtpCustomEmail", resolve_sender),
    )
    for bindable, owner, name, resolver in optional:
        if owner is not None and name in owner.fields:
            bindable.set_field(name, resolver)
    return [mutation, query] if schema.query_type else [mutation]
