"""What a perfect selector could have added to a recorded run (session 14): every distinct
program that passed the samples in a problem the run left unsolved, judged on all tests
with CPython and with PyPy. If none is accepted, neither choosing among the candidates nor
the interpreter lost the problem: the model never wrote a right and fast enough program.

    python benchmarks/experiments/sample_passers.py RUN.jsonl
    python benchmarks/experiments/sample_passers.py runs.db:RUN

No model call; the sandbox judges."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.experiments.common import program_versions, recorded  # noqa: E402
from cpagent.sandbox import judge, open_sandbox  # noqa: E402
from cpagent.sandbox.model import Program  # noqa: E402


def sample_passers(trajectory: dict) -> list[str]:
    """The distinct programs a 'samples' step accepted, in the order they were written."""
    found: list[str] = []
    for step, code in program_versions(trajectory):
        if (step["name"] == "samples" and step["data"].get("verdict") == "AC"
                and code not in found):
            found.append(code)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="RUN.jsonl, or runs.db:RUN")
    source = parser.parse_args().source
    unsolved = [(r.problem, r.trajectory) for r in recorded(source) if not r.solved]
    accepted = 0
    with open_sandbox("docker", size=2) as box:
        for problem, trajectory in unsolved:
            programs = sample_passers(trajectory)
            if not programs:
                print(f"{problem.id}: no program passed the samples", flush=True)
                continue
            verdicts = []
            for code in programs:
                cpython = judge(box, Program(source=code), problem)
                pypy = judge(box, Program(source=code, lang="pypy"), problem)
                accepted += cpython.accepted or pypy.accepted
                verdicts.append(f"{cpython.passed}/{cpython.total} {cpython.verdict.value} "
                                f"(PyPy {pypy.passed}/{pypy.total} {pypy.verdict.value})")
            print(f"{problem.id}: {len(programs)} passed the samples; on all tests: "
                  f"{'; '.join(verdicts)}", flush=True)
    print(f"# {len(unsolved)} unsolved problems; programs that passed the samples and are "
          f"accepted on all tests by either interpreter: {accepted}")


if __name__ == "__main__":
    main()
