"""Stopping a run whose caller has gone: a token per request, and a Docker pool that kills the
container a cancelled run is using.

The sandbox's `run` is synchronous and knows nothing of HTTP. The request's worker thread
carries its token in a thread-local; the pool, on taking a container for that thread,
registers it with the token. Cancelling removes the container (which ends the program, its
children and the runner at once) and marks it broken, so the pool replaces it; the run then
raises `Cancelled` instead of retrying elsewhere."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from cpagent.sandbox.docker_backend import DockerSandbox
from cpagent.sandbox.errors import SandboxError

__all__ = ["CancelToken", "Cancelled", "CancellableDockerSandbox"]

T = TypeVar("T")
_local = threading.local()


class Cancelled(SandboxError):
    """The run was stopped: its caller went away or it passed the request's time limit."""


class CancelToken:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: list[Any] = []
        self.reason = ""

    @property
    def cancelled(self) -> bool:
        return bool(self.reason)

    def cancel(self, reason: str) -> None:
        with self._lock:
            if self.reason:
                return
            self.reason = reason
            slots = list(self._slots)
        for slot in slots:
            _kill(slot)

    def check(self) -> None:
        if self.reason:
            raise Cancelled(self.reason)

    def run(self, fn: Callable[[], T]) -> T:
        """Call `fn` in this thread with this token as the thread's current one."""
        _local.token = self
        try:
            return fn()
        except SandboxError as exc:
            if self.reason and not isinstance(exc, Cancelled):
                raise Cancelled(self.reason) from exc
            raise
        finally:
            _local.token = None

    @contextlib.contextmanager
    def holding(self, slot: Any) -> Iterator[None]:
        with self._lock:
            self._slots.append(slot)
            late = bool(self.reason)
        if late:
            _kill(slot)
        try:
            yield
        finally:
            with self._lock:
                self._slots.remove(slot)


def _kill(slot: Any) -> None:
    slot.broken = True
    with contextlib.suppress(Exception):
        slot.container.remove(force=True)


class CancellableDockerSandbox(DockerSandbox):
    """The Docker pool, with its containers registered to the calling thread's token."""

    @contextlib.contextmanager
    def _slot(self, memory_mb: int) -> Iterator[Any]:
        token: CancelToken | None = getattr(_local, "token", None)
        if token is not None:
            token.check()
        with super()._slot(memory_mb) as slot:
            if token is None:
                yield slot
                return
            with token.holding(slot):
                yield slot
        if token is not None:
            token.check()
