"""A bad minute is not a broken contract: throttling and lost connections (#14).

`Target` asks a `Retrier` what to do with every answer, so `run`, `fuzz` and
`diff` share one policy:

- 429 (with or without `Retry-After`) and 503 with `Retry-After`: wait as told
  (seconds or an HTTP date), or back off exponentially with jitter, then send
  the same request again. A 5xx without `Retry-After` is an answer like any
  other: it fails its clause.
- No response at all (reset, timeout): send once more, unless the request may
  have created something; then the caller decides (see `OutcomeUnknown`).
- Past `max_retries` for one request, or asked to wait longer than
  `max_wait` seconds at once, the run stops with `Throttled`; past its
  `deadline` (seconds since the run started, waits included) with
  `DeadlineReached`. Every later request is refused the same way. Whether
  that ends the run with exit 0 or 2 depends on what it had reached.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from contracts.errors import DeadlineReached, Throttled

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

TOO_MANY_REQUESTS = 429
SERVICE_UNAVAILABLE = 503
DEFAULT_MAX_RETRIES = 4
DEFAULT_MAX_WAIT = 120.0
DEFAULT_DEADLINE = 3600.0
DEFAULT_RETRY_BASE = 1.0
_BACKOFF_CAP = 60.0


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How patient the run is with a target that pushes back.

    Attributes:
        max_retries: Resends allowed for one request.
        max_wait: Seconds one wait may last (one `Retry-After`, one backoff).
        base: First backoff delay when the target gives no `Retry-After`.
        deadline: Seconds the whole run may last, waits included.
    """

    max_retries: int = DEFAULT_MAX_RETRIES
    max_wait: float = DEFAULT_MAX_WAIT
    base: float = DEFAULT_RETRY_BASE
    deadline: float = DEFAULT_DEADLINE


@dataclass
class RetryStats:
    """What the target's pushing back cost the run.

    Attributes:
        throttled: Answers that asked the run to come back later (429, 503).
        retried: Requests sent again (each also counted in the budget).
        lost: Requests that got no response at all.
        unknown: Creates whose outcome could not be learned (steps not judged).
        waited: Seconds spent waiting before resending.
    """

    throttled: int = 0
    retried: int = 0
    lost: int = 0
    unknown: int = 0
    waited: float = 0.0

    def summary(self) -> str:
        """One line for terminals and reports."""
        return (
            f"throttled {self.throttled}, retried {self.retried}, connections "
            f"lost {self.lost}, unknown outcomes {self.unknown}, "
            f"waited {self.waited:.1f} s"
        )

    def as_figures(self) -> dict[str, int | float]:
        """The same figures by name, as numbers (JSON reports)."""
        return {
            "throttled": self.throttled,
            "retried": self.retried,
            "connections_lost": self.lost,
            "unknown_outcomes": self.unknown,
            "seconds_waited": round(self.waited, 1),
        }

    def as_properties(self) -> dict[str, str]:
        """The same figures as name/text pairs (JUnit properties)."""
        return {
            name: f"{value:.1f}" if isinstance(value, float) else str(value)
            for name, value in self.as_figures().items()
        }


def retry_after_seconds(value: str | None, *, now: datetime) -> float | None:
    """`Retry-After` as seconds from `now`, or None when absent or unreadable.

    Both forms of RFC 9110 §10.2.3: delay-seconds and an HTTP date.
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an obsolete date form: HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class Retrier:
    """Decides, counts and waits; shared by every request of one target.

    Args:
        policy: The caps.
        sleep: Waits a number of seconds; injectable so tests do not wait.
        now: The current UTC time, for `Retry-After` dates.
        rng: Source of backoff jitter.
        clock: Seconds from a fixed point, for the deadline (monotonic).
    """

    def __init__(
        self,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self.stats = RetryStats()
        self.stopped: Throttled | DeadlineReached | None = None
        self._sleep = sleep
        self._now = now
        self._rng = rng or random.Random()
        self._clock = clock
        self._started = clock()
        self._deadline = self.policy.deadline
        self._lock = threading.Lock()

    @property
    def elapsed(self) -> float:
        """Seconds since the run started."""
        return self._clock() - self._started

    def raise_if_stopped(self) -> None:
        """Refuse every request once the run gave up or its deadline passed.

        Raises:
            Throttled: the run gave up on a throttling target.
            DeadlineReached: `deadline` seconds have passed.
        """
        if self.stopped is None and self.elapsed > self._deadline:
            self.stopped = DeadlineReached(self._deadline)
        if self.stopped is not None:
            raise self.stopped

    def resume(self) -> None:
        """Accept requests again after a stop: the clean-up must still run.

        Its requests come out of the budget's reserve; waits keep their caps,
        and the deadline no longer applies.
        """
        with self._lock:
            self.stopped = None
            self._deadline = float("inf")

    def delay(
        self, status: int, headers: Mapping[str, str], attempt: int
    ) -> float | None:
        """Seconds to wait before sending again, or None: the answer stands.

        Args:
            status: The answer's HTTP status.
            headers: Its headers (`Retry-After` is read).
            attempt: How many times this request was already resent.
        """
        if status not in (TOO_MANY_REQUESTS, SERVICE_UNAVAILABLE):
            return None
        told = retry_after_seconds(headers.get("retry-after"), now=self._now())
        if told is None and status == SERVICE_UNAVAILABLE:
            return None  # a plain server error: it fails its clause
        with self._lock:
            self.stats.throttled += 1
        if told is not None:
            return told
        # "Equal jitter" (AWS architecture blog, "Exponential Backoff and
        # Jitter"): at least half the step, so resends of parallel clients
        # spread out instead of arriving together.
        ceiling = min(_BACKOFF_CAP, self.policy.base * 2**attempt)
        return self._rng.uniform(ceiling / 2, ceiling)

    def wait(self, seconds: float, *, attempt: int, status: int) -> None:
        """Wait before resend number `attempt`, or stop the run.

        Raises:
            Throttled: the request was resent `max_retries` times already, or
                the wait is longer than `max_wait`.
            DeadlineReached: the wait would end past the run's deadline.
        """
        policy = self.policy
        with self._lock:
            if attempt > policy.max_retries:
                reason = f"{policy.max_retries} retries of one request"
            elif seconds > policy.max_wait:
                reason = (
                    f"asked to wait {seconds:.0f} s at once, past --max-wait "
                    f"{policy.max_wait:g}"
                )
            elif self.elapsed + seconds > self._deadline:
                self.stopped = DeadlineReached(self._deadline)
                raise self.stopped
            else:
                reason = ""
                self.stats.waited += seconds
                self.stats.retried += 1
            if reason:
                self.stopped = Throttled(status, reason)
                raise self.stopped
        self._sleep(seconds)

    def connection_lost(self) -> None:
        """Count a request that got no response and is sent again."""
        with self._lock:
            self.stats.lost += 1

    def resent(self) -> None:
        """Count a resend that needed no wait (after a lost connection)."""
        with self._lock:
            self.stats.retried += 1

    def unknown_outcome(self) -> None:
        """Count a step left unjudged because its outcome is unknown."""
        with self._lock:
            self.stats.unknown += 1
