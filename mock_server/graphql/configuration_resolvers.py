"""The documented SMTP configuration operations: GraphQL in, domain calls out.

`createSmtpConfiguration`, `updateSmtpConfiguration`, `deleteSmtpConfiguration`
and `smtpConfigurations`, from the sibling pages of the guide (see
`mock_server.domain.configurations` for their rules).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.domain._text_rules import problem
from mock_server.domain.configurations import (
    ConfigurationChanges,
    ConfigurationDraft,
    apply_changes,
    build_configuration,
)
from mock_server.domain.permissions import may_list, require_manage
from mock_server.domain.profile import (
    DeleteInUse,
    Failure,
    FirstDefault,
    UnsetDefault,
)
from mock_server.errors import ConfigurationInUse, ConfigurationNotFound
from mock_server.stores.base import Deleted

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from graphql import GraphQLResolveInfo

    from mock_server._types import JSONObject
    from mock_server.domain.configurations import SmtpConfiguration
    from mock_server.domain.profile import BehaviourProfile
    from mock_server.graphql.context import MockContext

CREATE = "createSmtpConfiguration"
UPDATE = "updateSmtpConfiguration"
DELETE = "deleteSmtpConfiguration"
LIST = "smtpConfigurations"


def text(data: JSONObject, key: str) -> str:
    """A text input; null (a user's SDL may loosen nullability) reads as blank."""
    value = data.get(key)
    return "" if value is None else str(value)


def configuration_draft(data: JSONObject) -> ConfigurationDraft:
    """A configuration's (already GraphQL-coerced) input as a domain draft.

    The same for `createSmtpConfiguration` and a sender's `smtpConfiguration`.
    """
    return ConfigurationDraft(
        host=text(data, "host"),
        # A user's SDL may loosen nullability; a missing port is out of range.
        port=data.get("port") or 0,
        organization_id=text(data, "organizationId"),
        # An explicit null arrives as None, past the SDL default.
        ip_relay_auth=data.get("ipRelayAuth", False),
        username=data.get("username"),
        password=data.get("password"),
        default_smtp=bool(data.get("defaultSmtp")),
    )


def configuration_to_graphql(configuration: SmtpConfiguration) -> JSONObject:
    """Shape a configuration as the API returns it: `port` as text, no password."""
    return {
        "id": configuration.id,
        "host": configuration.host,
        "port": str(configuration.port),
        "organizationId": configuration.organization_id,
        "ipRelayAuth": configuration.ip_relay_auth,
        "username": configuration.username,
        "encryptedPassword": configuration.encrypted_password,
        "defaultSmtp": configuration.default_smtp,
        # Listed by the reference with no meaning given: never on here.
        "outlookIntegration": False,
    }


async def resolve_create_configuration(
    _parent: object, info: GraphQLResolveInfo, input: JSONObject
) -> JSONObject:
    context: MockContext = info.context
    profile = context.profile
    require_manage(context.role, profile, field="input", creating=True)
    draft = configuration_draft(input)
    configuration = build_configuration(draft, context.ids, context.secrets, profile)
    stored = await context.store.add_configuration(
        configuration, make_default=_make_default(draft.default_smtp, profile)
    )
    return _payload(input, stored)


async def resolve_update_configuration(
    _parent: object, info: GraphQLResolveInfo, input: JSONObject
) -> JSONObject:
    context: MockContext = info.context
    profile = context.profile
    require_manage(context.role, profile, field="input")
    changes = ConfigurationChanges(
        id=text(input, "id"),
        host=input.get("host"),
        port=input.get("port"),
        username=input.get("username"),
        password=input.get("password"),
        default_smtp=input.get("defaultSmtp"),
    )
    current = await context.store.get_configuration(changes.id)
    if current is None:
        raise _not_found(profile)
    updated = apply_changes(current, changes, context.secrets, profile)
    stored = await context.store.update_configuration(
        updated, default=_new_default(changes.default_smtp, profile)
    )
    if stored is None:  # deleted meanwhile
        raise _not_found(profile)
    return _payload(input, stored)


async def resolve_delete_configuration(
    _parent: object, info: GraphQLResolveInfo, input: JSONObject
) -> JSONObject:
    context: MockContext = info.context
    profile = context.profile
    require_manage(context.role, profile, field="input")
    cascade = profile.delete_in_use is DeleteInUse.CASCADE
    outcome = await context.store.delete_configuration(
        text(input, "id"), cascade=cascade
    )
    if outcome is Deleted.NOT_FOUND:
        raise _not_found(profile)
    if outcome is Deleted.IN_USE:
        raise ConfigurationInUse((problem(profile, Failure.IN_USE, "id"),))
    return {"clientMutationId": input.get("clientMutationId"), "success": True}


async def resolve_configurations(
    _parent: object,
    info: GraphQLResolveInfo,
    organizationId: str,
    defaultSmtp: bool | None = None,
) -> JSONObject:
    context: MockContext = info.context
    if not may_list(context.role):
        return {"nodes": []}
    found = await context.store.list_configurations(organizationId)
    return {
        "nodes": [
            configuration_to_graphql(configuration)
            for configuration in found
            if defaultSmtp is None or configuration.default_smtp is defaultSmtp
        ]
    }


MUTATIONS: dict[str, Callable[..., Awaitable[JSONObject]]] = {
    CREATE: resolve_create_configuration,
    UPDATE: resolve_update_configuration,
    DELETE: resolve_delete_configuration,
}
"""The documented mutations' resolvers, by field name."""

QUERIES: dict[str, Callable[..., Awaitable[JSONObject]]] = {
    LIST: resolve_configurations
}
"""The documented queries' resolvers, by field name."""


def _payload(input: JSONObject, configuration: SmtpConfiguration) -> JSONObject:
    return {
        "clientMutationId": input.get("clientMutationId"),
        "smtpConfiguration": configuration_to_graphql(configuration),
    }


def _make_default(sent: bool, profile: BehaviourProfile) -> bool | None:
    # None: the store makes it the default only if the organization has none.
    if sent:
        return True
    return None if profile.first_default is FirstDefault.ALWAYS else False


def _new_default(sent: bool | None, profile: BehaviourProfile) -> bool | None:
    if sent:
        return True
    if sent is False and profile.unset_default is UnsetDefault.CLEAR:
        return False
    return None


def _not_found(profile: BehaviourProfile) -> ConfigurationNotFound:
    return ConfigurationNotFound((problem(profile, Failure.NOT_FOUND, "id"),))
