"""What the one-off experiments share: judging a program the way their outputs report it,
and running work on the two local model servers at once."""

from __future__ import annotations

import threading
from collections.abc import Callable

from problems.model import Problem
from sandbox import judge
from sandbox.model import Program

PRINT_LOCK = threading.Lock()


def verdicts(box, code: str | None, problem: Problem, every: bool = False) -> str:
    """'samples 1/2 WA', and when it passes them (or with every=True) the verdict on all
    tests too."""
    if not code:
        return "no code"
    samples = judge(box, Program(source=code), problem, tests=problem.samples())
    text = f"samples {samples.passed}/{samples.total} {samples.verdict.value}"
    if samples.accepted or every:
        whole = judge(box, Program(source=code), problem)
        text += f", all {whole.passed}/{whole.total} {whole.verdict.value}"
    return text


def say(line: str) -> None:
    with PRINT_LOCK:
        print(line, flush=True)


def in_parallel(*jobs: Callable[[], object]) -> None:
    """Each job in a thread of its own (one per model server), and wait for all."""
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
