"""Identifier sources: random by default, reproducible under a seed."""

from __future__ import annotations

import os
import random
import time

# The version (4) and variant (RFC 4122) bits, set as uuid.UUID(version=4) does.
_CLEARED = ~((0xF000 << 64) | (0xC000 << 48))
_SET = (0x4000 << 64) | (0x8000 << 48)
_SET_7 = (0x7000 << 64) | (0x8000 << 48)
_SEEDED_EPOCH_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z


class IdFactory:
    """Makes canonical UUID strings: version 4 and lower case by default.

    With a seed the sequence is the same on every start (and after every
    `restart()`), so frontends can snapshot responses; without one it comes from
    the OS's randomness.

    Args:
        seed: Any integer, or `None` for unpredictable ids.
        stream: Separates independent sequences under one seed, so that, for
            example, correlation ids do not shift record ids.
        version: 4 (random) or 7 (time-ordered, as some APIs answer).
        upper: Upper-case hexadecimal digits (a calibrated API's form).
    """

    def __init__(
        self,
        seed: int | None = None,
        *,
        stream: str = "records",
        version: int = 4,
        upper: bool = False,
    ) -> None:
        if version not in (4, 7):
            raise ValueError(f"UUID version must be 4 or 7, not {version}")
        self._seed = seed
        self._stream = stream
        self._random: random.Random | None = None
        self._version = version
        self._upper = upper
        self._count = 0
        self.restart()

    def restart(self) -> None:
        """Rewind a seeded sequence to its start (no effect without a seed)."""
        if self._seed is not None:
            self._random = random.Random(f"{self._seed}:{self._stream}")
            self._count = 0

    def new_id(self) -> str:
        """Return the next id as 8-4-4-4-12 text."""
        if self._random is None:
            number = int.from_bytes(os.urandom(16), "big")
        else:
            number = self._random.getrandbits(128)
        if self._version == 4:
            number = (number & _CLEARED) | _SET
        else:
            number = self._version_7(number)
        # Formatted directly: uuid.UUID objects cost more than the id itself.
        text = f"{number:032X}" if self._upper else f"{number:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def _version_7(self, number: int) -> int:
        # RFC 9562: 48 bits of Unix milliseconds first. Under a seed the clock
        # is a counter from a fixed instant, so the sequence still repeats.
        if self._seed is None:
            millis = time.time_ns() // 1_000_000
        else:
            self._count += 1
            millis = _SEEDED_EPOCH_MS + self._count
        random_bits = number & ((1 << 80) - 1)
        number = (millis << 80) | random_bits
        return (number & _CLEARED) | _SET_7
