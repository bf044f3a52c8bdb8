"""The documented configuration operations as the suite sends them, and clean-up.

Requests and their answers only: judging them is the checker's job. Clean-up
removes what a run created, with the operations the target has
(`Capabilities.cleanup`): a sender with `deleteSmtpCustomEmail` where a target
offers it (no page documents it), otherwise its configuration with the
documented `deleteSmtpConfiguration`; the sender then stays, and the run says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contracts.client.ledger import CONFIGURATION
from contracts.documented_family import (
    CREATE_CONFIGURATION,
    DELETE_CONFIGURATION,
    DELETE_CONFIGURATION_FIELD,
    LIST_CONFIGURATIONS,
    LIST_CONFIGURATIONS_FIELD,
    UPDATE_CONFIGURATION,
)
from contracts.errors import ContractError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from contracts.client.capabilities import Capabilities
    from contracts.client.exchanges import Exchange
    from contracts.client.ledger import Created, Ledger
    from contracts.client.target import Target

RESEND_SHARE = 4
"""A quarter more than the deletes is held back, for resends (429, 503)."""

DELETE_SENDER_MUTATION = (
    "mutation ContractCleanup($id: ID!) { deleteSmtpCustomEmail(input: {id: $id}) "
    "{ success } }"
)
"""Not documented: used only where introspection shows it."""


def answer_of(exchange: Exchange, field: str) -> Any:
    """`data.<field>` of a clean answer (HTTP 200, no errors), else None."""
    body = exchange.body
    if exchange.status != 200 or not isinstance(body, dict) or body.get("errors"):
        return None
    data = body.get("data")
    return data.get(field) if isinstance(data, dict) else None


def configuration_of(exchange: Exchange, field: str) -> dict[str, Any] | None:
    """The `smtpConfiguration` a create or update answered, if it succeeded."""
    payload = answer_of(exchange, field)
    found = payload.get("smtpConfiguration") if isinstance(payload, dict) else None
    return found if isinstance(found, dict) else None


def listed_nodes(exchange: Exchange) -> list[dict[str, Any]] | None:
    """The nodes `smtpConfigurations` answered, or None when it did not."""
    connection = answer_of(exchange, LIST_CONFIGURATIONS_FIELD)
    nodes = connection.get("nodes") if isinstance(connection, dict) else None
    if not isinstance(nodes, list):
        return None
    return [node for node in nodes if isinstance(node, dict)]


def list_configurations(
    target: Target, organization: str, default_smtp: bool | None = None
) -> Exchange:
    """Ask for the organization's configurations (a read: safe to resend)."""
    variables: dict[str, Any] = {"organizationId": organization}
    if default_smtp is not None:
        variables["defaultSmtp"] = default_smtp
    return target.post(
        {"query": LIST_CONFIGURATIONS, "variables": variables}, replay_safe=True
    )


def create_configuration(target: Target, values: Mapping[str, Any]) -> Exchange:
    """Send `createSmtpConfiguration` with `values` as its input."""
    return target.post({"query": CREATE_CONFIGURATION, "variables": {"input": values}})


def update_configuration(target: Target, values: Mapping[str, Any]) -> Exchange:
    """Send `updateSmtpConfiguration` with `values` as its input."""
    # Sending the same changes twice leaves the same configuration.
    return target.post(
        {"query": UPDATE_CONFIGURATION, "variables": {"input": values}},
        replay_safe=True,
    )


def delete_configuration(target: Target, configuration_id: str) -> Exchange:
    """Send `deleteSmtpConfiguration` for one id."""
    # A lost answer is sent again: a second delete does no harm.
    return target.post(
        {
            "query": DELETE_CONFIGURATION,
            "variables": {"input": {"id": configuration_id}},
        },
        replay_safe=True,
    )


def deleted(exchange: Exchange, field: str) -> bool:
    """Whether a delete answered `success: true`."""
    payload = answer_of(exchange, field)
    return isinstance(payload, dict) and payload.get("success") is True


def remove(
    target: Target, ledger: Ledger, entry: Created, capabilities: Capabilities
) -> None:
    """Delete one thing the ledger lists, as far as the target allows.

    What no operation of the target can delete is noted as `undeletable`.
    """
    by_configuration = (
        entry.kind == CONFIGURATION or capabilities.cleanup == "configuration"
    )
    if by_configuration and not (
        capabilities.delete_configuration and entry.configuration_id
    ):
        ledger.note(entry.id, undeletable=True)
        return
    if by_configuration:
        if entry.configuration_deleted:
            return
        exchange = delete_configuration(target, entry.configuration_id)
        if not deleted(exchange, DELETE_CONFIGURATION_FIELD):
            ledger.note(entry.id, refused=_refusal(exchange))
        elif entry.kind == CONFIGURATION:
            ledger.forget(entry.id)
        else:
            ledger.note(entry.id, configuration_deleted=True)
        return
    if capabilities.cleanup == "sender":
        exchange = target.post(
            {"query": DELETE_SENDER_MUTATION, "variables": {"id": entry.id}},
            replay_safe=True,
        )
        if deleted(exchange, "deleteSmtpCustomEmail"):
            ledger.forget(entry.id)
        else:
            ledger.note(entry.id, refused=_refusal(exchange))
        return
    ledger.note(entry.id, undeletable=True)


def hold_for_cleanup(
    target: Target, ledger: Ledger, capabilities: Capabilities | None = None
) -> None:
    """Keep requests for the clean-up out of the tests' reach (#26).

    One delete per created object, a quarter more for deletes a throttling
    target asks to have resent, and, with `capabilities` unknown, one for the
    clean-up's discovery.
    """
    extra = 1 if capabilities is None else 0

    def held() -> int:
        pending = ledger.pending_deletes()
        return pending + -(-pending // RESEND_SHARE) + extra

    target.hold = held


def clean_up(
    target: Target, ledger: Ledger, capabilities: Capabilities | None = None
) -> None:
    """Delete what the ledger lists; stops at the first request that fails.

    Any `ContractError` (spent budget, throttling) ends the clean-up: what is
    left stays in the ledger, and the caller reports it.

    Args:
        target: Where the run sent its creates.
        ledger: What the run created.
        capabilities: What the target offers; asked for when omitted.
    """
    from contracts.client.capabilities import discover

    if not ledger.entries:
        return
    # The reserve held back for the clean-up is its own now, whatever
    # stopped the run (budget, throttling, deadline) or shrank its last test.
    target.start_cleanup()
    try:
        if capabilities is None:
            capabilities = discover(target)
        for entry in list(ledger.entries):
            remove(target, ledger, entry, capabilities)
    except ContractError:
        return


def _refusal(exchange: Exchange) -> str:
    body = exchange.body
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("message", ""))[:120] or f"HTTP {exchange.status}"
    return f"HTTP {exchange.status}"
