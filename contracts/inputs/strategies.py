"""Hypothesis strategies for the mutation's inputs, valid and invalid.

Valid inputs stay inside what the guide promises and what any correct
implementation must accept: trimmed, printable names (non-ASCII included),
lowercase DNS hosts and IPv4 addresses, ports in 1..65535, credential mode and
relay mode with `ipRelayAuth` explicit or omitted. Everything the guide leaves
open (spaces, case, range, length) belongs to the probes, not to these.

Addresses come from a strategy the caller passes, so that a run can keep every
address inside its namespace, fresh on every draw.

Example:
    >>> from hypothesis import given, strategies as st
    >>> @given(create_variables("980700673", st.just("a@acme.example")))
    ... def test_create(variables): ...
"""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

TOP_LEVEL_DOMAINS = ("com", "net", "org", "io", "example", "internal")
COMMON_PORTS = (25, 465, 587, 2525)

_NAME_CHARACTERS = st.characters(
    categories=("L", "N", "Pd", "Po", "Zs"), exclude_characters="\x00"
)
_LABEL_ALPHABET = string.ascii_lowercase + string.digits


def sender_names() -> st.SearchStrategy[str]:
    """Display names: letters of any script, digits, punctuation, inner spaces."""
    return (
        st.text(_NAME_CHARACTERS, min_size=1, max_size=40)
        .map(lambda name: " ".join(name.split()))
        .filter(bool)
    )


def _labels() -> st.SearchStrategy[str]:
    return st.builds(
        lambda head, middle, tail: head + middle + tail if middle or tail else head,
        st.sampled_from(_LABEL_ALPHABET),
        st.text(_LABEL_ALPHABET + "-", max_size=12),
        st.sampled_from(_LABEL_ALPHABET) | st.just(""),
    ).filter(lambda label: not label.endswith("-"))


def hosts() -> st.SearchStrategy[str]:
    """SMTP hosts: lowercase DNS names or IPv4 addresses."""
    names = st.builds(
        lambda labels, tld: ".".join([*labels, tld]),
        st.lists(_labels(), min_size=1, max_size=3),
        st.sampled_from(TOP_LEVEL_DOMAINS),
    )
    return names | st.ip_addresses(v=4).map(str)


def ports() -> st.SearchStrategy[int]:
    """Ports in 1..65535, the usual SMTP ones most often."""
    return st.sampled_from(COMMON_PORTS) | st.integers(1, 65535)


def usernames() -> st.SearchStrategy[str]:
    """SMTP usernames: API-key names or addresses."""
    return st.text(
        string.ascii_letters + string.digits + "._@+-", min_size=1, max_size=40
    )


def passwords(marker: str = "pw") -> st.SearchStrategy[str]:
    """Passwords that start with `marker`, so they can be searched for in responses.

    A marker unique to the run keeps a password from ever matching an echoed
    field by chance.
    """
    return st.text(string.printable.strip(), max_size=24).map(
        lambda rest: f"{marker}-{rest}"
    )


def credential_configurations(
    organization_id: str, *, password_marker: str = "pw"
) -> st.SearchStrategy[dict[str, Any]]:
    """`smtpConfiguration` values for credential mode (relay false or omitted)."""
    base = st.fixed_dictionaries(
        {
            "host": hosts(),
            "port": ports(),
            "organizationId": st.just(organization_id),
            "username": usernames(),
            "password": passwords(password_marker),
        },
        optional={"ipRelayAuth": st.just(False)},
    )
    return base


def relay_configurations(organization_id: str) -> st.SearchStrategy[dict[str, Any]]:
    """`smtpConfiguration` values for IP relay mode, without credentials."""
    return st.fixed_dictionaries(
        {
            "host": hosts(),
            "port": ports(),
            "organizationId": st.just(organization_id),
            "ipRelayAuth": st.just(True),
        }
    )


def configurations(
    organization_id: str, *, password_marker: str = "pw"
) -> st.SearchStrategy[dict[str, Any]]:
    """Any valid `smtpConfiguration`: credential mode or relay mode."""
    return credential_configurations(
        organization_id, password_marker=password_marker
    ) | relay_configurations(organization_id)


def create_variables(
    organization_id: str,
    addresses: st.SearchStrategy[str],
    *,
    password_marker: str = "pw",
) -> st.SearchStrategy[dict[str, Any]]:
    """Variables of the documented operation for a create that must succeed."""
    return st.fixed_dictionaries(
        {
            "senderName": sender_names(),
            "emailAddress": addresses,
            "smtpConfiguration": configurations(
                organization_id, password_marker=password_marker
            ),
        }
    )


def missing_credentials(
    organization_id: str,
    addresses: st.SearchStrategy[str],
    *,
    password_marker: str = "pw",
) -> st.SearchStrategy[dict[str, Any]]:
    """Credential-mode variables with `username`, `password` or both left out.

    A credential is left out by omitting it, sending null or sending an empty
    string; `ipRelayAuth` is false, omitted or null (what many form libraries
    send for an untouched checkbox). Every one of these must be refused.
    """

    def drop(
        variables: dict[str, Any],
        which: tuple[str, ...],
        missing_as: str,
        relay_null: bool,
    ) -> dict[str, Any]:
        configuration = dict(variables["smtpConfiguration"])
        for name in which:
            configuration.pop(name, None)
            if missing_as != "omitted":
                configuration[name] = None if missing_as == "null" else ""
        if relay_null:
            configuration["ipRelayAuth"] = None
        return {**variables, "smtpConfiguration": configuration}

    valid = st.fixed_dictionaries(
        {
            "senderName": sender_names(),
            "emailAddress": addresses,
            "smtpConfiguration": credential_configurations(
                organization_id, password_marker=password_marker
            ),
        }
    )
    return st.builds(
        drop,
        valid,
        st.sampled_from([("username",), ("password",), ("username", "password")]),
        st.sampled_from(["omitted", "null", "empty"]),
        st.booleans(),
    )


REQUIRED_ARGUMENTS = (
    "senderName",
    "emailAddress",
    "smtpConfiguration.host",
    "smtpConfiguration.port",
    "smtpConfiguration.organizationId",
)
"""The arguments the guide marks as required."""


def without_argument(variables: dict[str, Any], argument: str) -> dict[str, Any]:
    """A copy of the variables with one argument (dotted path) left out."""
    if "." not in argument:
        return {key: value for key, value in variables.items() if key != argument}
    _, name = argument.split(".", 1)
    configuration = {
        key: value
        for key, value in variables["smtpConfiguration"].items()
        if key != name
    }
    return {**variables, "smtpConfiguration": configuration}
