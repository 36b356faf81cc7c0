"""The run store's size for N runs of one problem set, in three layouts side by side in
one run: a copy of the set per run (before migration m003), the set stored once by content
as text (m003), both reproduced here in tables of their own, and stored once and packed
(m004: today's RunStore, which also reports the time packing took).

    python benchmarks/store_size.py problems/library --runs 8
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
import tempfile
import time
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


def stored_once_text(path: Path, problems: list, runs: int) -> float:
    """m003: each distinct problem's JSON once, as text; runs keep ids and hashes."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE problem_texts (hash TEXT PRIMARY KEY, problem TEXT NOT NULL)")
    db.execute("CREATE TABLE problems (run TEXT NOT NULL, position INTEGER NOT NULL, "
               "id TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (run, id))")
    texts = [p.model_dump_json() for p in problems]
    digests = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    db.executemany("INSERT OR IGNORE INTO problem_texts VALUES (?, ?)",
                   zip(digests, texts, strict=True))
    for r in range(runs):
        db.executemany("INSERT INTO problems VALUES (?, ?, ?, ?)",
                       [(f"run{r}", i, p.id, d)
                        for i, (p, d) in enumerate(zip(problems, digests, strict=True))])
    db.commit()
    db.close()
    return mb(path)


def stored_packed(path: Path, problems: list, runs: int) -> float:
    started = time.monotonic()
    with RunStore(path) as store:
        for r in range(runs):
            store.create_or_resume(f"run{r}", RunSpec(model="m", flow={"flow": "full", "r": r}),
                                   problems)
            if r == 0:
                print(f"(the first run stored and packed the set in "
                      f"{time.monotonic() - started:.1f} s)")
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
        once = stored_once_text(Path(tmp) / "texts.db", problems, args.runs)
        packed = stored_packed(Path(tmp) / "runs.db", problems, args.runs)
    print(f"{len(problems)} problems ({' '.join(args.sources)}), {args.runs} runs")
    print(f"a copy per run (before m003):  {before:8.1f} MB")
    print(f"stored once by content (m003): {once:8.1f} MB  ({before / once:.1f}x smaller)")
    print(f"stored once, packed (m004):    {packed:8.1f} MB  ({before / packed:.1f}x smaller)")


if __name__ == "__main__":
    main()
