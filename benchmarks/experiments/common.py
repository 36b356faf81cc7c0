"""What the one-off experiments share: judging a program the way their outputs report it,
and running work on the two local model servers at once."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from cpagent.problems.formats.codecontests import read_codecontests
from cpagent.problems.load import load_problem
from cpagent.problems.model import Problem
from cpagent.sandbox import judge
from cpagent.sandbox.model import Program

PRINT_LOCK = threading.Lock()
ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "problems" / "library"
DEV = ROOT.parent / "shared" / "data" / "codecontests" / "dev.jsonl"


class Recorded(NamedTuple):
    problem: Problem
    trajectory: dict
    solved: bool


def recorded(source: str, dev: Path = DEV) -> list[Recorded]:
    """Each problem of a recorded run with the trajectory of its (first) attempt and whether
    it was solved: a solve_rate.py JSONL (of library problems, or of records of
    a CodeContests file, `dev`), or `runs.db:RUN` for a contest run."""
    if ":" in source and not source.endswith(".jsonl"):
        db, run = source.rsplit(":", 1)
        rows = sqlite3.connect(db).execute(
            "SELECT p.problem, a.result FROM attempts a JOIN problems p ON p.run = a.run AND "
            "p.id = a.problem WHERE a.run = ? AND a.state = 'done' AND a.attempt = 0 "
            "ORDER BY p.position", (run,)).fetchall()
        results = [(Problem.model_validate_json(p), json.loads(r)) for p, r in rows]
    else:
        results = [(_problem(row["id"], dev), row)
                   for row in map(json.loads, Path(source).read_text().splitlines())]
    return [Recorded(problem, result["trajectory"], bool(result.get("solved")))
            for problem, result in results]


def _problem(problem_id: str, dev: Path) -> Problem:
    if (LIBRARY / problem_id).is_dir():
        return load_problem(LIBRARY / problem_id)
    return read_codecontests(dev, problem_id)


def program_versions(trajectory: dict) -> Iterator[tuple[dict, str]]:
    """Each step of a recorded trajectory whose candidate holds code by then, with that
    code: what a 'solution', 'debug' or 'patch' step wrote, or the brute force a
    'from-brute' step took over."""
    steps = trajectory["steps"]
    brute = next((s["data"].get("code") for s in steps if s["name"] == "brute"), None)
    current: dict[int, str] = {}
    for step in steps:
        cand = step["candidate"]
        if step["name"] == "from-brute" and brute:
            current[cand] = brute
        elif step["name"] in ("solution", "debug", "patch") and "code" in step["data"]:
            current[cand] = step["data"]["code"]
        if cand in current:
            yield step, current[cand]


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
