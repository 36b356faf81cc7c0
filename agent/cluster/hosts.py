"""One warm sandbox pool per node: an actor that owns the node's Docker pool, sized to the
slots the node declared, and the `Sandbox` that attempts running on that node judge through.

A task reaches its own node's host by name, so programs never cross the network to be run,
and the pool warms once per node rather than once per task.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from cpagent.problems.model import Limits
from cpagent.sandbox import open_sandbox
from cpagent.sandbox.base import Progress, Sandbox, as_jobs
from cpagent.sandbox.errors import SandboxUnavailable
from cpagent.sandbox.model import Execution, Job, Program

__all__ = ["NodeSandbox", "SandboxHost", "host_name", "start_hosts"]

# The local backend's warning is the driver's to give, once, not every node's.
_QUIET = {"local": {"quiet": True}}
# A task that lands on a node whose host is still starting waits this long for it.
HOST_WAIT_S = 60.0


def host_name(node_id: str) -> str:
    return f"cpagent-sandbox-{node_id}"


class SandboxHost:
    """The actor holding one node's pool. Threaded: up to `slots` programs run at once, and
    the calls beyond wait for a free container inside the pool, as threads do on one machine."""

    def __init__(self, backend: str, slots: int, address: str) -> None:
        # Nodes of one machine share an address: the node id tells them apart.
        node = ray_node_id()
        self.address = f"{address} ({node[:8]})" if node else address
        self.box: Sandbox | None = None
        self.error = ""
        try:
            self.box = open_sandbox(backend, size=slots, **_QUIET.get(backend, {}))
        except Exception as exc:  # noqa: BLE001 - said by ready(), with the node's name
            self.error = f"node {self.address} cannot sandbox: {exc}"

    def ready(self) -> tuple[str, ...]:
        """The languages the node runs; a node without Docker or the image is refused here,
        by name, before any attempt is sent to it."""
        if self.box is None:
            raise SandboxUnavailable(self.error)
        return tuple(self.box.languages)

    def run(self, program: Program, jobs: list[Job], limits: Limits,
            options: dict[str, Any]) -> list[Execution]:
        """`options`: the keyword arguments of `Sandbox.run` other than progress."""
        if self.box is None:
            raise SandboxUnavailable(self.error)
        return self.box.run(program, jobs, limits, **options)

    def close(self) -> None:
        if self.box is not None:
            self.box.close()


def start_hosts(ray: Any, backend: str, known: dict[str, Any]) -> None:
    """A host on every sandbox node that has none yet (`known`: node id -> actor, updated),
    each checked ready: a node that cannot judge stops the work here, by name."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    from cpagent.agent.cluster.connect import sandbox_nodes

    started = []
    for node in sandbox_nodes(ray):
        if node.node_id in known:
            continue
        actor = ray.remote(SandboxHost).options(
            name=host_name(node.node_id), num_cpus=0, max_concurrency=max(8, 4 * node.slots),
            scheduling_strategy=NodeAffinitySchedulingStrategy(node.node_id, soft=False),
        ).remote(backend, node.slots, node.address)
        known[node.node_id] = actor
        started.append(actor)
    try:
        ray.get([actor.ready.remote() for actor in started])
    except ray.exceptions.RayTaskError as exc:
        cause = getattr(exc, "cause", None)
        if isinstance(cause, SandboxUnavailable):
            raise SandboxUnavailable(str(cause)) from None
        raise


def ray_node_id() -> str:
    import ray

    return ray.get_runtime_context().get_node_id() if ray.is_initialized() else ""


class NodeSandbox(Sandbox):
    """The sandbox as a task sees it: its own node's host."""

    name = "ray"

    def __init__(self) -> None:
        import ray

        node_id = ray.get_runtime_context().get_node_id()
        deadline = time.monotonic() + HOST_WAIT_S
        while True:
            try:
                self.host = ray.get_actor(host_name(node_id))
                break
            except ValueError:  # the driver starts it when it sees the node: soon
                if time.monotonic() > deadline:
                    raise SandboxUnavailable(f"no sandbox host on node {node_id}") from None
                time.sleep(0.5)
        self.languages = ray.get(self.host.ready.remote())

    def run(self, program: Program, jobs: Sequence[Job | str], limits: Limits, *,
            progress: Progress | None = None, **options: Any) -> list[Execution]:
        """As `Sandbox.run`, on this node's host; `progress` is told of each run once they
        have all come back (a callback cannot cross to the host's process)."""
        import ray

        runs = ray.get(self.host.run.remote(program, as_jobs(jobs), limits, options))
        if progress is not None:
            for i, execution in enumerate(runs):
                progress(i, execution)
        return runs
