"""What the target offers beyond the documented mutation, learned by introspection.

On a live target the suite uses only the documented mutation, plus read-back and
delete operations when introspection shows them; never the mock's admin API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


@dataclass(frozen=True, slots=True)
class Capabilities:
    """Optional operations the target has.

    Attributes:
        introspection: Whether the target answered the introspection query.
        read_back: `smtpCustomEmail(id)` exists.
        list_by_organization: `smtpCustomEmails(organizationId)` exists.
        delete: `deleteSmtpCustomEmail(input: {id})` exists.
    """

    introspection: bool = False
    read_back: bool = False
    list_by_organization: bool = False
    delete: bool = False


def discover(target: Target) -> Capabilities:
    """Ask the target what it offers; also the run's first, preflight request.

    Raises:
        TargetUnreachable: the endpoint does not answer.
        TokenRejected: it answered 401 or 403.
        ContractError: it did not answer like a GraphQL endpoint.
    """
    exchange = target.post({"query": CAPABILITIES_QUERY})
    if exchange.status in (401, 403):
        hint = "set a valid token" if target.token else "pass a token"
        raise TokenRejected(
            f"{target.url} answered HTTP {exchange.status}: {hint} with "
            "--token or SMTP_CONTRACT_TOKEN"
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
    )


def _field_names(owner: Any) -> set[str]:
    if not isinstance(owner, dict):
        return set()
    return {field["name"] for field in owner.get("fields") or [] if "name" in field}
