"""What the guide documents, kept verbatim: the operation and its two scenarios.

The guide's example addresses are redacted in the guide itself, and its two
scenarios would share one address in one organization; they are replayed here
with distinct real addresses, everything else as documented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

MUTATION_FIELD = "createSmtpCustomEmailWithConfiguration"
"""The documented mutation's field name."""

DOCUMENTED_OPERATION = """\
mutation CreateSmtpCustomEmailWithConfiguration(
  $senderName: String!
  $emailAddress: String!
  $smtpConfiguration: SmtpConfigurationInput
) {
  createSmtpCustomEmailWithConfiguration(
    input: {
      senderName: $senderName
      emailAddress: $emailAddress
      smtpConfiguration: $smtpConfiguration
    }
  ) {
    smtpCustomEmail {
      id
      emailAddress
      senderName
      smtpConfiguration {
        id
        host
        port
        organizationId
        ipRelayAuth
      }
    }
  }
}
"""
"""The guide's operation text, verbatim: the canonical query of every create."""

OPERATION_NAME = "CreateSmtpCustomEmailWithConfiguration"


def create_payload(
    variables: Mapping[str, Any],
    *,
    query: str = DOCUMENTED_OPERATION,
    operation_name: str | None = OPERATION_NAME,
) -> dict[str, Any]:
    """The JSON body of a GraphQL request: the guide's create unless told otherwise.

    The one place a request body is assembled: the suite, `fuzz`, `diff`, the
    dry-run plan and the malformed bodies all send what this returns.

    Example:
        >>> sorted(create_payload({"senderName": "A"}))
        ['operationName', 'query', 'variables']
    """
    payload: dict[str, Any] = {"query": query, "variables": dict(variables)}
    if operation_name is not None:
        payload["operationName"] = operation_name
    return payload


GUIDE_ORGANIZATION_ID = "980700673"
"""The organization used in the guide's examples."""

SCENARIO_A_VARIABLES: dict[str, Any] = {
    "senderName": "Acme Support",
    "emailAddress": "support@acme.example",
    "smtpConfiguration": {
        "host": "smtp.sendgrid.net",
        "port": 587,
        "organizationId": GUIDE_ORGANIZATION_ID,
        "username": "apikey@acme.example",
        "password": "s3cr3t-PA",
    },
}
"""Scenario A (credentials-based SMTP), with a real address."""

SCENARIO_B_VARIABLES: dict[str, Any] = {
    "senderName": "Acme Notifications",
    "emailAddress": "notifications@acme.example",
    "smtpConfiguration": {
        "host": "relay.acme.internal",
        "port": 25,
        "organizationId": GUIDE_ORGANIZATION_ID,
        "ipRelayAuth": True,
    },
}
"""Scenario B (IP relay, no credentials), with a real address."""
