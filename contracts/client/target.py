"""The thing under test: an HTTP client, a URL, a budget and a rate limit.

Every request goes through `Target.post`, which enforces `--max-requests` and
`--rps`, resends what a throttling target asks to have resent (see
`contracts.client.retries`), and keeps what is needed to print a reproduction
without the token.
"""

from __future__ import annotations

import json
import random
import re
import shlex
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from contracts.client.bursts import AsgiBurst, Burst, HttpBurst
from contracts.client.retries import Retrier
from contracts.errors import (
    BudgetExhausted,
    OutcomeUnknown,
    ShrinkBudgetSpent,
    TargetUnreachable,
    Throttled,
)

if TYPE_CHECKING:
    from contracts.config import ContractConfig

TOKEN_ENV = "SMTP_CONTRACT_TOKEN"


class HTTPClient(Protocol):
    """The part of `httpx.Client` (or Starlette's `TestClient`) the suite uses."""

    def post(
        self,
        url: str,
        *,
        json: Any = ...,
        content: bytes = ...,
        headers: Mapping[str, str] | None = ...,
    ) -> Any:
        """Send a POST request."""

    def close(self) -> None:
        """Release the connection pool."""


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


def curl_command(
    url: str,
    payload: Any,
    *,
    with_token: bool,
    headers: Mapping[str, str] | None = None,
) -> str:
    """A `curl` command sending `payload`; the token stays an env variable.

    `payload` is sent as JSON, or as is when it is bytes (bash's $'...' quoting
    spells out each byte that is not printable ASCII).
    """
    parts = ["curl", "-sS", "-X", "POST", url, "-H", "content-type: application/json"]
    command = " ".join(shlex.quote(part) for part in parts)
    if with_token:
        command += f' -H "Authorization: Bearer ${TOKEN_ENV}"'
    for name, value in (headers or {}).items():
        command += " -H " + shlex.quote(f"{name}: {value}")
    if isinstance(payload, bytes):
        return command + " --data-binary " + _bash_bytes(payload)
    return command + " --data " + shlex.quote(json.dumps(payload))


def _bash_bytes(content: bytes) -> str:
    # bash's $'...' quoting: printable ASCII as it is, every other byte as \xHH
    # (NUL cannot be passed: no body here holds one).
    spelled = []
    for byte in content:
        if byte in (0x5C, 0x27):  # backslash and quote: escaped
            spelled.append("\\" + chr(byte))
        elif 0x20 <= byte < 0x7F:
            spelled.append(chr(byte))
        else:
            spelled.append(f"\\x{byte:02x}")
    return "$'" + "".join(spelled) + "'"


