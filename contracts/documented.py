"""What the guide documents, kept verbatim: the operation and its two scenarios.

The guide's example addresses are redacted in the guide itself, and its two
scenarios would share one address in one organization; they are replayed here
with distinct real addresses, everything else as documented.
"""

from __future__ import annotations

from typing import Any

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
