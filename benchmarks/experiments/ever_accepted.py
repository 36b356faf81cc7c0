"""The ceiling of every recorded run together (session 16): for each problem, every distinct
program any of the runs wrote, and which of those passed the samples and are accepted on all
tests (CPython or PyPy). No selector, repair order or budget split over these runs could
have solved a problem for which the model never wrote an accepted program.

    python benchmarks/experiments/ever_accepted.py RUN.jsonl runs.db:RUN ... [--dev DEV.jsonl]

No model call; the sandbox judges."""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.experiments.common import DEV, program_versions, recorded  # noqa: E402
from benchmarks.experiments.sample_passers import sample_passers  # noqa: E402
from cpagent.sandbox import judge, open_sandbox  # noqa: E402
from cpagent.sandbox.model import Program  # noqa: E402


def accepted_by_either(box, code: str, problem) -> bool:
    return any(judge(box, Program(source=code, lang=lang), problem).accepted
               for lang in ("python", "pypy"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", help="RUN.jsonl, or runs.db:RUN")
    parser.add_argument("--dev", type=Path, default=DEV,
                        help="the CodeContests file a JSONL run's records come from")
    args = parser.parse_args()
    sources = args.sources
    problems: dict[str, object] = {}
    written: dict[str, set[str]] = defaultdict(set)
    passers: dict[str, dict[str, list[str]]] = defaultdict(dict)  # problem -> code -> runs
    solved_in: dict[str, list[str]] = defaultdict(list)
    for source in sources:
        name = Path(source.rsplit(":", 1)[-1]).stem
        for rec in recorded(source, args.dev):
            pid = rec.problem.id
            problems.setdefault(pid, rec.problem)
            written[pid].update(code for _, code in program_versions(rec.trajectory))
            for code in sample_passers(rec.trajectory):
                passers[pid].setdefault(code, []).append(name)
            if rec.solved:
                solved_in[pid].append(name)
    ceiling: list[str] = []
    with open_sandbox("docker", size=2) as box:
        for pid, problem in problems.items():
            accepted = [runs for code, runs in passers[pid].items()
                        if accepted_by_either(box, code, problem)]
            if accepted:
                ceiling.append(pid)
            print(f"{pid:45} written {len(written[pid]):3}  passed samples "
                  f"{len(passers[pid]):2}  accepted {len(accepted):2}  "
                  f"solved by {','.join(solved_in[pid]) or '-'}", flush=True)
    total = sum(len(w) for w in written.values())
    print(f"# {len(sources)} runs, {len(problems)} problems, {total} distinct programs "
          f"written; a program accepted on all tests was ever written for "
          f"{len(ceiling)}/{len(problems)}: {' '.join(ceiling)}")


if __name__ == "__main__":
    main()