class RateLimiter:
    """Spaces requests at least `1 / rps` seconds apart.

    Args:
        rps: Requests per second, or None for no limit.
        clock: Monotonic seconds; injectable for tests.
        sleep: Waits a number of seconds; injectable for tests.
    """

    def __init__(
        self,
        rps: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = 1.0 / rps if rps else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until the next request may go."""
        if not self._interval:
            return
        with self._lock:
            now = self._clock()
            if now < self._next:
                self._sleep(self._next - now)
                now = self._next
            self._next = now + self._interval


@dataclass
class Target:
    """Where requests go, and the limits every request obeys.

    Args:
        client: Sends the requests (a live `httpx.Client` or an in-process one).
        url: The GraphQL endpoint.
        token: Attached as a bearer token when set.
        max_requests: Hard budget, or None for no limit; resends count too.
        limiter: Spaces requests out.
        retries: Handles throttling and lost connections.
        on_send: Called after every request sent (progress display).
        burst: Sends simultaneous requests (`post_at_once`); by default over
            the client's ASGI app when it has one, else over HTTP.
        shrink_budget: Requests a test may send after its first clause
            failure (Hypothesis shrinking it), or None for no limit.
    """

    client: HTTPClient
    url: str
    token: str | None = None
    max_requests: int | None = None
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(None))
    retries: Retrier = field(default_factory=Retrier)
    on_send: Callable[[Target], None] | None = None
    sent: int = 0
    burst: Burst | None = None
    shrink_budget: int | None = None
    _shrink_limit: int | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False
    )

    def __post_init__(self) -> None:
        if self.burst is None:
            app = getattr(self.client, "app", None)
            self.burst = AsgiBurst(app) if app is not None else HttpBurst(10.0)

    def failure_found(self) -> None:
        """Start counting the shrink budget (the first failure of a test)."""
        if self.shrink_budget is not None and self._shrink_limit is None:
            self._shrink_limit = self.sent + self.shrink_budget

    @property
    def shrink_spent(self) -> bool:
        """Whether the current test sent all its shrink budget."""
        return self._shrink_limit is not None and self.sent >= self._shrink_limit

    def next_test(self) -> None:
        """Forget the previous test's failure: its shrinking is over."""
        self._shrink_limit = None

    @classmethod
    def configured(
        cls, client: HTTPClient, url: str, config: ContractConfig, *, token: str | None
    ) -> Target:
        """A target obeying the run's budget, rate limit and retry caps.

        `--seed` also seeds the backoff jitter, so a rerun waits alike.
        """
        return cls(
            client,
            url,
            token=token,
            max_requests=config.max_requests,
            limiter=RateLimiter(config.rps),
            retries=Retrier(config.retry_policy, rng=random.Random(config.seed)),
            burst=HttpBurst(config.timeout) if config.is_live else None,
            shrink_budget=config.shrink_budget,
        )

    def post(
        self,
        payload: Any,
        *,
        authenticated: bool = True,
        headers: Mapping[str, str] | None = None,
        replay_safe: bool | None = None,
    ) -> Exchange:
        """Send one GraphQL request.

        Args:
            payload: The JSON body.
            authenticated: Attach the configured token (when there is one).
            headers: Extra headers, e.g. a deliberately wrong token.
            replay_safe: Whether sending it twice does no harm; by default,
                anything but a mutation (a delete may say so for itself).

        Raises:
            BudgetExhausted: `max_requests` requests were already sent.
            Throttled: the target throttled the run past the retry caps.
            OutcomeUnknown: a mutation got no response (it may have been stored).
            TargetUnreachable: the endpoint did not answer, twice.
        """
        sent_headers = dict(headers or {})
        all_headers = dict(sent_headers)
        if authenticated and self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        if replay_safe is None:
            query = payload.get("query") if isinstance(payload, dict) else None
            replay_safe = not _may_write(str(query or payload).encode())
        response = self._send(
            replay_safe=replay_safe,
            json=payload,
            headers=all_headers,
        )
        return Exchange.of(
            response, payload, authenticated=authenticated, headers=sent_headers
        )

    def post_raw(self, content: bytes) -> Exchange:
        """Send `content` as it is, labelled JSON, with the configured token.

        Raises:
            BudgetExhausted, Throttled, OutcomeUnknown, TargetUnreachable: as
                for `post`.
        """
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        response = self._send(
            replay_safe=not _may_write(content), content=content, headers=headers
        )
        return Exchange.of(response, None, raw=content)

    def limit_reached(self) -> BudgetExhausted | Throttled | None:
        """Why this target sends nothing more, if it does not.

        Hypothesis may replace the error a spent budget raised (e.g. with
        `FlakyStrategyDefinition`, as a replay stops earlier): callers ask here.
        """
        if self.retries.stopped is not None:
            return self.retries.stopped
        if self.max_requests is not None and self.sent >= self.max_requests:
            return BudgetExhausted(self.max_requests)
        return None

    def _send(self, *, replay_safe: bool, **request: Any) -> Any:
        resends = 0
        lost = False
        while True:
            try:
                response = self._send_once(request)
            except httpx.TransportError as exc:
                self.retries.connection_lost()
                # No response: resend once, and a write only when it never
                # left (refused connection); whoever sent it decides otherwise.
                if lost:
                    raise TargetUnreachable(
                        f"{self.url} did not answer ({type(exc).__name__}); check "
                        "the URL and that the server is running"
                    ) from exc
                if not replay_safe and not isinstance(exc, httpx.ConnectError):
                    raise OutcomeUnknown(
                        f"the connection was lost ({type(exc).__name__}) after a "
                        "write was sent, so the target may have stored it"
                    ) from exc
                lost = True
                self.retries.resent()
                continue
            delay = self.retries.delay(response.status_code, response.headers, resends)
            if delay is None:
                return response
            resends += 1
            self.retries.wait(delay, attempt=resends, status=response.status_code)

    def _send_once(self, request: dict[str, Any]) -> Any:
        self.retries.raise_if_stopped()
        self.spend()
        try:
            return self.client.post(self.url, **request)
        finally:
            if self.on_send is not None:
                self.on_send(self)

    def spend(self) -> None:
        """Count one request against the budget, after the rate limit's wait.

        The only place the budget is kept: every request this target sends
        passes here, and a client of its own would call it too.

        Raises:
            BudgetExhausted: `max_requests` requests were already sent.
        """
        self.limiter.wait()
        self._reserve(1)

    def post_at_once(self, payloads: list[Any]) -> list[Exchange]:
        """Send every payload at the same moment, each on its own connection.

        The burst counts `len(payloads)` requests against the budget and waits
        for the rate limit once: spacing the requests would defeat the point.
        It is not retried: a throttled burst is judged by what came back.

        Raises:
            BudgetExhausted: the burst does not fit in what is left of the budget.
            TargetUnreachable: the endpoint did not answer.
        """
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        self.retries.raise_if_stopped()
        self.limiter.wait()
        self._reserve(len(payloads))
        assert self.burst is not None
        try:
            responses = self.burst.send(self.url, payloads, headers)
        except httpx.TransportError as exc:
            raise TargetUnreachable(
                f"{self.url} did not answer ({type(exc).__name__}); check "
                "the URL and that the server is running"
            ) from exc
        finally:
            if self.on_send is not None:
                self.on_send(self)
        return [
            Exchange.of(response, payload)
            for payload, response in zip(payloads, responses, strict=True)
        ]

    def _reserve(self, count: int) -> None:
        """Count `count` requests against the budget and the shrink budget.

        Raises:
            BudgetExhausted: they do not fit in what is left of the budget.
            ShrinkBudgetSpent: the failing test spent its `--shrink-budget`.
        """
        with self._lock:
            if self.max_requests is not None and self.sent + count > self.max_requests:
                raise BudgetExhausted(self.max_requests)
            if self._shrink_limit is not None and self.sent >= self._shrink_limit:
                raise ShrinkBudgetSpent(self.shrink_budget or 0)
            self.sent += count

    def close(self) -> None:
        """Close the client."""
        self.client.close()


_MUTATION_KEYWORD = re.compile(rb"\bmutation\b")


def _may_write(query: bytes) -> bool:
    # Deliberately broad (the word anywhere, even in a string): a false "write"
    # costs a look-up, a false "read" could create a second sender.
    return _MUTATION_KEYWORD.search(query) is not None


def _json_or_none(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
