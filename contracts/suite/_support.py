"""Helpers the suite's modules share."""

from __future__ import annotations

import copy
import functools
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from contracts.inputs import strategies
from contracts.invariants import successful_sender

if TYPE_CHECKING:
    from contracts.client.api import ContractApi
    from contracts.client.exchanges import Exchange


# Strategies are built once per run and reused: building one is far costlier
# than drawing from it, and the suite draws thousands of times.


@functools.cache
def addresses(api: ContractApi) -> st.SearchStrategy[str]:
    """Fresh namespaced addresses: a new one on every draw, replays included."""
    return st.builds(api.fresh_address)


@functools.cache
def valid_variables(api: ContractApi, organization: str | None = None) -> Any:
    """Strategy of variables for a create that must succeed."""
    return strategies.create_variables(
        organization or api.config.org,
        addresses(api),
        password_marker=api.password_marker,
    )


@functools.cache
def missing_credentials(api: ContractApi) -> Any:
    """Strategy of credential-mode variables lacking a credential."""
    return strategies.missing_credentials(
        api.config.org, addresses(api), password_marker=api.password_marker
    )


@functools.cache
def relay_variables(api: ContractApi) -> Any:
    """Strategy of relay-mode variables without credentials."""
    return st.fixed_dictionaries(
        {
            "senderName": strategies.sender_names(),
            "emailAddress": addresses(api),
            "smtpConfiguration": strategies.relay_configurations(api.config.org),
        }
    )


def with_changes(variables: dict[str, Any], **configuration: Any) -> dict[str, Any]:
    """A deep copy with `smtpConfiguration` fields changed."""
    changed = copy.deepcopy(variables)
    changed["smtpConfiguration"].update(configuration)
    return changed


def outcome(exchange: Exchange) -> str:
    """What a probe saw, in a few stable words (no ids, no values)."""
    if exchange.status >= 500:
        return f"HTTP {exchange.status}"
    if successful_sender(exchange) is not None:
        return "accepted"
    body = exchange.body if isinstance(exchange.body, dict) else {}
    codes = sorted(
        {
            str((entry.get("extensions") or {}).get("code", "no code"))
            for entry in body.get("errors") or []
            if isinstance(entry, dict)
        }
    )
    return f"rejected (HTTP {exchange.status}, {', '.join(codes) or 'no errors'})"


def differences(found: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """`key: seen instead of wanted` for each expected value `found` lacks."""
    return [
        f"{key}: {found.get(key)!r} instead of {value!r}"
        for key, value in expected.items()
        if found.get(key) != value
    ]


def listed_unchanged(api: ContractApi, sender: dict[str, Any]) -> str | None:
    """What changed about a sender's configuration, as `smtpConfigurations` lists it.

    The documented read-back of a sender: its configuration is one of the
    organization's. None when it is listed unchanged or cannot be read.
    """
    from contracts.client.family import listed_nodes

    configuration = sender.get("smtpConfiguration") or {}
    organization = configuration.get("organizationId", api.config.org)
    nodes = listed_nodes(api.list_configurations(str(organization)))
    if nodes is None:
        return None
    node = next((n for n in nodes if n.get("id") == configuration.get("id")), None)
    if node is None:
        return "its configuration is no longer listed"
    # As text: how a port is typed is `create.port-string`'s to judge.
    kept = {
        key: str(configuration[key]) for key in ("host", "port") if key in configuration
    }
    found = {key: str(node.get(key)) for key in kept}
    return "; ".join(differences(found, kept)) or None
