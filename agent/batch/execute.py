"""Run a batch's pending attempts on a few worker threads, storing each as it ends.

The threads share the model clients (one for an endpoint: the openai SDK is thread-safe and
the call log takes a lock; one per server for the local model) and one sandbox pool with a
slot per worker. A failure of the machinery (the sandbox
or the model endpoint gone) stops the batch and leaves the unfinished attempts pending for
a resume; a failure inside one attempt is stored as that attempt's error, and the batch goes
on.
"""

from __future__ import annotations

import contextlib
import errno
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pydantic import BaseModel

from cpagent.agent.batch.store import RunStore, RunStoreError
from cpagent.agent.flow import FlowOptions, SolveResult, solve
from cpagent.agent.llm import (
    CallLog,
    ModelClient,
    ModelSettingsError,
    ModelUnavailable,
)
from cpagent.problems.model import Problem
from cpagent.sandbox.base import Sandbox
from cpagent.sandbox.errors import SandboxError

__all__ = ["FATAL", "BatchProgress", "Ledger", "attempt_result", "execute"]

# Errors of the machinery rather than of one attempt: the batch cannot usefully go on (a
# spent quota among them). A refused request (a prompt over the context length, a content
# policy) or an unusable reply concerns one problem: that attempt fails, with its reason.
FATAL = (ModelUnavailable, ModelSettingsError, SandboxError, RunStoreError)
# An OSError with one of these is the disk's, not the attempt's.
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.EDQUOT})


class BatchProgress(BaseModel):
    total: int
    done: int = 0
    solved: int = 0
    errors: int = 0
    tokens: int = 0
    calls: int = 0
    failed_calls: int = 0  # calls with nothing to use (cut off, filtered): not wrong programs
    nodes: dict[str, int] = {}  # on a cluster: attempts that came back from each node


def replayed_seconds(result: SolveResult, log: CallLog | None) -> float:
    """The model time a replayed call once took: a resumed attempt replays in no time, but a
    report's clock must count what the answers cost when they were made."""
    if log is None:
        return 0.0
    total = 0.0
    for step in result.trajectory.steps:
        for call_id in step.calls:
            record = log.get(call_id)
            if record is not None and record.cached and record.replay_of is not None:
                original = log.get(record.replay_of)
                total += original.latency_s if original is not None else 0.0
    return round(total, 1)


def _made(log: CallLog, call_id: int):  # noqa: ANN202
    """The call as it was first made: a replay's original, which its answer cost."""
    record = log.get(call_id)
    if record is not None and record.cached and record.replay_of is not None:
        return log.get(record.replay_of) or record
    return record


def reasoning_and_cost(result: SolveResult, log: CallLog | None) -> tuple[int, float]:
    """The reasoning tokens and the dollars of an attempt's model calls, as when first made
    (a resumed run replays them for free, but what a run of a reasoning model costs is
    what its answers cost)."""
    if log is None:
        return 0, 0.0
    records = [_made(log, i) for step in result.trajectory.steps for i in step.calls]
    made = [r for r in records if r is not None]
    return sum(r.reasoning_tokens for r in made), round(sum(r.cost_usd for r in made), 6)


def attempt_result(result: SolveResult, log: CallLog | None = None) -> dict[str, Any]:
    """What the store keeps of one attempt: the outcome up front, the rest for exports."""
    report = result.report
    trajectory = result.trajectory
    reasoning, cost = reasoning_and_cost(result, log)
    return {
        "solved": result.accepted,
        "verdict": report.verdict.value if report else "no code",
        "passed": report.passed if report else 0,
        "tests": report.total if report else 0,
        "calls": trajectory.calls,
        "tokens": trajectory.tokens,
        "reasoning_tokens": reasoning,
        "cost_usd": cost,
        "seconds": trajectory.seconds,
        "replayed_model_seconds": replayed_seconds(result, log),
        "lang": result.lang,
        "code": result.code,
        "report": report.model_dump(mode="json") if report else None,
        "trajectory": trajectory.model_dump(mode="json"),
    }


def execute(store: RunStore, run: str, problems: list[Problem],
            client: ModelClient | Sequence[ModelClient], sandbox: Sandbox,
            options: FlowOptions, *, workers: int = 1,
            on_progress: Callable[[BatchProgress], None] | None = None) -> BatchProgress:
    """Work through the run's pending attempts; return the counts of this session. With
    several clients (one local server each), an attempt takes whichever is free."""
    clients = [client] if isinstance(client, ModelClient) else list(client)
    batch = _Batch(store, run, {p.id: p for p in problems}, clients, sandbox, options,
                   on_progress)
    return batch.run(max(1, workers))


