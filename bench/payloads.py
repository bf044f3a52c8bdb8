"""The one request every benchmark sends: the guide's create, a fresh address."""

from __future__ import annotations

import uuid
from typing import Any

CREATE = (
    "mutation CreateSmtpCustomEmailWithConfiguration($senderName: String!, "
    "$emailAddress: String!, $smtpConfiguration: SmtpConfigurationInput) "
    "{ createSmtpCustomEmailWithConfiguration(input: {senderName: $senderName, "
    "emailAddress: $emailAddress, smtpConfiguration: $smtpConfiguration}) "
    "{ smtpCustomEmail { id emailAddress senderName smtpConfiguration "
    "{ id host port organizationId ipRelayAuth } } } }"
)


def payload(n: int) -> dict[str, Any]:
    return {
        "query": CREATE,
        "variables": {
            "senderName": "Bench",
            "emailAddress": f"bench-{uuid.uuid4().hex[:8]}-{n}@acme.example",
            "smtpConfiguration": {
                "host": "relay.acme.internal",
                "port": 25,
                "organizationId": "980700673",
                "ipRelayAuth": True,
            },
        },
    }
