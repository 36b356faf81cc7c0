"""Derive agent/rating/percentiles.json, the rating distribution the package ships, from the
717,421 sorted Codeforces ratings in ../shared/data/codeforces/sorted_ratings.json (read in
place, never copied). The table holds the rating at every permille, 0 (the minimum) to 1000
(the maximum): nearest rank over the n - 1 gaps, so permille k is sorted[round(k (n-1) / 1000)].

    .venv/bin/python benchmarks/derive_percentiles.py [--source PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "codeforces" / "sorted_ratings.json"
OUT = ROOT / "agent" / "rating" / "percentiles.json"
STEPS = 1000
# The figures published with the data (CodeElo): the table must reproduce them.
KNOWN = {500: 1073, 890: 1571, 990: 2157}


def derive(ratings: list[int], steps: int = STEPS) -> dict[str, object]:
    if any(a > b for a, b in zip(ratings, ratings[1:], strict=False)):
        raise SystemExit("error: the ratings are not sorted ascending")
    gaps = len(ratings) - 1
    table = [ratings[round(k * gaps / steps)] for k in range(steps + 1)]
    return {"source": "Codeforces user ratings as published with CodeElo (QwenLM/CodeElo)",
            "count": len(ratings), "steps": steps, "min": ratings[0], "max": ratings[-1],
            "quantiles": table}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    table = derive(json.loads(args.source.read_text()))
    quantiles = table["quantiles"]
    assert isinstance(quantiles, list)
    for permille, rating in KNOWN.items():
        print(f"{permille / 10:5.1f}th percentile: {quantiles[permille]} (published: {rating})")
    # One key a line, the quantiles on one line: small in the wheel, readable in a diff.
    lines = [f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in table.items()]
    args.out.write_text("{\n" + ",\n".join(lines) + "\n}\n")
    print(f"wrote {args.out} ({len(quantiles)} quantiles of {table['count']} ratings)")


if __name__ == "__main__":
    main()