class Ledger:
    """What every executor does with an attempt, in the driver: mark it started, then store
    its outcome and count it, or put it back to pending and stop the batch. The driver is the
    run store's one writer, wherever the attempt itself ran."""

    def __init__(self, store: RunStore, run: str, total: int,
                 on_progress: Callable[[BatchProgress], None] | None) -> None:
        self.store, self.run_name, self.on_progress = store, run, on_progress
        self.progress = BatchProgress(total=total)
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def begin(self, problem_id: str, attempt: int) -> None:
        with self._storing(problem_id, attempt):
            self.store.start(self.run_name, problem_id, attempt)

    def settle(self, problem_id: str, attempt: int, outcome: SolveResult | BaseException,
               log: CallLog | None) -> None:
        """Store the attempt's result, or the error inside it. A failure of the machinery
        (the model's endpoint, the sandbox, the storage) leaves it pending and raises: the
        batch stops, and the next resume runs it."""
        if isinstance(outcome, SolveResult):
            with self._storing(problem_id, attempt):
                self.store.finish(self.run_name, problem_id, attempt,
                                  attempt_result(outcome, log))
            self._count(outcome)
            return
        if isinstance(outcome, FATAL) or not isinstance(outcome, Exception):
            self.release(problem_id, attempt)  # Ctrl-C and the machinery's failures
            raise outcome
        if isinstance(outcome, (sqlite3.Error, OSError)):
            if isinstance(outcome, OSError) and outcome.errno not in STORAGE_ERRNOS:
                self._failed(problem_id, attempt, outcome)
                return
            self.release(problem_id, attempt)
            raise RunStoreError(f"cannot write the call log: {outcome}; the run stopped, and "
                                "the same command resumes it once there is room") from outcome
        self._failed(problem_id, attempt, outcome)  # one attempt's crash is its outcome

    def release(self, problem_id: str, attempt: int) -> None:
        """Back to pending, if the store can still say so; a resume finds it either way
        (create_or_resume puts attempts left running back in the queue)."""
        self.stop.set()
        with contextlib.suppress(sqlite3.Error, RunStoreError):
            self.store.release(self.run_name, problem_id, attempt)

    def _failed(self, problem_id: str, attempt: int, exc: BaseException) -> None:
        with self._storing(problem_id, attempt):
            # `kind`: an error that crossed from another machine says what it was there.
            kind = getattr(exc, "kind", type(exc).__name__)
            self.store.fail(self.run_name, problem_id, attempt, f"{kind}: {exc}")
        self._count(None)

    def _count(self, result: SolveResult | None) -> None:
        progress = self.progress
        with self.lock:
            progress.done += 1
            if result is None:
                progress.errors += 1
            else:
                progress.solved += int(result.accepted)
                progress.tokens += result.trajectory.tokens
                progress.calls += result.trajectory.calls
                progress.failed_calls += len(result.trajectory.failed_calls)
            if self.on_progress:
                self.on_progress(progress)

    @contextlib.contextmanager
    def _storing(self, problem_id: str, attempt: int) -> Iterator[None]:
        """A write to the run store that fails (a full disk, a read-only or locked file)
        fails the machinery, not the attempt: it stays pending and the batch stops."""
        try:
            yield
        except (sqlite3.Error, OSError) as exc:
            self.release(problem_id, attempt)
            raise RunStoreError(f"cannot store attempt {attempt} of {problem_id}: {exc}; the "
                                "run stopped, and the same command resumes it once the store "
                                "can be written") from exc


class _Batch:
    """The state the worker threads share: the queue of attempts, the free clients, and which
    attempts are in flight (released to pending if the batch is stopped)."""

    def __init__(self, store: RunStore, run: str, problems: dict[str, Problem],
                 clients: list[ModelClient], sandbox: Sandbox, options: FlowOptions,
                 on_progress: Callable[[BatchProgress], None] | None) -> None:
        self.problems, self.sandbox, self.options = problems, sandbox, options
        self.free: queue.SimpleQueue[ModelClient] = queue.SimpleQueue()
        for each in clients:
            self.free.put(each)
        self.jobs: queue.SimpleQueue[tuple[str, int]] = queue.SimpleQueue()
        todo = store.pending(run)
        for item in todo:
            self.jobs.put(item)
        self.ledger = Ledger(store, run, len(todo), on_progress)
        self.errors: list[BaseException] = []
        self.in_flight: set[tuple[str, int]] = set()

    @property
    def progress(self) -> BatchProgress:
        return self.ledger.progress

    def run(self, workers: int) -> BatchProgress:
        ledger = self.ledger
        if ledger.on_progress:
            ledger.on_progress(ledger.progress)
        # Daemon threads: on Ctrl-C the command must not wait for a model call in flight,
        # which can take minutes; the attempts it abandons go back to pending, as after a
        # crash.
        threads = [threading.Thread(target=self.worker, daemon=True, name=f"batch-{i}")
                   for i in range(workers)]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.2)
        except BaseException:
            ledger.stop.set()
            with ledger.lock:
                abandoned = list(self.in_flight)
            for problem_id, attempt in abandoned:
                ledger.store.release(ledger.run_name, problem_id, attempt)
            raise
        if self.errors:
            raise self.errors[0]
        return ledger.progress

    def worker(self) -> None:
        while not self.ledger.stop.is_set():
            try:
                problem_id, attempt = self.jobs.get_nowait()
            except queue.Empty:
                return
            with self.ledger.lock:
                self.in_flight.add((problem_id, attempt))
            try:
                self.attempt(problem_id, attempt)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                self.errors.append(exc)
                self.ledger.stop.set()
                return
            finally:
                with self.ledger.lock:
                    self.in_flight.discard((problem_id, attempt))

    def attempt(self, problem_id: str, attempt: int) -> None:
        """One attempt, stored as it ends (see Ledger.settle)."""
        if self.ledger.stop.is_set():
            return
        self.ledger.begin(problem_id, attempt)
        mine = self.free.get()
        outcome: SolveResult | BaseException
        try:
            outcome = solve(self.problems[problem_id], mine, self.sandbox,
                            self.options.model_copy(update={"attempt": attempt}))
        except BaseException as exc:  # noqa: BLE001 - settled below, re-raised if fatal
            outcome = exc
        finally:
            self.free.put(mine)
        self.ledger.settle(problem_id, attempt, outcome, mine.log)


