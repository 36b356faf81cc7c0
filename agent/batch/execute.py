"""Run a batch's pending attempts on a few worker threads, storing each as it ends.

The threads share the model clients (one for an endpoint: the openai SDK is thread-safe and
the call log takes a lock; one per server for the local model) and one sandbox pool with a
slot per worker. A failure of the machinery (the sandbox
or the model endpoint gone) stops the batch and leaves the unfinished attempts pending for
a resume; a failure inside one attempt is stored as that attempt's error, and the batch goes
on.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel

from agent.batch.store import RunStore
from agent.flow import FlowOptions, SolveResult, solve
from agent.llm import CallLog, ModelClient, ModelRequestError, ModelSettingsError, ModelUnavailable
from problems.model import Problem
from sandbox.base import Sandbox
from sandbox.errors import SandboxError

__all__ = ["BatchProgress", "attempt_result", "execute"]

# Errors of the machinery rather than of one attempt: the batch cannot usefully go on.
FATAL = (ModelUnavailable, ModelRequestError, ModelSettingsError, SandboxError)


class BatchProgress(BaseModel):
    total: int
    done: int = 0
    solved: int = 0
    errors: int = 0
    tokens: int = 0
    calls: int = 0


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


def attempt_result(result: SolveResult, log: CallLog | None = None) -> dict[str, Any]:
    """What the store keeps of one attempt: the outcome up front, the rest for exports."""
    report = result.report
    trajectory = result.trajectory
    return {
        "solved": result.accepted,
        "verdict": report.verdict.value if report else "no code",
        "passed": report.passed if report else 0,
        "tests": report.total if report else 0,
        "calls": trajectory.calls,
        "tokens": trajectory.tokens,
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
    free: queue.SimpleQueue[ModelClient] = queue.SimpleQueue()
    for each in [client] if isinstance(client, ModelClient) else client:
        free.put(each)
    by_id = {p.id: p for p in problems}
    todo = store.pending(run)
    progress = BatchProgress(total=len(todo))
    lock = threading.Lock()
    stop = threading.Event()

    def one(problem_id: str, attempt: int) -> None:
        if stop.is_set():
            return
        store.start(run, problem_id, attempt)
        mine = free.get()
        try:
            result = solve(by_id[problem_id], mine, sandbox,
                           options.model_copy(update={"attempt": attempt}))
        except FATAL:
            store.release(run, problem_id, attempt)
            stop.set()
            raise
        except BaseException as exc:  # noqa: BLE001 - one attempt's crash is its outcome
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                store.release(run, problem_id, attempt)
                stop.set()
                raise
            store.fail(run, problem_id, attempt, f"{type(exc).__name__}: {exc}")
            _count(progress, lock, None, on_progress)
            return
        finally:
            free.put(mine)
        store.finish(run, problem_id, attempt, attempt_result(result, mine.log))
        _count(progress, lock, result, on_progress)

    if on_progress:
        on_progress(progress)
    jobs: queue.SimpleQueue[tuple[str, int]] = queue.SimpleQueue()
    for item in todo:
        jobs.put(item)
    errors: list[BaseException] = []
    in_flight: set[tuple[str, int]] = set()

    def worker() -> None:
        while not stop.is_set():
            try:
                problem_id, attempt = jobs.get_nowait()
            except queue.Empty:
                return
            with lock:
                in_flight.add((problem_id, attempt))
            try:
                one(problem_id, attempt)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                errors.append(exc)
                stop.set()
                return
            finally:
                with lock:
                    in_flight.discard((problem_id, attempt))

    # Daemon threads: on Ctrl-C the command must not wait for a model call in flight, which
    # can take minutes; the attempts it abandons go back to pending, as after a crash.
    threads = [threading.Thread(target=worker, daemon=True, name=f"batch-{i}")
               for i in range(max(1, workers))]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)
    except BaseException:
        stop.set()
        with lock:
            abandoned = list(in_flight)
        for problem_id, attempt in abandoned:
            store.release(run, problem_id, attempt)
        raise
    if errors:
        raise errors[0]
    return progress


def _count(progress: BatchProgress, lock: threading.Lock, result: SolveResult | None,
           on_progress: Callable[[BatchProgress], None] | None) -> None:
    with lock:
        progress.done += 1
        if result is None:
            progress.errors += 1
        else:
            progress.solved += int(result.accepted)
            progress.tokens += result.trajectory.tokens
            progress.calls += result.trajectory.calls
        if on_progress:
            on_progress(progress)
