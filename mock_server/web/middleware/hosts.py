"""Host-header validation: the mock answers only to names it is reached by.

A page on any website can point a name it controls at 127.0.0.1 (DNS
rebinding) and then talk to the mock as a same-origin page, reading and
changing its state. The browser still sends that name in `Host`, so serving
only local names (and the ones the user adds) closes the hole; this is what
Vite's dev server does since GHSA-vg6x-rcgg-rjx6 (issue #20).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mock_server.errors import ConfigurationError
from mock_server.web._json import error_response

if TYPE_CHECKING:
    from starlette.responses import Response

# The loopback names every local tool uses; the one definition of "local" for
# both the Host check and CORS (`mock_server.web.middleware.cors`).
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
ANY_HOST = "*"
HOST_OPTION = "--allowed-host"
HOST_ENVVAR = "SMTP_MOCK_ALLOWED_HOSTS"
FORBIDDEN_HOST_CODE = "FORBIDDEN_HOST"

_NAME = re.compile(r"[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?")
_SHOWN_HOST_LENGTH = 100


def url_form(host: str) -> str:
    """`host` as it appears in a URL or a Host header (IPv6 in brackets)."""
    return f"[{host}]" if ":" in host else host


def host_name(header: str) -> str:
    """The host of a `Host` header value: port dropped, lower case, no brackets.

    Example:
        >>> host_name("[::1]:4000"), host_name("LocalHost:5173")
        ('::1', 'localhost')
    """
    value = header.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value[1:]
    name, _, _port = value.partition(":")
    # A trailing dot names the same host ("localhost." is localhost).
    return name.removesuffix(".")


def is_loopback(bind: str) -> bool:
    """Whether a listening address (`--host`) is reachable from this machine only."""
    if bind.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(bind.strip("[]")).is_loopback
    except ValueError:
        return False


def bound_hosts(bind: str) -> tuple[str, ...]:
    """Hosts to allow because the server listens on exactly that address.

    A wildcard bind (`0.0.0.0`, `::`) names no host: callers reach it by any of
    the machine's names, which the user lists with `--allowed-host`.
    """
    try:
        if ipaddress.ip_address(bind.strip("[]")).is_unspecified:
            return ()
    except ValueError:
        pass
    return (bind,)


@dataclass(frozen=True)
class HostPolicy:
    """Which `Host` headers the mock serves.

    Args:
        names: Exact host names (lower case, IPv6 without brackets).
        suffixes: Domains whose subdomains are allowed too (from `.example.com`).
        any_host: True turns the check off (`--allowed-host '*'`).
    """

    names: frozenset[str]
    suffixes: tuple[str, ...] = ()
    any_host: bool = False

    @classmethod
    def from_options(cls, allowed: Iterable[str]) -> HostPolicy:
        """The local hosts plus `allowed` (as given to `--allowed-host`).

        Raises:
            ConfigurationError: a value is not a host name, an IP address, a
                name with a leading dot, or `*`.
        """
        names, suffixes, any_host = set(LOCAL_HOSTS), [], False
        for value in allowed:
            if value.strip() == ANY_HOST:
                any_host = True
                continue
            name = _checked_name(value)
            if name.startswith("."):
                suffixes.append(name)
                names.add(name[1:])
            else:
                names.add(name)
        return cls(frozenset(names), tuple(suffixes), any_host)

    def allows(self, host: str) -> bool:
        """Whether a request whose `Host` header names `host` is served."""
        return self.any_host or host in self.names or host.endswith(self.suffixes)

    def serves(self, header: str | None) -> bool:
        """Whether a request whose `Host` header is `header` is served.

        A request without one is served: browsers always send one, and the
        check exists to stop browsers (any other client can send what it likes).
        """
        return header is None or self.allows(host_name(header))


def _checked_name(value: str) -> str:
    name = value.strip().lower().removesuffix(".")
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    bare = name.removeprefix(".")
    try:
        ipaddress.ip_address(bare)
    except ValueError:
        if _NAME.fullmatch(bare) is None or ".." in bare:
            raise ConfigurationError(
                f"{HOST_OPTION} {value!r} is not a host name: give a name "
                "('mock.internal'), a name with a leading dot for it and its "
                "subdomains ('.example.com'), an IP address, or '*'"
            ) from None
    return name


def forbidden_host_response(host: str) -> Response:
    """The 403 for `host`, in the GraphQL error shape, naming the option."""
    shown = host[:_SHOWN_HOST_LENGTH]
    return error_response(
        403,
        FORBIDDEN_HOST_CODE,
        f"Host {shown!r} is not allowed: the mock serves local hosts only; "
        f"start it with {HOST_OPTION} {url_form(shown)} (or {HOST_ENVVAR}) "
        "to serve this one",
    )
