"""The service's state: the warm pool, admission, and running a request's sandbox work in a
worker thread that is stopped when its caller disconnects or its time is up."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from cpagent.agent.serve.admission import Admission
from cpagent.agent.serve.cancel import CancellableDockerSandbox, Cancelled, CancelToken
from cpagent.agent.serve.coalesce import RunCoalescer
from cpagent.agent.serve.config import ServeConfig
from cpagent.problems.model import Limits
from cpagent.sandbox import Program, Sandbox, open_sandbox

__all__ = ["Service", "open_service"]

T = TypeVar("T")
POLL_S = 0.1  # how often a waiting request looks for its client's disconnect


class Service:
    def __init__(self, config: ServeConfig, box: Sandbox, pool: int) -> None:
        self.config = config
        self.box = box
        self.pool = pool
        self.admission = Admission(pool, config.queue)
        self.executor = ThreadPoolExecutor(max_workers=pool, thread_name_prefix="cpagent-serve")
        self.runs = RunCoalescer(self)

    async def call(self, request: Any, work: Callable[[Sandbox], T], budget_s: float) -> T:
        """Run `work(sandbox)` in a worker thread once a slot is free (see `watched`)."""
        async with self.admission.ticket():
            return await self.watched(request, work, budget_s)

    async def watched(self, request: Any, work: Callable[[Sandbox], T], budget_s: float,
                      *, alone: bool = True) -> T:
        """Run `work(sandbox)` in a worker thread, the caller holding a slot. If the client
        goes away (and the work is its `alone`), or the work runs past twice its CPU budget
        plus half a minute, its container is killed and the call raises Cancelled."""
        if alone and await request.is_disconnected():  # gone while it waited for a slot
            raise Cancelled("the client went away")
        token = CancelToken()
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.executor, token.run, lambda: work(self.box))
        limit = 2 * budget_s + 30
        deadline = time.monotonic() + limit
        while True:
            done, _ = await asyncio.wait({future}, timeout=POLL_S)
            if done:
                return future.result()
            if token.cancelled:
                continue
            if alone and await request.is_disconnected():
                token.cancel("the client went away")
            elif time.monotonic() > deadline:
                token.cancel(f"the request ran past {limit:.0f}s and was stopped")

    def health(self) -> dict:
        return {"status": "ok", "backend": self.config.backend, "pool_size": self.pool,
                "busy": self.admission.running, "free": self.pool - self.admission.running,
                "queued": self.admission.waiting, "queue_limit": self.config.queue,
                "run_code_coalesced": self.runs.coalesced,
                "languages": list(self.box.languages)}

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.box.close()


def open_service(config: ServeConfig) -> Service:
    """Open the pool and warm every container (a run of an empty program in each), so that
    the first requests do not pay for starting them. Raises SandboxError in one line."""
    pool = config.pool or max(1, os.cpu_count() or 1)
    if config.backend == "docker":
        box: Sandbox = CancellableDockerSandbox(size=pool)
    else:
        box = open_sandbox(config.backend)
    service = Service(config, box, pool)
    try:
        limits = Limits(time_s=1.0, memory_mb=config.default_memory_mb)
        warm = [service.executor.submit(box.run, Program(source="pass"), [""], limits)
                for _ in range(pool)]
        for future in warm:
            future.result()
    except BaseException:
        service.close()
        raise
    return service
