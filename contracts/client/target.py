"""The thing under test: an HTTP client, a URL, a budget and a rate limit.

Every request goes through `Target.post`, which enforces `--max-requests` and
`--rps`, resends what a throttling target asks to have resent (see
`contracts.client.retries`), and keeps what is needed to print a reproduction
without the token.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from contracts.client.bursts import AsgiBurst, Burst, HttpBurst
from contracts.client.exchanges import Exchange
from contracts.client.oauth import client_credentials
from contracts.client.rate_limit import RateLimiter
from contracts.client.retries import Retrier
from contracts.errors import (
    BudgetExhausted,
    DeadlineReached,
    OutcomeUnknown,
    ShrinkBudgetSpent,
    TargetUnreachable,
    Throttled,
)

if TYPE_CHECKING:
    from contracts.client.oauth import ClientCredentials
    from contracts.config import ContractConfig


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


@dataclass
class Target:
    """Where requests go, and the limits every request obeys.

    Args:
        client: Sends the requests (a live `httpx.Client` or an in-process one).
        url: The GraphQL endpoint.
        token: Attached as a bearer token when set.
        auth: A service account's tokens, attached instead of `token` (live
            targets only); a request it renews after a 401 counts against
            the budget too.
        max_requests: Hard budget, or None for no limit; resends count too.
        limiter: Spaces requests out.
        retries: Handles throttling and lost connections.
        on_send: Called after every request sent (progress display).
        burst: Sends simultaneous requests (`post_at_once`); by default over
            the client's ASGI app when it has one, else over HTTP.
        shrink_budget: Requests a test may send after its first clause
            failure (Hypothesis shrinking it), or None for no limit.
        hold: Requests the clean-up will need for what was created so far;
            tests never spend them (see `held_back`). None: no clean-up.
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
    auth: ClientCredentials | None = None
    hold: Callable[[], int] | None = None
    cleaning: bool = False
    _shrink_limit: int | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False
    )

    def __post_init__(self) -> None:
        if self.burst is None:
            app = getattr(self.client, "app", None)
            self.burst = AsgiBurst(app) if app is not None else HttpBurst(10.0)
        if self.auth is not None:
            self.auth.on_resend = self.spend

    @property
    def has_credentials(self) -> bool:
        """Whether requests carry a token (a given one, or a service account's)."""
        return bool(self.token) or self.auth is not None

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
            auth=client_credentials(config),
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
            **self._auth(authenticated),
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
            replay_safe=not _may_write(content),
            content=content,
            headers=headers,
            **self._auth(authenticated=True),
        )
        return Exchange.of(response, None, raw=content)

    def held_back(self, creating: int = 0) -> int:
        """Requests kept out of the tests' reach for the clean-up.

        One delete for every object created so far, and one for each create
        about to be sent (`creating`), so a run that spends its budget can
        still delete all it made (#26). The clean-up itself spends them.
        """
        if self.hold is None or self.cleaning:
            return 0
        return self.hold() + creating

    def start_cleanup(self) -> None:
        """From now on requests are the clean-up's: the reserve is theirs.

        A stop (throttling, deadline) no longer refuses them, and no test's
        shrink budget applies.
        """
        self.cleaning = True
        self._shrink_limit = None
        self.retries.resume()

    def limit_reached(self) -> BudgetExhausted | Throttled | DeadlineReached | None:
        """Why this target sends nothing more, if it does not.

        Hypothesis may replace the error a spent budget raised (e.g. with
        `FlakyStrategyDefinition`, as a replay stops earlier): callers ask here.
        """
        if self.retries.stopped is not None:
            return self.retries.stopped
        if (
            self.max_requests is not None
            and self.sent + self.held_back(creating=1) >= self.max_requests
        ):
            return BudgetExhausted(self.max_requests)
        return None

    def _send(self, *, replay_safe: bool, **request: Any) -> Any:
        resends = 0
        lost = False
        while True:
            try:
                response = self._send_once(request, creating=0 if replay_safe else 1)
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

    def _send_once(self, request: dict[str, Any], *, creating: int) -> Any:
        self.retries.raise_if_stopped()
        self.spend(creating=creating)
        try:
            return self.client.post(self.url, **request)
        finally:
            if self.on_send is not None:
                self.on_send(self)

    def spend(self, *, creating: int = 0) -> None:
        """Count one request against the budget, after the rate limit's wait.

        The only place the budget is kept: every request this target sends
        passes here, and a client of its own would call it too.

        Args:
            creating: 1 when the request may create an object (it needs a
                delete of its own held back).

        Raises:
            BudgetExhausted: `max_requests` requests were already sent, or
                the rest is held back for the clean-up.
        """
        self.limiter.wait()
        self._reserve(1, creating=creating)

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
        if self.auth is not None:
            # Fetched (or renewed) before the barrier, so the burst stays at once.
            headers = {"Authorization": f"Bearer {self.auth.token()}"}
        self.retries.raise_if_stopped()
        self.limiter.wait()
        self._reserve(len(payloads), creating=len(payloads))
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

    def _reserve(self, count: int, *, creating: int = 0) -> None:
        """Count `count` requests against the budget and the shrink budget.

        Raises:
            BudgetExhausted: they do not fit in what is left of the budget
                once the clean-up's reserve is held back.
            ShrinkBudgetSpent: the failing test spent its `--shrink-budget`.
        """
        with self._lock:
            held = self.held_back(creating)
            if (
                self.max_requests is not None
                and self.sent + count + held > self.max_requests
            ):
                raise BudgetExhausted(self.max_requests)
            if self._shrink_limit is not None and self.sent >= self._shrink_limit:
                raise ShrinkBudgetSpent(self.shrink_budget or 0)
            self.sent += count

    def close(self) -> None:
        """Close the client (and the service account's)."""
        self.client.close()
        if self.auth is not None:
            self.auth.close()

    def _auth(self, authenticated: bool) -> dict[str, Any]:
        """`auth=` for an authenticated request with a service account."""
        return {"auth": self.auth} if authenticated and self.auth is not None else {}


_MUTATION_KEYWORD = re.compile(rb"\bmutation\b")


def _may_write(query: bytes) -> bool:
    # Deliberately broad (the word anywhere, even in a string): a false "write"
    # costs a look-up, a false "read" could create a second sender.
    return _MUTATION_KEYWORD.search(query) is not None
