"""The run store's size for N runs of one problem set: a copy of the set per run (the layout
before migration m003, reproduced here in a table of its own) against the set stored once
by content (today's RunStore), side by side in one run.

    python benchmarks/store_size.py problems/library --runs 8
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cpagent.agent.batch import RunSpec, RunStore  # noqa: E402
from cpagent.problems.sets import load_problem_set  # noqa: E402


def mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6


def per_run_copies(path: Path, problems: list, runs: int) -> float:
    """The old layout: every run's problems table holds each problem's whole JSON."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE problems (run TEXT NOT NULL, position INTEGER NOT NULL, "
               "id TEXT NOT NULL, problem TEXT NOT NULL, PRIMARY KEY (run, id))")
    for r in range(runs):
        db.executemany("INSERT INTO problems VALUES (?, ?, ?, ?)",
                       [(f"run{r}", i, p.id, p.model_dump_json()) for i, p in enumerate(problems)])
    db.commit()
    db.close()
    return mb(path)


def stored_once(path: Path, problems: list, runs: int) -> float:
    with RunStore(path) as store:
        for r in range(runs):
            store.create_or_resume(f"run{r}", RunSpec(model="m", flow={"flow": "full", "r": r}),
                                   problems)
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return mb(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+")
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    problems = load_problem_set(args.sources)
    with tempfile.TemporaryDirectory() as tmp:
        before = per_run_copies(Path(tmp) / "copies.db", problems, args.runs)
        after = stored_once(Path(tmp) / "runs.db", problems, args.runs)
    print(f"{len(problems)} problems ({' '.join(args.sources)}), {args.runs} runs")
    print(f"a copy per run (before m003): {before:8.1f} MB")
    print(f"stored once by content:       {after:8.1f} MB")
    print(f"ratio: {before / after:.1f}x smaller")


if __name__ == "__main__":
    main()
