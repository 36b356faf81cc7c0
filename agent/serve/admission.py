"""Admission: as many requests run as the pool has containers, a bounded number wait, and
the rest are told to come back later (429 with Retry-After)."""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncIterator

__all__ = ["Admission", "Busy"]


class Busy(Exception):
    """Every slot is taken and the queue is full."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"busy: every sandbox is in use and the queue is full; retry in "
                         f"{retry_after}s")
        self.retry_after = retry_after


class Admission:
    def __init__(self, slots: int, queue: int) -> None:
        self.slots = slots
        self.queue = queue
        self.running = 0
        self.waiting = 0
        self._free = asyncio.Semaphore(slots)
        self._mean_s = 0.5  # a moving average of how long a request holds its slot

    @contextlib.asynccontextmanager
    async def ticket(self) -> AsyncIterator[None]:
        """Hold a slot for the body of the `async with`, after waiting in the queue if
        need be; raises Busy when the queue is full."""
        if self.running + self.waiting >= self.slots + self.queue:
            raise Busy(self.retry_after())
        self.waiting += 1
        try:
            await self._free.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        start = time.monotonic()
        try:
            yield
        finally:
            self.running -= 1
            self._free.release()
            self._mean_s = 0.9 * self._mean_s + 0.1 * (time.monotonic() - start)

    def retry_after(self) -> int:
        """Seconds until the queue has likely moved by one: the work ahead, over the slots."""
        ahead = self.waiting + self.running
        return max(1, math.ceil(self._mean_s * ahead / max(1, self.slots)))
