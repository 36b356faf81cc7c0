"""Two solve_rate.py runs of the same problems side by side: an A/B of one setting.

    python benchmarks/compare_runs.py A.jsonl B.jsonl [--names "rp 1.1" "rp 1.0"]

Prints each problem's verdict and tests passed in both runs, then per run: problems solved,
the mean share of tests passed (finer than solved counts on a small set), the verdicts, and
which problems only one of the runs solved. Only problems present in both runs are counted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path


def load(path: Path) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows[row["id"]] = row
    return rows


def share(row: dict) -> float:
    return row["passed"] / row["tests"] if row["tests"] else 0.0


def compare(a: dict[str, dict], b: dict[str, dict], names: tuple[str, str]) -> list[str]:
    common = sorted(set(a) & set(b))
    width = max([len(pid) for pid in common] + [7])
    lines = [f"{'problem':<{width}}  {names[0]:>14}  {names[1]:>14}"]
    for pid in common:
        cells = [f"{r['verdict']} {r['passed']}/{r['tests']}" for r in (a[pid], b[pid])]
        lines.append(f"{pid:<{width}}  {cells[0]:>14}  {cells[1]:>14}")
    lines.append(f"{len(common)} problems in both runs")
    for name, run in zip(names, (a, b), strict=True):
        rows = [run[pid] for pid in common]
        solved = sum(r["solved"] for r in rows)
        mean = sum(share(r) for r in rows) / len(rows) if rows else 0.0
        verdicts = Counter(r["verdict"] for r in rows)
        tokens = sum(r["tokens"] for r in rows)
        lines.append(f"{name}: solved {solved}/{len(rows)}, mean share of tests passed "
                     f"{mean:.3f}, verdicts {dict(sorted(verdicts.items()))}, tokens {tokens}")
    for name, run, other in ((names[0], a, b), (names[1], b, a)):
        only = [pid for pid in common if run[pid]["solved"] and not other[pid]["solved"]]
        lines.append(f"solved only by {name}: {', '.join(only) or 'none'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--names", nargs=2, default=None, metavar=("A", "B"))
    args = parser.parse_args(argv)
    for path in (args.a, args.b):
        if not path.is_file():
            print(f"error: no such results file: {path}", file=sys.stderr)
            return 2
    try:
        runs = load(args.a), load(args.b)
    except (json.JSONDecodeError, KeyError) as exc:
        print(f"error: not a solve_rate.py results file: {exc}", file=sys.stderr)
        return 2
    names = tuple(args.names) if args.names else (args.a.stem, args.b.stem)
    print("\n".join(compare(*runs, names)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
