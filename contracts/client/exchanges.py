"""One request and what came back, as every check and report reads it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contracts.client.curl import curl_command

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and what came back.

    Attributes:
        payload: The JSON body sent.
        authenticated: Whether the configured token was attached.
        headers: Extra headers sent (never the configured token).
        status: HTTP status.
        text: The raw response body.
        body: The decoded JSON body, or None when it was not JSON.
        raw: The exact body sent, when it was not `payload` as JSON.
        content_type: The response's Content-Type header.
    """

    payload: Any
    authenticated: bool
    headers: Mapping[str, str]
    status: int
    text: str
    body: Any
    raw: bytes | None = None  # the exact body, when it was not `payload` as JSON
    # The client's own response object (Schemathesis validates it in `fuzz`).
    response: Any = field(default=None, compare=False, repr=False)
    content_type: str = ""
    retry_after: str | None = None  # the response's Retry-After header

    @classmethod
    def of(
        cls,
        response: Any,
        payload: Any,
        *,
        authenticated: bool = True,
        headers: Mapping[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Exchange:
        """The exchange of a request (`payload`, or `raw` bytes) and its response."""
        return cls(
            payload=payload,
            authenticated=authenticated,
            headers=headers or {},
            status=response.status_code,
            text=response.text,
            body=_json_or_none(response),
            raw=raw,
            response=response,
            content_type=response.headers.get("content-type", ""),
            retry_after=response.headers.get("retry-after"),
        )

    def curl(self, url: str, *, token_set: bool) -> str:
        """A ready-to-run `curl` reproducing the request, token as an env var."""
        return curl_command(
            url,
            self.payload if self.raw is None else self.raw,
            with_token=self.authenticated and token_set,
            headers=self.headers,
        )


def _json_or_none(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
