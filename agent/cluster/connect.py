"""Joining a Ray cluster, or starting one here, and finding the nodes that can sandbox.

A node offers to judge by declaring the custom resource `cpagent_sandbox` when it joins
(`ray start --resources '{"cpagent_sandbox": 8}'`, the number being its judging slots, one per
core). Attempts are scheduled only there; a node without it gets none.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from types import ModuleType

from pydantic import BaseModel

__all__ = ["RESOURCE", "ClusterError", "SandboxNode", "connect", "import_ray", "sandbox_nodes"]

RESOURCE = "cpagent_sandbox"
LOCAL, AUTO = "local", "auto"


class ClusterError(ValueError):
    """The cluster cannot be used: ray missing, an address that does not answer, no node that
    can sandbox. A ValueError, so every command says it in one line with exit code 2."""


class SandboxNode(BaseModel):
    """A live node that declared the sandbox resource."""

    node_id: str
    address: str
    slots: int


def import_ray() -> ModuleType:
    """Ray, imported on first use: it is an optional extra, and heavy to import."""
    try:
        import ray
    except ImportError:
        raise ClusterError("--ray needs Ray: pip install 'cpagent[ray]'") from None
    return ray


def sandbox_nodes(ray: ModuleType) -> list[SandboxNode]:
    """The live nodes that declared the sandbox resource, with their judging slots."""
    nodes = []
    for node in ray.nodes():
        slots = node.get("Resources", {}).get(RESOURCE, 0)
        if node.get("Alive") and slots > 0:
            nodes.append(SandboxNode(node_id=node["NodeID"], address=node["NodeManagerAddress"],
                                     slots=max(1, int(slots))))
    return nodes


@contextlib.contextmanager
def connect(address: str | None) -> Iterator[ModuleType]:
    """Ray, connected to the cluster at `address` for the block: "auto" (or None) joins the
    one running on this machine's network, "local" starts one on this machine whose node
    judges with a slot per core, anything else is a cluster's address (host:port)."""
    ray = import_ray()
    address = address or AUTO
    # A driver's own prints would interleave with the progress bar; the workers' logs stay
    # in the cluster's log files.
    common = {"log_to_driver": False, "logging_level": "WARNING"}
    if address not in (LOCAL, AUTO):
        _reachable(address)
    try:
        if address == LOCAL:
            cores = os.cpu_count() or 1
            # address="local": a new cluster even where one is running already, which
            # ray.init() alone would join (and refuse the resources given).
            ray.init(address="local", num_cpus=cores, resources={RESOURCE: cores},
                     include_dashboard=False, **common)
        else:
            ray.init(address=address, **common)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ClusterError(f"cannot reach a Ray cluster at {address}: {first}") from None
    try:
        if not sandbox_nodes(ray):
            raise ClusterError(
                f"the Ray cluster at {address} has no node that can sandbox: start each "
                f"judging node with ray start --resources '{{\"{RESOURCE}\": CORES}}'")
        yield ray
    finally:
        ray.shutdown()


def _reachable(address: str, timeout_s: float = 5.0) -> None:
    """Fail fast on an address nothing answers at: Ray itself retries for minutes."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout_s):
            pass
    except (OSError, ValueError) as exc:
        raise ClusterError(f"cannot reach a Ray cluster at {address}: {exc}") from None
