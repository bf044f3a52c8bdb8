"""`POST /oauth/token`: the OAuth2 client credentials grant (RFC 6749 §4.4).

The reference: a service account sends a JSON `POST` with `grant_type:
client_credentials`, `client_id` and `client_secret`, and the answer carries
`access_token`. Form bodies (`application/x-www-form-urlencoded`, the RFC's
own) and HTTP Basic client authentication (RFC 6749 §2.3.1) work too.
Refusals are in the RFC's error shape (§5.2); nothing a client sends is ever
quoted back, and the issued token appears only in the token response.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote_plus

from starlette.requests import ClientDisconnect

from mock_server.web._asgi import request_header
from mock_server.web._json import JSONResponse, loads as json_loads
from mock_server.web.bodies import BodyTooLarge, read_body

if TYPE_CHECKING:
    from starlette.types import Receive, Scope, Send

    from mock_server.web.service_accounts import ServiceAccounts

TOKEN_PATH = "/oauth/token"
GRANT_TYPE = "client_credentials"
MAX_TOKEN_BODY_BYTES = 16 * 1024
"""A token request is a few short fields; anything larger is refused (413)."""
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_FORM = "application/x-www-form-urlencoded"
_JSON = "application/json"


class _Refusal(Exception):
    """The request gets an OAuth error response instead of a token."""

    def __init__(
        self, error: str, description: str, status: int = 400, **headers: str
    ) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status
        self.headers = headers


def _invalid_client() -> _Refusal:
    return _Refusal(
        "invalid_client",
        "Client authentication failed: unknown client or wrong secret",
        401,
        **{"WWW-Authenticate": 'Basic realm="smtp-mock"'},
    )


class TokenEndpoint:
    """Issues access tokens to the configured service accounts.

    Args:
        accounts: The clients, and where their tokens are kept.
    """

    def __init__(self, accounts: ServiceAccounts) -> None:
        self._accounts = accounts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one token request (an ASGI app, so its route takes any method)."""
        state = scope.setdefault("state", {})
        try:
            body = await self._issue(scope, receive)
        except _Refusal as refusal:
            state["outcome"] = refusal.error
            response = JSONResponse(
                {"error": refusal.error, "error_description": refusal.description},
                refusal.status,
                headers={**_NO_STORE, **refusal.headers},
            )
        else:
            state["outcome"] = "ISSUED"
            response = JSONResponse(body, 200, headers=_NO_STORE)
        await response(scope, receive, send)

    async def _issue(self, scope: Scope, receive: Receive) -> dict[str, Any]:
        if scope["method"] != "POST":
            raise _Refusal(
                "invalid_request", "Use POST for a token request", 405, Allow="POST"
            )
        params = await _parameters(scope, receive)
        grant_type = params.get("grant_type")
        if grant_type is None:
            raise _Refusal("invalid_request", "grant_type is required")
        if grant_type != GRANT_TYPE:
            raise _Refusal(
                "unsupported_grant_type",
                f"Only grant_type={GRANT_TYPE} is supported",
            )
        client_id, secret = _client_credentials(scope, params)
        issued = self._accounts.issue(client_id, secret)
        if issued is None:
            raise _invalid_client()
        return {
            "access_token": issued.value,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
        }


async def _parameters(scope: Scope, receive: Receive) -> dict[str, str]:
    """The request's parameters, from a JSON or a form body."""
    content_type = request_header(scope, b"content-type") or ""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in (_JSON, _FORM):
        raise _Refusal("invalid_request", f"Content-Type must be {_JSON} or {_FORM}")
    try:
        raw = await read_body(scope, receive, limit=MAX_TOKEN_BODY_BYTES)
    except BodyTooLarge:
        raise _Refusal(
            "invalid_request",
            f"The body is larger than {MAX_TOKEN_BODY_BYTES} bytes",
            413,
        ) from None
    except ClientDisconnect:
        raise _Refusal("invalid_request", "The body ended early") from None
    return _from_json(raw) if media_type == _JSON else _from_form(raw)


def _from_json(raw: bytes) -> dict[str, str]:
    try:
        decoded = json_loads(raw)
    except ValueError:
        raise _Refusal("invalid_request", "The body is not valid JSON") from None
    if not isinstance(decoded, dict):
        raise _Refusal("invalid_request", "The body must be a JSON object")
    params: dict[str, str] = {}
    for name, value in decoded.items():
        if value is None:
            continue
        if not isinstance(value, str):
            # Unknown parameters are ignored (RFC 6749 §3.2), whatever they hold.
            if name in ("grant_type", "client_id", "client_secret"):
                raise _Refusal("invalid_request", f"{name} must be a string")
            continue
        params[name] = value
    return params


def _from_form(raw: bytes) -> dict[str, str]:
    try:
        text = raw.decode("utf-8")
        pairs = parse_qs(text, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise _Refusal("invalid_request", "The body is not valid form data") from None
    repeated = sorted(name for name, values in pairs.items() if len(values) > 1)
    if repeated:
        # RFC 6749 §3.2: a parameter must not be sent more than once.
        raise _Refusal("invalid_request", f"{repeated[0]} is sent more than once")
    return {name: values[0] for name, values in pairs.items()}


def _client_credentials(scope: Scope, params: dict[str, str]) -> tuple[str, str]:
    """The client's id and secret, from the body or HTTP Basic (not both)."""
    authorization = request_header(scope, b"authorization")
    if authorization is not None and authorization[:6].lower() == "basic ":
        if "client_secret" in params:
            raise _Refusal(
                "invalid_request",
                "Authenticate the client one way: HTTP Basic or client_secret",
            )
        client_id, secret = _basic(authorization[6:].strip())
        if params.get("client_id", client_id) != client_id:
            raise _invalid_client()
        return client_id, secret
    missing = [name for name in ("client_id", "client_secret") if not params.get(name)]
    if missing:
        raise _Refusal("invalid_request", f"{' and '.join(missing)} is required")
    return params["client_id"], params["client_secret"]


def _basic(encoded: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _Refusal(
            "invalid_request", "The Basic credentials are not valid base64"
        ) from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise _Refusal("invalid_request", "The Basic credentials must be id:secret")
    # RFC 6749 §2.3.1: both parts are form-encoded before Basic encodes them.
    return unquote_plus(client_id), unquote_plus(secret)
