"""When to try a failed request again, and how long to wait first.

Only failures marked `retryable` (429, 5xx, connection errors, time-outs: see transport.py)
are retried. The wait doubles from `base_s` with jitter, so that many workers hitting one rate
limit do not come back in lockstep, and a server's Retry-After wins over our own guess.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from .errors import ModelError

__all__ = ["Backoff", "RateGate", "call_with_retries"]

T = TypeVar("T")

# A server may ask for minutes; we wait at most this long per retry, then try anyway.
MAX_RETRY_AFTER_S = 60.0


@dataclass(frozen=True)
class Backoff:
    base_s: float = 1.0
    max_s: float = 30.0
    jitter: float = 0.5  # the wait is drawn from [(1 - jitter) * d, d]
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `attempt` (0 = the first retry)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), MAX_RETRY_AFTER_S)
        ceiling = min(self.max_s, self.base_s * 2 ** attempt)
        return ceiling * (1.0 - self.jitter * self.rng.random())


class RateGate:
    """One pause shared by every thread that calls an endpoint: when a 429 says wait, they
    all wait, rather than each finding out with a 429 of its own (sixteen problems in flight
    would otherwise multiply the rate-limit errors by sixteen)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._until = 0.0
        self._lock = threading.Lock()

    def hold(self, seconds: float) -> None:
        with self._lock:
            self._until = max(self._until, self._clock() + seconds)

    def remaining(self) -> float:
        with self._lock:
            return max(0.0, self._until - self._clock())

    def wait(self, sleep: Callable[[float], None] = time.sleep) -> None:
        while (left := self.remaining()) > 0:
            sleep(left)


def call_with_retries(attempt: Callable[[], T], *, retries: int, backoff: Backoff,
                      sleep: Callable[[float], None] = time.sleep,
                      gate: RateGate | None = None) -> T:
    """Run `attempt` until it succeeds, fails with a non-retryable error, or has failed
    `retries + 1` times; then re-raise the last error, saying how many attempts were made.
    A rate limit (429) closes the shared `gate` for its wait, so other threads hold too."""
    for n in range(retries + 1):
        if gate is not None:
            gate.wait(sleep)
        try:
            return attempt()
        except ModelError as exc:
            if not exc.retryable or n == retries:
                if n > 0:
                    raise type(exc)(f"{exc.message} (after {n + 1} attempts)",
                                    retryable=exc.retryable, status=exc.status) from exc
                raise
            delay = backoff.delay(n, exc.retry_after)
            if gate is not None and exc.status == 429:
                gate.hold(delay)
                continue
            sleep(delay)
    raise AssertionError("unreachable")  # the loop always returns or raises
