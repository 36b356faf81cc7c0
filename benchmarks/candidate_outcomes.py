"""What became of each candidate program in full-flow runs: how many were written, how the
samples judged them (and, for crashes, which exception), how many the harness gave
imports, how often a brute force and stress were there to check them. Reads trajectories
only, so it costs no model call and no sandbox run.

    python benchmarks/candidate_outcomes.py --db benchmarks/results/runs.db cc-ab-full-v3
    python benchmarks/candidate_outcomes.py benchmarks/results/solve-library-easy-full-v5.jsonl
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path


def trajectories(source: str, db: Path | None) -> Iterator[tuple[bool, dict]]:
    """(solved, trajectory) for every finished problem of a run store's run or a
    solve_rate JSONL file."""
    if db is not None:
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT result FROM attempts WHERE run = ? AND state = 'done'",
                                (source,)).fetchall()
        for (text,) in rows:
            result = json.loads(text)
            yield bool(result.get("solved")), result["trajectory"]
        return
    for line in Path(source).read_text().splitlines():
        row = json.loads(line) if line.strip() else {}
        if "trajectory" in row:
            yield bool(row.get("solved")), row["trajectory"]


def tally(runs: Iterator[tuple[bool, dict]]) -> Counter[str]:
    count: Counter[str] = Counter()
    for solved, trajectory in runs:
        count["problems"] += 1
        count["solved"] += solved
        passing = False
        for step in trajectory["steps"]:
            data = step.get("data") or {}
            if step["name"] == "solution":
                count["candidates asked"] += 1
                count["no code in the reply"] += "no_code" in data
                count["imports added by the harness"] += bool(data.get("imports_added"))
            elif step["name"] == "samples":
                verdict = data.get("verdict", "?")
                count[f"samples: {verdict}"] += 1
                passing |= verdict == "AC"
                if verdict == "RE":
                    kind = data.get("error", "").split(":")[0] or "(not recorded)"
                    count[f"  RE {kind}"] += 1
            elif step["name"] == "brute":
                count["brute force passes the samples"] += bool(data.get("passes_samples"))
            elif step["name"] == "stress":
                count["stress runs"] += 1
            elif step["name"] == "spec":
                count[f"spec: {step['summary']}"] += 1
        count["problems with a sample-passing candidate"] += passing
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", help="run names (with --db) or JSONL files")
    parser.add_argument("--db", type=Path, default=None, help="a run store (runs.db)")
    args = parser.parse_args(argv)
    tallies = {s: tally(trajectories(s, args.db)) for s in args.sources}
    def rank(key: str) -> tuple[int, str]:
        group = next((i for i, p in enumerate(("spec", "samples", "  RE")) if
                      key.startswith(p)), -1)
        return group, key

    keys = sorted({k for t in tallies.values() for k in t}, key=rank)
    width = max(12, *(len(Path(s).stem) for s in args.sources))
    print(f"{'':44}" + "".join(f"{Path(s).stem[-width:]:>{width + 2}}" for s in args.sources))
    for key in keys:
        print(f"{key[:44]:44}" + "".join(f"{tallies[s][key]:>{width + 2}}"
                                         for s in args.sources))
    return 0


if __name__ == "__main__":
    sys.exit(main())
