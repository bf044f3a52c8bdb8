"""Identifier sources: random by default, reproducible under a seed."""

from __future__ import annotations

import os
import random

# The version (4) and variant (RFC 4122) bits, set as uuid.UUID(version=4) does.
_CLEARED = ~((0xF000 << 64) | (0xC000 << 48))
_SET = (0x4000 << 64) | (0x8000 << 48)


class IdFactory:
    """Makes canonical version-4 UUID strings.

    With a seed the sequence is the same on every start (and after every
    `restart()`), so frontends can snapshot responses; without one it comes from
    the OS's randomness.

    Args:
        seed: Any integer, or `None` for unpredictable ids.
        stream: Separates independent sequences under one seed, so that, for
            example, correlation ids do not shift record ids.
    """

    def __init__(self, seed: int | None = None, *, stream: str = "records") -> None:
        self._seed = seed
        self._stream = stream
        self._random: random.Random | None = None
        self.restart()

    def restart(self) -> None:
        """Rewind a seeded sequence to its start (no effect without a seed)."""
        if self._seed is not None:
            self._random = random.Random(f"{self._seed}:{self._stream}")

    def new_id(self) -> str:
        """Return the next id as lowercase 8-4-4-4-12 text."""
        if self._random is None:
            number = int.from_bytes(os.urandom(16), "big")
        else:
            number = self._random.getrandbits(128)
        # Formatted directly: uuid.UUID objects cost more than the id itself.
        text = f"{(number & _CLEARED) | _SET:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
