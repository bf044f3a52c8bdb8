"""`serve --watch`: rebuild the schema when its SDL file is saved (#16).

The directory is watched, not the file, because editors often save by writing
a new file and renaming it over the old one. The state lives in the store and
is untouched; a file that does not load leaves the last good schema serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from watchfiles import Change, awatch

logger = logging.getLogger("mock_server.watch")

STEP_MS = 50
"""A save is taken as finished after this long without another change."""
DEBOUNCE_MS = 300
"""Longest wait while changes keep coming (watchfiles' default is 1,600 ms)."""


@contextlib.asynccontextmanager
async def watching(path: Path, reload: Callable[[], None]) -> AsyncIterator[None]:
    """Call `reload` after each save of `path` while the block runs.

    Args:
        path: The SDL file.
        reload: Rebuilds the schema from the file; raises when it cannot.
    """
    stop = asyncio.Event()
    task = asyncio.create_task(_watch(path.resolve(), reload, stop))
    try:
        yield
    finally:
        stop.set()
        await task


async def _watch(path: Path, reload: Callable[[], None], stop: asyncio.Event) -> None:
    def is_the_file(_change: Change, changed: str) -> bool:
        return Path(changed) == path

    logger.info("watching %s: a saved change reloads the schema", path)
    async for _changes in awatch(
        path.parent,
        watch_filter=is_the_file,
        stop_event=stop,
        step=STEP_MS,
        debounce=DEBOUNCE_MS,
        recursive=False,
    ):
        reload_schema(path, reload)


def reload_schema(path: Path, reload: Callable[[], None]) -> bool:
    """Run `reload`, logging one line either way; True when it worked."""
    if not path.exists():
        # Mid-rename, or deleted: the next save will bring it back.
        return False
    # Whatever a half-written file breaks, the last good schema keeps serving.
    try:
        reload()
    except Exception as exc:
        reason = " ".join(str(exc).split())
        logger.error("schema not reloaded, still serving the last good one: %s", reason)
        return False
    logger.info("schema reloaded from %s", path)
    return True
