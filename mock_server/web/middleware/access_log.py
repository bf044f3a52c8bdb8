"""One log line per request: method, path, status, operation, outcome, latency.

It replaces uvicorn's access log (which costs throughput and knows nothing of
GraphQL). It never logs headers, bodies or variables, so tokens and passwords
cannot leak into logs.

A line goes through `logging` as any other record, unless the access logger's
one handler is an `AccessLineWriter` (`smtp-mock serve` installs one): then
the event loop only queues the line's parts, and the writer's thread builds
the record, formats it with the writer's formatter and writes the lines of a
batch at once. Building and formatting a record cost a tenth of a create's
instructions on the event loop (issue #31).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("mock_server.access")

ACCESS_FORMAT = "%s %s %d op=%s outcome=%s %.1fms"
"""The line's message: method, path, status, operation, outcome, latency."""

# A line's parts and time, a line formatted already, or a flush's signal.
_Item = tuple[float, tuple[Any, ...]] | str | threading.Event
_FLUSH_TIMEOUT_S = 5.0
_BATCH_PAUSE_S = 0.01


class AccessLog:
    """Writes the access lines, timed by `clock`.

    Args:
        clock: Returns seconds; injectable so tests need not depend on time.
    """

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock

    @staticmethod
    def enabled() -> bool:
        """Whether lines are written at all (INFO is on for the access logger)."""
        return logger.isEnabledFor(logging.INFO)

    def write(self, scope: Scope, status: int, started: float) -> None:
        """Write the line of a request answered with `status`.

        The operation and the outcome are what the app put in the scope's state.
        """
        state = scope.get("state", {})
        parts = (
            scope["method"],
            scope["path"],
            status,
            state.get("operation") or "-",
            state.get("outcome") or "-",
            (self.clock() - started) * 1000,
        )
        writer = _only_writer()
        if writer is None:
            logger.info(ACCESS_FORMAT, *parts)
        else:
            writer.put(time.time(), parts)


def _only_writer() -> AccessLineWriter | None:
    """The access logger's writer, when the logger does nothing else."""
    handlers = logger.handlers
    if len(handlers) != 1 or logger.propagate or logger.filters:
        return None
    writer = handlers[0]
    if type(writer) is not AccessLineWriter or writer.filters:
        return None
    return writer if writer.level <= logging.INFO else None


class AccessLineWriter(logging.Handler):
    """Writes access lines to `stream` from a thread of its own, in batches.

    Records are formatted with the writer's formatter, as a `StreamHandler`
    would; `flush` (and so `logging.shutdown`, at exit) returns once every
    line handed over is written.

    Args:
        stream: Where the lines go (the mock's log: standard error).
    """

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self._stream = stream
        self._lines: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        self._template: dict[str, Any] | None = None

    def put(self, created: float, parts: tuple[Any, ...]) -> None:
        """Write `ACCESS_FORMAT % parts`, logged at `created` (`time.time()`)."""
        self._lines.put((created, parts))
        if self._thread is None:
            self._start_thread()

    def emit(self, record: logging.LogRecord) -> None:
        """Write a record logged the usual way."""
        try:
            self._lines.put(self.format(record))
        except Exception:  # as StreamHandler: a log line never fails a request
            self.handleError(record)
            return
        if self._thread is None:
            self._start_thread()

    def flush(self) -> None:
        """Return once every line handed over so far is written."""
        thread = self._thread
        if thread is None or not thread.is_alive():
            self._write(self._pending())
            return
        written = threading.Event()
        self._lines.put(written)
        written.wait(timeout=_FLUSH_TIMEOUT_S)

    def _start_thread(self) -> None:
        with self._start:
            if self._thread is None:
                thread = threading.Thread(
                    target=self._run, name="access-log", daemon=True
                )
                thread.start()
                self._thread = thread

    def _run(self) -> None:
        while True:
            first = self._lines.get()
            self._write([first, *self._pending()])
            # Lines gather meanwhile: one wake-up and one write for a batch,
            # not for each line, under load.
            time.sleep(_BATCH_PAUSE_S)

    def _pending(self) -> list[_Item]:
        items: list[_Item] = []
        while True:
            try:
                items.append(self._lines.get_nowait())
            except queue.Empty:
                return items

    def _write(self, items: list[_Item]) -> None:
        text: list[str] = []
        for item in items:
            if isinstance(item, threading.Event):
                self._emit_text(text)
                text = []
                item.set()
            else:
                text.append(item if isinstance(item, str) else self._format(*item))
        self._emit_text(text)

    def _emit_text(self, lines: list[str]) -> None:
        if not lines:
            return
        try:
            self._stream.write("\n".join(lines) + "\n")
            self._stream.flush()
        except Exception:  # a closed or broken stream: as StreamHandler does
            self.handleError(logging.makeLogRecord({"msg": lines[0]}))

    def _format(self, created: float, parts: tuple[Any, ...]) -> str:
        template = self._template
        if template is None:
            template = self._template = vars(_template_record())
        record = logging.LogRecord.__new__(logging.LogRecord)
        record.__dict__.update(template)
        record.args = parts
        # As LogRecord sets them from time.time() (relativeCreated from the
        # template's, which the logging module dates from its start).
        record.created = created
        record.msecs = int((created - int(created)) * 1000) + 0.0
        record.relativeCreated = template["relativeCreated"] + (
            (created - template["created"]) * 1000
        )
        return self.format(record)


def _template_record() -> logging.LogRecord:
    # What `logger.info(ACCESS_FORMAT, ...)` makes, with no caller's file
    # (`serve` turns that off) and no arguments yet.
    return logger.makeRecord(
        logger.name,
        logging.INFO,
        "(unknown file)",
        0,
        ACCESS_FORMAT,
        (),
        None,
        "(unknown function)",
    )


class AccessLogMiddleware:
    """Logs each HTTP request once it has been answered.

    The app's own line is written by `RequestGate`; this wraps any other app.

    Args:
        app: The app whose requests are logged.
        clock: Returns seconds; injectable so tests need not depend on time.
    """

    def __init__(
        self, app: ASGIApp, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self._app = app
        self._log = AccessLog(clock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app and write the request's line."""
        if scope["type"] != "http" or not self._log.enabled():
            await self._app(scope, receive, send)
            return
        started = self._log.clock()
        status = 500

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._app(scope, receive, send_and_record)
        finally:
            self._log.write(scope, status, started)
