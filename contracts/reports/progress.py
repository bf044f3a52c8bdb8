"""Progress of a long live run (#14): a live line on a terminal, plain lines in CI.

At 5 requests a second a budget of 300 takes a minute or more, throttling
aside; `Progress` is called after every request (`Target.on_send`) and says
how far the run is: requests sent of the budget, clauses reached, throttled,
elapsed time. On a terminal it redraws one line; elsewhere (CI logs) it
prints a plain line every `interval` seconds.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from contracts.client.target import Target

_REDRAW = 0.2
"""Seconds between two redraws of the live line (terminals only)."""
_CLEAR_LINE = "\r\x1b[2K"


class Progress:
    """Reports a target's progress as it sends.

    Args:
        write: Writes text as it is (no newline added).
        tty: Redraw one live line (True) or print plain lines (False).
        reached: Says how far the checks are, e.g. "12 of 23 clauses reached".
        interval: Seconds between plain lines.
        clock: Monotonic seconds; injectable for tests.
    """

    def __init__(
        self,
        write: Callable[[str], None],
        *,
        tty: bool,
        reached: Callable[[], str] | None = None,
        interval: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._write = write
        self._tty = tty
        self._reached = reached
        self._interval = _REDRAW if tty else interval
        self._clock = clock
        self._started = clock()
        self._last = self._started
        self._drawn = False

    def __call__(self, target: Target) -> None:
        """Show progress, unless it was shown a moment ago."""
        now = self._clock()
        if now - self._last < self._interval:
            return
        self._last = now
        if self._tty:
            self._write(_CLEAR_LINE + self.line(target, now))
            self._drawn = True
        else:
            self._write(self.line(target, now) + "\n")

    def line(self, target: Target, now: float) -> str:
        """The progress as one line."""
        budget = f" of {target.max_requests}" if target.max_requests else ""
        parts = [f"progress: {target.sent}{budget} requests"]
        if self._reached is not None:
            parts.append(self._reached())
        stats = target.retries.stats
        parts.append(f"throttled {stats.throttled}")
        parts.append(f"{now - self._started:.0f} s")
        return ", ".join(parts)

    def finish(self) -> None:
        """Clear the live line, so what follows starts on a clean line."""
        if self._drawn:
            self._write(_CLEAR_LINE)
            self._drawn = False
