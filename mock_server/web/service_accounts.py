"""Service accounts: clients configured at start, and the tokens issued to them.

The reference: a service account gets its access token with the OAuth2 client
credentials grant (RFC 6749 §4.4) from `/oauth/token` (see
`mock_server.web.oauth`). Issued tokens live in this process's memory until
they expire, so a token issued by one `--workers` process would be unknown to
the others (`smtp-mock serve` refuses the combination).
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from mock_server.errors import ConfigurationError

TOKEN_LIFETIME_S = 3600
"""Seconds an issued token is accepted (the token response's `expires_in`)."""
MAX_LIVE_TOKENS = 10_000
"""Most unexpired tokens kept; past it the oldest is forgotten first."""
CLIENT_OPTION = "--client"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """An access token and how long it is accepted.

    Attributes:
        value: The bearer token; never logged.
        expires_in: Seconds it is accepted from now.
    """

    value: str
    expires_in: int

    def __repr__(self) -> str:
        return f"IssuedToken(value=<hidden>, expires_in={self.expires_in})"


class ServiceAccounts:
    """The clients that may get tokens, and the tokens they got.

    Args:
        clients: Each client's secret, by client id.
        lifetime: Seconds an issued token is accepted.
        clock: Returns seconds (monotonic); injectable so tests need not wait.

    Raises:
        ConfigurationError: a client id or secret is blank, or the lifetime
            is not positive.

    Example:
        >>> accounts = ServiceAccounts({"ci": "s3cret"})
        >>> token = accounts.issue("ci", "s3cret")
        >>> accounts.accepts(token.value) if token else False
        True
    """

    def __init__(
        self,
        clients: Mapping[str, str],
        *,
        lifetime: int = TOKEN_LIFETIME_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if lifetime < 1:
            raise ConfigurationError(
                f"the token lifetime must be at least 1 second, got {lifetime}"
            )
        for client_id, secret in clients.items():
            if not client_id.strip() or not secret.strip():
                raise ConfigurationError(
                    f"{CLIENT_OPTION} needs a client id and a secret, both non-blank"
                )
        self._secrets = {key: secret.encode() for key, secret in clients.items()}
        self.lifetime = lifetime
        self._clock = clock
        # Insertion order is expiry order: every token lives `lifetime` seconds.
        self._issued: dict[str, float] = {}

    def __repr__(self) -> str:
        return f"ServiceAccounts(clients={sorted(self._secrets)!r})"

    def issue(self, client_id: str, secret: str) -> IssuedToken | None:
        """A fresh token for a client whose secret matches, else None."""
        expected = self._secrets.get(client_id)
        # Compared in constant time, and for an unknown client too, so that
        # neither the secret nor which ids exist can be timed out of the mock.
        matches = hmac.compare_digest(secret.encode(), expected or b"\0unknown")
        if expected is None or not matches:
            return None
        now = self._clock()
        self._forget_expired(now)
        while len(self._issued) >= MAX_LIVE_TOKENS:
            del self._issued[next(iter(self._issued))]
        value = secrets.token_urlsafe(32)
        self._issued[value] = now + self.lifetime
        return IssuedToken(value, self.lifetime)

    def accepts(self, token: str) -> bool:
        """Whether `token` was issued here and has not expired."""
        expires = self._issued.get(token)
        return expires is not None and self._clock() < expires

    def _forget_expired(self, now: float) -> None:
        while self._issued:
            value, expires = next(iter(self._issued.items()))
            if expires > now:
                return
            del self._issued[value]


def parse_clients(values: Iterable[str]) -> dict[str, str]:
    """`ID:SECRET` pairs (`--client`) as secrets by client id.

    The secret is what follows the first colon, so it may hold colons itself.

    Raises:
        ConfigurationError: a value is not `ID:SECRET`, or an id repeats; the
            message never quotes a secret.
    """
    clients: dict[str, str] = {}
    for position, value in enumerate(values, start=1):
        client_id, colon, secret = value.partition(":")
        client_id = client_id.strip()
        if not colon or not client_id or not secret.strip():
            raise ConfigurationError(
                f"{CLIENT_OPTION} number {position} must be ID:SECRET with both "
                "parts non-blank"
            )
        if client_id in clients:
            raise ConfigurationError(
                f"{CLIENT_OPTION} {client_id!r} is given twice; give each client once"
            )
        clients[client_id] = secret
    return clients
