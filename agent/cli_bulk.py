"""`cpagent judge SUBMISSIONS.jsonl`: many programs judged at once, here or on a Ray cluster,
one JSON line per verdict as it is reached and a count of verdicts at the end."""

from __future__ import annotations

import contextlib
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from rich.console import Console

from cpagent.agent.batch.judging import (
    Judged,
    as_line,
    judge_many,
    load_problems,
    read_submissions,
)
from cpagent.sandbox import open_sandbox

__all__ = ["bulk_judge"]

MAX_PARALLEL = 1024


def bulk_judge(path: Path, backend: str, parallel: int, ray_address: str | None,
               out: Path | None) -> int:
    """Judge every submission of `path`; the exit code (0: every one judged)."""
    if not 0 <= parallel <= MAX_PARALLEL:
        raise ValueError(f"--parallel must be between 1 and {MAX_PARALLEL}")
    submissions = read_submissions(path)
    problems = load_problems(submissions)
    counts: Counter[str] = Counter()
    with _output(out) as sink:
        for judged in _verdicts(submissions, problems, backend, parallel, ray_address):
            sink.write(as_line(judged) + "\n")
            sink.flush()
            counts[judged.verdict or "error"] += 1
    summary = ", ".join(f"{n} {v}" for v, n in counts.most_common())
    Console(stderr=True).print(f"{sum(counts.values())} judged: {summary}")
    return 0


def _verdicts(submissions, problems, backend: str, parallel: int,  # noqa: ANN001
              ray_address: str | None) -> Iterator[Judged]:
    if ray_address is not None:
        from cpagent.agent.cluster import connect
        from cpagent.agent.cluster.judging import judge_on_ray

        with connect(ray_address) as ray:
            yield from judge_on_ray(ray, submissions, problems, backend=backend,
                                    parallel=parallel)
        return
    slots = os.cpu_count() or 1
    with open_sandbox(backend, size=slots) as box:
        yield from judge_many(box, submissions, problems, workers=parallel or slots)


@contextlib.contextmanager
def _output(out: Path | None) -> Iterator[TextIO]:
    if out is None:
        yield sys.stdout
        return
    with out.open("w", encoding="utf-8") as sink:
        yield sink
