"""Which media type a GraphQL answer is sent as: the `Accept` header decides.

The GraphQL-over-HTTP spec (graphql.github.io/graphql-over-http) defines two:
`application/graphql-response+json`, whose status codes say what happened
(a request error is a 4xx), and `application/json`, the legacy type, with which
a server SHOULD answer every well-formed request with 200, request errors too.
Apollo Client 4 and urql ask for the first one first.

- `application/graphql-response+json` named in `Accept` (q > 0), and liked at
  least as much as `application/json`: that type.
- Otherwise `application/json`, also for no `Accept`, `*/*`, `application/*`,
  and for an `Accept` naming neither: the spec allows answering with the
  default type rather than 406, and a GraphQL error in JSON is more use to a
  client than an empty 406.

A media range asking for a charset other than UTF-8 does not match.
"""

from __future__ import annotations

import enum

__all__ = ["MediaType", "negotiate"]


class MediaType(enum.Enum):
    """The two media types of a GraphQL answer, and their `Content-Type`."""

    GRAPHQL_RESPONSE = "application/graphql-response+json; charset=utf-8"
    JSON = "application/json"

    @property
    def content_type(self) -> str:
        """The `Content-Type` header of an answer of this type."""
        return self.value


_GRAPHQL_RESPONSE = "application/graphql-response+json"
_JSON_RANGES = frozenset({"application/json", "application/*", "*/*"})
_UTF_8 = frozenset({"utf-8", "utf8"})


def negotiate(accept: str | None) -> MediaType:
    """The media type to answer a request whose `Accept` header is `accept`."""
    if not accept or not accept.strip():
        return MediaType.JSON
    graphql_response = json = 0.0
    for media_range in accept.split(","):
        media_type, quality = _parse(media_range)
        if media_type == _GRAPHQL_RESPONSE:
            graphql_response = max(graphql_response, quality)
        elif media_type in _JSON_RANGES:
            json = max(json, quality)
    if graphql_response > 0 and graphql_response >= json:
        return MediaType.GRAPHQL_RESPONSE
    return MediaType.JSON


def _parse(media_range: str) -> tuple[str, float]:
    """A media range's type and quality (0 when it cannot be served)."""
    media_type, *parameters = (part.strip() for part in media_range.split(";"))
    quality = 1.0
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        name, value = name.strip().lower(), value.strip().strip('"').lower()
        if name == "q":
            try:
                quality = min(max(float(value), 0.0), 1.0)
            except ValueError:
                quality = 0.0
        elif name == "charset" and value not in _UTF_8:
            quality = 0.0
    return media_type.lower(), quality
