"""The contract's rules, one function each: the only place each is judged.

`run` (`contracts.checks`, `contracts.client.api`), `fuzz`
(`contracts.tools.conformance`) and `diff` (`contracts.tools.diff`) call these
functions and add only how they report; none of them judges an answer on its
own, so two commands never reach different verdicts on the same exchange
(issue #12; the request-level rules are issue #18).

Two kinds of failed request are told apart:

- a request-level error (HTTP 4xx: a body that is not JSON, a variable that
  does not coerce, no token, ...; or, at HTTP 200, errors without `data` or
  a `path`) is refused before the operation runs. The guide documents no
  error codes, so its body, code and content type are the target's choice:
  it is a clean refusal, recorded as an observation. A password it quotes is
  a security warning, not a contract failure.
- a domain error (HTTP 200 with `data` and `errors`) must have the real API's
  shape.

A 5xx, or an answer that stored something it should have refused, is a
failure either way.
"""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING, Any, Protocol

from graphql import (
    GraphQLError,
    ObjectFieldNode,
    StringValueNode,
    Visitor,
    parse,
    visit,
)

from contracts.clauses import ClauseId
from contracts.documented import MUTATION_FIELD

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

# The 8-4-4-4-12 text form only: the guide's own example ids are not all v4.
UUID_TEXT = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_DECIMAL = re.compile(r"^-?[0-9]+$")
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
"""The code Apollo Server and the real API give an unexpected server failure."""
_MIN_EVIDENCE = 6
"""Shorter passwords are left out of the echo search: finding one proves nothing."""


class Answer(Protocol):
    """What the rules read of a response (`contracts.client.exchanges.Exchange`)."""

    @property
    def status(self) -> int:
        """HTTP status."""

    @property
    def text(self) -> str:
        """The raw body."""

    @property
    def body(self) -> Any:
        """The decoded JSON body, or None when it was not JSON."""


def is_uuid(value: Any) -> bool:
    """Whether `value` is a UUID in its 8-4-4-4-12 hexadecimal text form."""
    return isinstance(value, str) and UUID_TEXT.match(value) is not None


def port_as_string(returned: Any, sent: Any = None) -> bool:
    """Whether `port` came back as a String holding a decimal integer.

    Args:
        returned: The `port` of the response.
        sent: The Int sent, when known: the String must then be its decimal form.
    """
    if not isinstance(returned, str) or not _DECIMAL.match(returned):
        return False
    return sent is None or returned == str(sent)


def successful_sender(answer: Answer) -> dict[str, Any] | None:
    """The created sender when the answer is a clean success, else None."""
    body = answer.body
    if answer.status != 200 or not isinstance(body, dict) or body.get("errors"):
        return None
    data = body.get("data")
    payload = data.get(MUTATION_FIELD) if isinstance(data, dict) else None
    sender = payload.get("smtpCustomEmail") if isinstance(payload, dict) else None
    return sender if isinstance(sender, dict) else None


def is_request_level(answer: Answer) -> bool:
    """Whether an answer refused the request itself, before executing it.

    That is any HTTP 4xx, JSON or not, and also an answer without `data`
    whose errors have no `path`: the GraphQL spec leaves `data` out when the
    request fails before execution begins, and servers that follow the
    GraphQL-over-HTTP spec for `application/json` (GraphQL Yoga) send such
    validation errors with HTTP 200.
    """
    if 400 <= answer.status < 500:
        return True
    body = answer.body
    if answer.status != 200 or not isinstance(body, dict) or "data" in body:
        return False
    errors = body.get("errors")
    return (
        isinstance(errors, list)
        and bool(errors)
        and all(
            isinstance(entry, dict)
            and "path" not in entry
            # A server that says it failed has not refused anything.
            and error_code(entry) != INTERNAL_SERVER_ERROR
            for entry in errors
        )
    )


def error_shape_problem(
    answer: Answer, *, field: str | None = MUTATION_FIELD
) -> str | None:
    """What is wrong with the shape of a domain error, or None.

    Only HTTP 200 answers with `errors` are judged: a request-level error
    (`is_request_level`) is the target's choice, and a 5xx is judged as a
    server error.

    Args:
        answer: The response.
        field: The root field the request selected, whose value must be null
            beside the errors; None when the request may select anything
            (fuzzing), so partial data is allowed.
    """
    body = answer.body
    if answer.status != 200 or not isinstance(body, dict):
        return None
    if "errors" not in body:
        # GraphQL spec, "Response": data null means errors said why.
        null_data = "data" in body and body["data"] is None
        return "data is null and there are no errors" if null_data else None
    errors = body["errors"]
    if not isinstance(errors, list) or not errors:
        return "errors is not a non-empty list"
    if not all(
        isinstance(entry, dict)
        and isinstance(entry.get("message"), str)
        and entry["message"].strip()
        for entry in errors
    ):
        return "an error entry has no message"
    if is_request_level(answer):
        return None  # refused before execution: no data, any code
    if field is not None and body.get("data") != {field: None}:
        return f"data.{field} is not null beside errors"
    if not all(_has_code(entry) for entry in errors):
        return "an error entry has no extensions.code"
    if not all(entry.get("path") for entry in errors):
        # GraphQL spec, "Errors": an error of a field names its path.
        return "an error beside data has no path"
    return None


