"""`/run_code` requests for the same program, waiting together, run as one batch.

A SandboxFusion client judges a program with one request per test, many at once (verl's
sandbox_fusion sends a program's test cases concurrently). Each request alone would cost a
`docker exec`; the pool's runner takes a batch of tests for the price of one. So a request
that finds the pool busy waits in a group keyed by its program and limits; requests for the
same program that arrive meanwhile join the group, and when a container frees up the group
runs as one batch, each test isolated from the others as in any batch. A request that finds
a container free runs at once, alone: coalescing never adds a wait.

A group's run is stopped when its client disconnects only while it has a single member;
the others' answers are still wanted."""

from __future__ import annotations

import asyncio
from typing import Any

from cpagent.problems.model import Limits
from cpagent.sandbox.model import Execution, Program

__all__ = ["GROUP_MAX", "RunCoalescer"]

GROUP_MAX = 64  # tests in one group's batch


class _Group:
    def __init__(self, stdin: str) -> None:
        self.stdins = [stdin]
        self.members: list[asyncio.Future] = []
        self.open = True


class RunCoalescer:
    def __init__(self, service: Any) -> None:
        self.service = service
        self.groups: dict[tuple, _Group] = {}
        self.coalesced = 0  # requests answered from another request's batch

    async def run(self, request: Any, program: Program, stdin: str, limits: Limits
                  ) -> Execution:
        key = (program.source, program.lang, program.call, limits.time_s, limits.memory_mb,
               limits.output_mb)
        group = self.groups.get(key)
        if group is not None and group.open and len(group.stdins) < GROUP_MAX:
            member = asyncio.get_running_loop().create_future()
            group.stdins.append(stdin)
            group.members.append(member)
            self.coalesced += 1
            return await member
        group = _Group(stdin)
        self.groups[key] = group

        try:
            async with self.service.admission.ticket():
                # In the slot: the group closes, and later requests make a new one.
                group.open = False
                if self.groups.get(key) is group:
                    del self.groups[key]
                stdins = list(group.stdins)
                runs = await self.service.watched(
                    request, lambda box: box.run(program, stdins, limits),
                    len(stdins) * limits.time_s, alone=len(stdins) == 1)
        except BaseException as exc:
            group.open = False
            if self.groups.get(key) is group:
                del self.groups[key]
            for member in group.members:
                if not member.done():
                    member.set_exception(exc if isinstance(exc, Exception) else
                                         RuntimeError("the server is stopping"))
            raise
        for member, run in zip(group.members, runs[1:], strict=True):
            if not member.done():
                member.set_result(run)
        return runs[0]
