"""What the benchmarks over a CodeContests file share: its path and the problem letters to
keep on the command line, the records chosen, and each record's accepted Python solution."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cpagent.problems.formats.codecontests import record_ids


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("jsonl", type=Path)
    parser.add_argument("--index", default="", help="problem letters to keep, e.g. A,B")


def selected_ids(path: Path, index: str) -> list[str]:
    """The records' ids, kept to the letters of `index` (`A,B`) when it names any."""
    keep = {x.strip().lower() for x in index.split(",") if x.strip()}
    return [i for i in record_ids(path) if not keep or i.split("_")[1][:1] in keep]


def references(path: Path) -> dict[str, str]:
    """Each record's accepted Python solution, or "" when it has none."""
    with path.open() as f:
        return {r["id"]: r.get("solution_python3") or "" for r in map(json.loads, f)}
