"""What the target offers beyond the guide's mutation, learned by introspection.

The documented family comes first: `smtpConfigurations` and
`deleteSmtpConfiguration` (pages "List" and "Delete SMTP Configuration") are the
read-back and the clean-up of a real API. The sender operations no page
documents (`smtpCustomEmail`, `smtpCustomEmails`, `deleteSmtpCustomEmail`, which
the mock serves with `--mock-operations`) are used when a target has them. Never
the mock's admin API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from contracts.documented_family import (
    CREATE_CONFIGURATION_FIELD,
    DELETE_CONFIGURATION_FIELD,
    LIST_CONFIGURATIONS_FIELD,
    UPDATE_CONFIGURATION_FIELD,
)
from contracts.errors import ContractError, TokenRejected

if TYPE_CHECKING:
    from contracts.client.target import Target

CAPABILITIES_QUERY = """
query ContractCapabilities {
  __schema {
    queryType { fields { name } }
    mutationType { fields { name } }
  }
}
"""

READ_BACK_FIELD = "smtpCustomEmail"
LIST_FIELD = "smtpCustomEmails"
DELETE_FIELD = "deleteSmtpCustomEmail"
"""The sender operations no page documents (the mock's `--mock-operations`)."""


@dataclass(frozen=True, slots=True)
class Capabilities:
    """Optional operations the target has.

    Attributes:
        introspection: Whether the target answered the introspection query.
        read_back: `smtpCustomEmail(id)` exists (not documented).
        list_by_organization: `smtpCustomEmails(organizationId)` exists (not
            documented).
        delete: `deleteSmtpCustomEmail(input: {id})` exists (not documented).
        list_configurations: `smtpConfigurations(organizationId, defaultSmtp)`.
        create_configuration: `createSmtpConfiguration(input)`.
        update_configuration: `updateSmtpConfiguration(input)`.
        delete_configuration: `deleteSmtpConfiguration(input: {id})`.
    """

    introspection: bool = False
    read_back: bool = False
    list_by_organization: bool = False
    delete: bool = False
    list_configurations: bool = False
    create_configuration: bool = False
    update_configuration: bool = False
    delete_configuration: bool = False

    @property
    def family(self) -> bool:
        """Whether every documented configuration operation is there."""
        return (
            self.list_configurations
            and self.create_configuration
            and self.update_configuration
            and self.delete_configuration
        )

    @property
    def cleanup(self) -> str | None:
        """How a created sender is removed: `sender`, `configuration` or None.

        `sender` deletes both objects; `configuration` deletes only the
        configuration (no page documents a way to delete a sender, nor what
        deleting its configuration does to it).
        """
        if self.delete:
            return "sender"
        return "configuration" if self.delete_configuration else None


def discover(target: Target) -> Capabilities:
    """Ask the target what it offers; also the run's first, preflight request.

    Raises:
        TargetUnreachable: the endpoint does not answer.
        TokenRejected: it answered 401 or 403.
        ContractError: it did not answer like a GraphQL endpoint.
    """
    exchange = target.post({"query": CAPABILITIES_QUERY})
    if exchange.status in (401, 403):
        hint = "set a valid token" if target.has_credentials else "pass a token"
        raise TokenRejected(
            f"{target.url} answered HTTP {exchange.status}: {hint} with "
            "--token or SMTP_CONTRACT_TOKEN, or a service account's "
            "--client-id and --client-secret"
        )
    body = exchange.body
    if not isinstance(body, dict) or not ("data" in body or "errors" in body):
        raise ContractError(
            f"{target.url} answered HTTP {exchange.status} without a GraphQL "
            "response; check that the URL is the GraphQL endpoint"
        )
    schema = (body.get("data") or {}).get("__schema")
    if not isinstance(schema, dict):
        return Capabilities()
    queries = _field_names(schema.get("queryType"))
    mutations = _field_names(schema.get("mutationType"))
    return Capabilities(
        introspection=True,
        read_back=READ_BACK_FIELD in queries,
        list_by_organization=LIST_FIELD in queries,
        delete=DELETE_FIELD in mutations,
        list_configurations=LIST_CONFIGURATIONS_FIELD in queries,
        create_configuration=CREATE_CONFIGURATION_FIELD in mutations,
        update_configuration=UPDATE_CONFIGURATION_FIELD in mutations,
        delete_configuration=DELETE_CONFIGURATION_FIELD in mutations,
    )


def _field_names(owner: Any) -> set[str]:
    if not isinstance(owner, dict):
        return set()
    return {field["name"] for field in owner.get("fields") or [] if "name" in field}
