"""Bearer tokens for a service account: the OAuth2 client credentials grant.

The reference: a service account gets its access token with a JSON `POST` to
the vendor's `/oauth/token` carrying `grant_type: client_credentials`,
`client_id` and `client_secret` (RFC 6749 §4.4). `ClientCredentials` is an
`httpx.Auth` that does so before the first request, again once `expires_in`
has (nearly) passed, and once more when the target answers 401 to a token.
Neither the secret nor a token appears in any message or repr.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

import httpx

from contracts.errors import TokenUnavailable

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    from contracts.config import ContractConfig

GRANT_TYPE = "client_credentials"
EXPIRY_MARGIN_S = 30.0
"""A token is renewed this long before it expires (at most half its lifetime)."""
_MAX_DETAIL = 200


class ClientCredentials(httpx.Auth):
    """Attaches a service account's access token to each request.

    Safe to share between threads: one token is fetched at a time, and a
    token that several requests saw refused is renewed once.

    Args:
        token_url: The token endpoint.
        client_id: The service account's id.
        client_secret: Its secret; only ever sent to `token_url`.
        timeout: Seconds to wait for the token endpoint.
        clock: Returns seconds (monotonic); injectable so tests need not wait.
        http: Sends the token requests (closed with this object); a new
            `httpx.Client` with `timeout` by default.

    Example:
        >>> auth = ClientCredentials("https://x.example/oauth/token", "id", "s")
        >>> client = httpx.Client(auth=auth)
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        http: httpx.Client | None = None,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self._clock = clock
        self._client = http or httpx.Client(timeout=timeout)
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at: float | None = None
        self.fetched = 0
        """Tokens fetched so far."""
        self.on_resend: Callable[[], None] | None = None
        """Called before a request refused with 401 is sent again (a budget)."""

    def __repr__(self) -> str:
        return (
            f"ClientCredentials(token_url={self.token_url!r}, "
            f"client_id={self.client_id!r})"
        )

    def token(self) -> str:
        """The current access token, fetched first when there is none or it expired.

        Raises:
            TokenUnavailable: the token endpoint gave no token.
        """
        with self._lock:
            expired = self._renew_at is not None and self._clock() >= self._renew_at
            if self._token is None or expired:
                self._fetch()
            assert self._token is not None
            return self._token

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Send `request` with the token; on a 401, once more with a new one."""
        token = self.token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code != 401:
            return
        renewed = self._renew(token)
        if self.on_resend is not None:
            self.on_resend()
        request.headers["Authorization"] = f"Bearer {renewed}"
        yield request

    async def async_auth_flow(self, request: httpx.Request) -> Any:
        """Not supported: token requests are sent synchronously."""
        raise RuntimeError("ClientCredentials works with httpx.Client only")
        yield request  # pragma: no cover - makes this an async generator

    def close(self) -> None:
        """Close the connections to the token endpoint."""
        self._client.close()

    def _renew(self, refused: str) -> str:
        with self._lock:
            # Another request may have renewed it meanwhile: one fetch is enough.
            if self._token == refused:
                self._fetch()
            assert self._token is not None
            return self._token

    def _fetch(self) -> None:
        started = self._clock()
        payload = {
            "grant_type": GRANT_TYPE,
            "client_id": self.client_id,
            "client_secret": self._secret,
        }
        try:
            response = self._client.post(self.token_url, json=payload)
        except httpx.HTTPError as exc:
            raise TokenUnavailable(
                f"the token endpoint {self.token_url} did not answer "
                f"({type(exc).__name__}); check --token-url"
            ) from exc
        token, expires_in = self._read(response)
        self._token = token
        self._renew_at = (
            None
            if expires_in is None
            else started + expires_in - min(EXPIRY_MARGIN_S, expires_in / 2)
        )
        self.fetched += 1

    def _read(self, response: httpx.Response) -> tuple[str, float | None]:
        """The token and its lifetime from a token response."""
        where = f"the token endpoint {self.token_url}"
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code != 200:
            raise TokenUnavailable(
                f"{where} refused client {self.client_id!r}: HTTP "
                f"{response.status_code}{self._oauth_error(body)}; check "
                "--client-id, --client-secret and --token-url"
            )
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token.strip():
            raise TokenUnavailable(f"{where} answered HTTP 200 without access_token")
        assert isinstance(body, dict)
        token_type = body.get("token_type", "Bearer")
        if not isinstance(token_type, str) or token_type.lower() != "bearer":
            raise TokenUnavailable(
                f"{where} gave a token of type {self._clean(token_type)!r}; only "
                "Bearer tokens are supported"
            )
        return token, _lifetime(body.get("expires_in"))

    def _oauth_error(self, body: Any) -> str:
        """` invalid_client (description)`: the RFC 6749 §5.2 error, if any."""
        if not isinstance(body, dict) or not isinstance(body.get("error"), str):
            return ""
        text = " " + self._clean(body["error"])
        description = body.get("error_description")
        if isinstance(description, str) and description.strip():
            text += f" ({self._clean(description)})"
        return text

    def _clean(self, value: object) -> str:
        """Server text fit for one line, with the secret blotted out if echoed."""
        text = str(value).replace(self._secret, "***") if self._secret else str(value)
        return " ".join(text.split())[:_MAX_DETAIL]


def _lifetime(expires_in: object) -> float | None:
    """Seconds a token lives, when the answer says so sensibly."""
    if isinstance(expires_in, str) and expires_in.strip().isdigit():
        expires_in = int(expires_in)
    if isinstance(expires_in, bool) or not isinstance(expires_in, int | float):
        return None
    return float(expires_in) if expires_in > 0 else None


def client_credentials(config: ContractConfig) -> ClientCredentials | None:
    """The run's service-account auth, when `--client-id` is given."""
    if config.client_id is None or config.client_secret is None:
        return None
    assert config.token_url is not None  # make_config fills it in
    return ClientCredentials(
        config.token_url,
        config.client_id,
        config.client_secret,
        timeout=config.timeout,
    )
