"""Bulk judging on a Ray cluster: one task per submission, on a node that can sandbox,
judged through that node's host; verdicts come back as they are reached."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cpagent.agent.batch.judging import Judged, Submission, judge_one
from cpagent.agent.cluster.connect import RESOURCE, sandbox_nodes
from cpagent.agent.cluster.execute import TASK_RETRIES, TASK_SHARE, lost
from cpagent.agent.cluster.hosts import NodeSandbox, start_hosts
from cpagent.problems.model import Problem
from cpagent.sandbox.model import Program

__all__ = ["judge_on_ray"]


def judge_on_ray(ray: Any, submissions: list[tuple[Submission, Program]],
                 problems: dict[str, Problem], *, backend: str = "docker",
                 parallel: int = 0) -> Iterator[Judged]:
    """Every submission judged on the cluster, at most `parallel` in flight (by default two
    per judging slot: judging is bound by the cores, and each task in flight holds a worker
    process), each yielded as its task returns."""
    hosts: dict[str, Any] = {}
    try:
        start_hosts(ray, backend, hosts)
        parallel = parallel or 2 * sum(node.slots for node in sandbox_nodes(ray))
        refs = {ref: ray.put(problem) for ref, problem in problems.items()}
        task = ray.remote(_judge).options(num_cpus=0, resources={RESOURCE: TASK_SHARE},
                                          max_retries=TASK_RETRIES)
        todo = list(reversed(submissions))
        in_flight: dict[Any, Submission] = {}
        while todo or in_flight:
            while todo and len(in_flight) < parallel:
                sub, program = todo.pop()
                in_flight[task.remote(sub, program, refs[sub.problem])] = sub
            done, _ = ray.wait(list(in_flight), num_returns=1, timeout=1.0)
            for ref in done:
                sub = in_flight.pop(ref)
                try:
                    yield ray.get(ref)
                except ray.exceptions.RayError as exc:
                    raise lost(exc, f"submission {sub.id}") from None
    finally:
        for host in hosts.values():
            ray.kill(host)


_sandbox: list[NodeSandbox] = []


def _judge(sub: Submission, program: Program, problem: Problem) -> Judged:
    if not _sandbox:
        _sandbox.append(NodeSandbox())
    return judge_one(_sandbox[0], sub, program, problem)
