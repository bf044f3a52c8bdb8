"""The sibling operations, as their pages document them (`api-family.md`).

Each document selects what its page shows: the result selection of
`createSmtpConfiguration` (`id host port username encryptedPassword
defaultSmtp organizationId outlookIntegration`), the same for an update, the
list's `nodes { id host port username defaultSmtp organizationId }`, and the
delete's `success`.
"""

from __future__ import annotations

CREATE_CONFIGURATION_FIELD = "createSmtpConfiguration"
UPDATE_CONFIGURATION_FIELD = "updateSmtpConfiguration"
DELETE_CONFIGURATION_FIELD = "deleteSmtpConfiguration"
LIST_CONFIGURATIONS_FIELD = "smtpConfigurations"

CONFIGURATION_SELECTION = (
    "id host port username encryptedPassword defaultSmtp organizationId "
    "outlookIntegration"
)
"""The fields the create page selects on `SmtpConfiguration`."""

LISTED_SELECTION = "id host port username defaultSmtp organizationId"
"""The fields the list page selects on each node."""

CREATE_CONFIGURATION = f"""\
mutation CreateSmtpConfiguration($input: CreateSmtpConfigurationInput!) {{
  createSmtpConfiguration(input: $input) {{
    smtpConfiguration {{ {CONFIGURATION_SELECTION} }}
  }}
}}
"""

UPDATE_CONFIGURATION = f"""\
mutation UpdateSmtpConfiguration($input: UpdateSmtpConfigurationInput!) {{
  updateSmtpConfiguration(input: $input) {{
    smtpConfiguration {{ {CONFIGURATION_SELECTION} }}
  }}
}}
"""

DELETE_CONFIGURATION = """\
mutation DeleteSmtpConfiguration($input: DeleteSmtpConfigurationInput!) {
  deleteSmtpConfiguration(input: $input) { success }
}
"""

LIST_CONFIGURATIONS = f"""\
query SmtpConfigurations($organizationId: ID!, $defaultSmtp: Boolean) {{
  smtpConfigurations(organizationId: $organizationId, defaultSmtp: $defaultSmtp) {{
    nodes {{ {LISTED_SELECTION} }}
  }}
}}
"""
