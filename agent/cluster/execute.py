"""A batch's pending attempts as Ray tasks: scheduled only on nodes that can sandbox, judged
through each node's host, their model calls logged and gated by one shared actor each, and
stored by the driver as they come back.

The driver keeps the thread executor's bookkeeping (`Ledger`): it marks an attempt started
when it submits it, stores it when its task returns, and on a failure of the machinery puts
every attempt in flight back to pending. A node that dies takes its tasks with it; Ray runs
them again on another node, and only the copy that returns is stored, so each attempt is
recorded once.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from typing import Any

from cpagent.agent.batch.execute import FATAL, BatchProgress, Ledger
from cpagent.agent.batch.store import RunStore, RunStoreError
from cpagent.agent.cluster.connect import RESOURCE
from cpagent.agent.cluster.hosts import NodeSandbox, start_hosts
from cpagent.agent.cluster.shared import CallLogService, GateService, RemoteCallLog, RemoteGate
from cpagent.agent.flow import FlowOptions, SolveResult, solve
from cpagent.agent.llm import ModelClient, ModelSettings, ModelUnavailable
from cpagent.agent.llm.errors import ModelError
from cpagent.problems.model import Problem
from cpagent.sandbox.errors import SandboxError, SandboxUnavailable

__all__ = ["ClusterLost", "execute_on_ray", "lost"]

# An attempt's task is run again this many times when its node or worker dies under it.
TASK_RETRIES = 4
# How often the driver looks for nodes that joined since the run began.
NODE_POLL_S = 5.0
# A task asks for this much of its node's sandbox resource: the resource marks the nodes that
# can judge, not how many attempts fit (they mostly wait on the model; the host's pool bounds
# how many programs run at once).
TASK_SHARE = 0.001


class ClusterLost(RuntimeError):
    """Ray gave up on an attempt: its node or worker died more often than it retries."""


def execute_on_ray(ray: Any, store: RunStore, run: str, problems: list[Problem],
                   settings: list[ModelSettings], options: FlowOptions, *,
                   log_path: str | None, backend: str = "docker", parallel: int = 16,
                   on_progress: Callable[[BatchProgress], None] | None = None) -> BatchProgress:
    """Work through the run's pending attempts on the cluster `ray` is connected to, at most
    `parallel` in flight; attempt i talks to the model of `settings[i % len(settings)]`."""
    driver = _Driver(ray, store, run, problems, settings, options, log_path, backend,
                     on_progress)
    try:
        return driver.run(max(1, parallel))
    finally:
        driver.close()


class _Driver:
    def __init__(self, ray: Any, store: RunStore, run: str, problems: list[Problem],
                 settings: list[ModelSettings], options: FlowOptions, log_path: str | None,
                 backend: str, on_progress: Callable[[BatchProgress], None] | None) -> None:
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        self.ray, self.options, self.settings, self.backend = ray, options, settings, backend
        self.todo = store.pending(run)
        self.ledger = Ledger(store, run, len(self.todo), on_progress)
        self.hosts: dict[str, Any] = {}
        self.refs = {p.id: ray.put(p) for p in problems}
        # The call log's actor lives beside the driver, where its SQLite file is.
        here = NodeAffinitySchedulingStrategy(ray.get_runtime_context().get_node_id(),
                                              soft=False)
        self.log_path = log_path or ":memory:"
        self.log_actor = ray.remote(CallLogService).options(
            num_cpus=0, max_concurrency=64, scheduling_strategy=here).remote(self.log_path)
        self.gate_actor = ray.remote(GateService).options(
            num_cpus=0, max_concurrency=64, scheduling_strategy=here).remote()
        self.log = RemoteCallLog(self.log_actor, self.log_path)
        self.task = ray.remote(_attempt).options(
            num_cpus=0, resources={RESOURCE: TASK_SHARE}, max_retries=TASK_RETRIES)
        self.in_flight: dict[Any, tuple[str, int]] = {}

    def run(self, parallel: int) -> BatchProgress:
        ledger = self.ledger
        if ledger.on_progress:
            ledger.on_progress(ledger.progress)
        self._add_hosts()
        polled = time.monotonic()
        try:
            while self.todo or self.in_flight:
                while self.todo and len(self.in_flight) < parallel:
                    self._submit(*self.todo.pop(0))
                done, _ = self.ray.wait(list(self.in_flight), num_returns=1, timeout=1.0)
                for ref in done:
                    self._settle(ref)
                if time.monotonic() - polled > NODE_POLL_S:
                    self._add_hosts()
                    polled = time.monotonic()
        except BaseException:
            self._abandon()
            raise
        return ledger.progress

    def _submit(self, problem_id: str, attempt: int) -> None:
        self.ledger.begin(problem_id, attempt)
        settings = self.settings[attempt % len(self.settings)]
        ref = self.task.remote(self.refs[problem_id], attempt, self.options, settings,
                               self.log_actor, self.log_path, self.gate_actor)
        self.in_flight[ref] = (problem_id, attempt)

    def _settle(self, ref: Any) -> None:
        problem_id, attempt = self.in_flight.pop(ref)
        try:
            node, outcome = self.ray.get(ref)
        except self.ray.exceptions.RayError as exc:
            self.ledger.release(problem_id, attempt)
            raise lost(exc, f"attempt {attempt} of {problem_id}") from None
        with self.ledger.lock:
            nodes = self.ledger.progress.nodes
            nodes[node] = nodes.get(node, 0) + 1
        self.ledger.settle(problem_id, attempt, outcome, self.log)

    def _add_hosts(self) -> None:
        """A sandbox host on every node that declared the resource, checked before any
        attempt is sent there: a node without Docker or the image stops the run, by name."""
        start_hosts(self.ray, self.backend, self.hosts)

    def _abandon(self) -> None:
        """Stop: the attempts in flight go back to pending for a resume."""
        for ref, (problem_id, attempt) in list(self.in_flight.items()):
            self.ray.cancel(ref, force=True)
            self.ledger.release(problem_id, attempt)
        self.in_flight.clear()

    def close(self) -> None:
        for actor in [*self.hosts.values(), self.log_actor, self.gate_actor]:
            self.ray.kill(actor)


def lost(exc: BaseException, what: str) -> Exception:
    """The error for a task Ray could not bring back. An error raised inside the task is
    itself (a sandbox that cannot run on its node as SandboxUnavailable, in one line); only
    the node or worker dying under it, more often than Ray retries, is work lost."""
    cause = getattr(exc, "cause", None)
    first = (str(cause or exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(cause, SandboxError):
        return SandboxUnavailable(first)
    if isinstance(cause, Exception):
        return cause
    return ClusterLost(f"{what} was lost with its node {TASK_RETRIES + 1} times: {first}")


# --- what runs on a node -------------------------------------------------------------------

_clients: dict[str, ModelClient] = {}
_sandbox: list[NodeSandbox] = []


def _attempt(problem: Problem, attempt: int, options: FlowOptions, settings: ModelSettings,
             log_actor: Any, log_path: str,
             gate_actor: Any) -> tuple[str, SolveResult | BaseException]:
    """One attempt on a node, its error returned as its outcome for the driver to settle,
    with the node it ran on."""
    import ray

    node = ray.get_runtime_context().get_node_id()
    try:
        if not _sandbox:
            _sandbox.append(NodeSandbox())
        client = _client(settings, log_actor, log_path, gate_actor)
        return node, solve(problem, client, _sandbox[0],
                           options.model_copy(update={"attempt": attempt}))
    except Exception as exc:  # noqa: BLE001 - settled by the driver as the thread executor does
        return node, _portable(exc)


def _client(settings: ModelSettings, log_actor: Any, log_path: str,
            gate_actor: Any) -> ModelClient:
    """One client per model and run in each worker process, so what it learned about the
    endpoint (a refused parameter) holds for the attempts after."""
    key = settings.model_dump_json() + log_actor._actor_id.hex()
    if key not in _clients:
        _clients[key] = ModelClient(settings, log=RemoteCallLog(log_actor, log_path),
                                    gate=RemoteGate(gate_actor))
    return _clients[key]


def _portable(exc: Exception) -> BaseException:
    """The error as the driver can rebuild it: itself if it survives pickling, else one of the
    same kind (fatal or not) with the same message."""
    try:
        back = pickle.loads(pickle.dumps(exc))
        if type(back) is type(exc) and str(back) == str(exc):
            return exc
    except Exception:  # noqa: BLE001, S110 - not picklable: rebuilt below
        pass
    message = f"{exc}"
    if isinstance(exc, ModelError):
        return ModelUnavailable(message) if isinstance(exc, FATAL) else Crashed(
            type(exc).__name__, message)
    if isinstance(exc, SandboxError):
        return SandboxUnavailable(message)
    if isinstance(exc, RunStoreError):
        return RunStoreError(message)
    return Crashed(type(exc).__name__, message)


class Crashed(Exception):
    """An attempt's own error that could not travel as itself: stored under its kind."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)
        self.kind, self.message = kind, message

    def __str__(self) -> str:
        return self.message