def error_code(entry: dict[str, Any]) -> Any:
    """An error entry's `extensions.code`, or None."""
    extensions = entry.get("extensions")
    return extensions.get("code") if isinstance(extensions, dict) else None


def _has_code(entry: dict[str, Any]) -> bool:
    return bool(error_code(entry))


def refusal_problem(answer: Answer, *, may_accept: bool = False) -> str | None:
    """What is wrong with the answer to a request the target must refuse.

    Any 4xx, JSON or not, is a clean refusal. A 5xx is a failure (a timeout or
    a dropped connection is raised by the client before this is reached). An
    answer below 400 must be a GraphQL error and must have stored nothing.

    Args:
        answer: The response.
        may_accept: The target may read the request and answer it as a valid
            one (a body RFC 8259 leaves parsers free to accept, such as one
            with a byte order mark): a GraphQL answer of any kind is clean.
    """
    if answer.status >= 500:
        return f"HTTP {answer.status}"
    if is_request_level(answer):
        return None
    body = answer.body
    if not isinstance(body, dict) or not (body.get("errors") or "data" in body):
        return "not a GraphQL answer (no errors, no data)"
    if may_accept:
        return None
    if successful_sender(answer) is not None:
        return "the request was accepted and a sender created"
    if not body.get("errors"):
        return "no GraphQL error"
    return None


def refusal_observation(answer: Answer, content_type: str = "") -> str | None:
    """How a request-level error was answered, for the report; None otherwise."""
    if not is_request_level(answer):
        return None
    kind = content_type.split(";", 1)[0].strip() or "no content type"
    return f"refused with HTTP {answer.status} ({kind})"


def submitted_passwords(payload: Mapping[str, Any]) -> set[str]:
    """Passwords a request submits, in its variables or inline in its query.

    Variables are searched at any depth, so `{"input": {...}}` is covered.
    Short passwords, and passwords that also stand in another field of the
    request (which may be echoed legitimately), are left out: finding them in
    a response would prove nothing.
    """
    secrets: set[str] = set()
    others: set[str] = set()
    _collect_strings(payload.get("variables"), secrets, others)
    query = payload.get("query")
    if isinstance(query, str) and "password" in query:
        _collect_inline(query, secrets, others)
    return {
        secret
        for secret in secrets
        if len(secret.strip()) >= _MIN_EVIDENCE and not any(secret in o for o in others)
    }


def _collect_strings(value: Any, secrets: set[str], others: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                (secrets if key == "password" else others).add(item)
            else:
                _collect_strings(item, secrets, others)
    elif isinstance(value, list):
        for item in value:
            _collect_strings(item, secrets, others)


def _collect_inline(query: str, secrets: set[str], others: set[str]) -> None:
    class Inline(Visitor):
        def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
            if isinstance(node.value, StringValueNode):
                into = secrets if node.name.value == "password" else others
                into.add(node.value.value)

    # An unparsable query submits nothing inline.
    with contextlib.suppress(GraphQLError):
        visit(parse(query), Inline())


def password_echoed(text: str, passwords: Iterable[str], *, marker: str = "") -> bool:
    """Whether any submitted password appears in a response.

    Args:
        text: The raw response body.
        passwords: Every password submitted so far.
        marker: A prefix all of `passwords` share; when it is absent from the
            response none of them can be in it, which keeps the search linear
            in the response's size.
    """
    if marker and marker not in text:
        return False
    return any(secret and secret in text for secret in passwords)


def password_leak(
    answer: Answer, passwords: Iterable[str], *, marker: str = ""
) -> ClauseId | None:
    """The clause a submitted password in this answer breaks, or None.

    Quoted by a request-level error (graphql-js's variable-coercion message,
    graphql-ruby's `extensions.value`) it is the security warning
    `secrets.password-in-request-errors`; anywhere else (data, a domain
    error, a success) it is `secrets.password`.
    """
    if not password_echoed(answer.text, passwords, marker=marker):
        return None
    if is_request_level(answer):
        return ClauseId.SECRETS_PASSWORD_IN_REQUEST_ERRORS
    return ClauseId.SECRETS_PASSWORD
