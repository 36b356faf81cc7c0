"""Structured replies parsed two ways, side by side in one run: the JSON syntax repair cpagent
wrote itself (agent/llm/lenient.py at `--before`, a commit) and today's, which hands the
syntax to the `json-repair` package. Every recorded reply of a structured step in a call
log (the reflection and the input spec) is parsed strictly (what a model's repair round
would be spared) and leniently (what salvage gets), against the step's own schema.

    python benchmarks/json_parse_rate.py [--log benchmarks/results/calls.db] [--before REV]

Goal (the package issue's): the parse rate of recorded replies does not fall.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cpagent.agent.flow.understand import Reflection, SpecReply  # noqa: E402
from cpagent.agent.llm import lenient as today  # noqa: E402
from cpagent.agent.llm.errors import ModelReplyError  # noqa: E402

SCHEMAS = {"reflect": Reflection, "spec": SpecReply, "spec:repair": SpecReply}


def module_at(revision: str) -> types.ModuleType:
    """agent/llm/lenient.py as it was at `revision`, imported on its own."""
    source = subprocess.run(["git", "show", f"{revision}:agent/llm/lenient.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    source = source.replace("from .errors import", "from cpagent.agent.llm.errors import")
    module = types.ModuleType(f"lenient_{revision}")
    exec(compile(source, f"lenient@{revision}", "exec"), module.__dict__)  # noqa: S102
    return module


def outcome(module: types.ModuleType, text: str, schema: type) -> tuple[bool, bool]:
    """(parses strictly, parses leniently)."""
    try:
        module.parse_strict(text, schema)
        return True, True
    except module.ReplyInvalid:
        pass
    try:
        module.lenient_parse(text, schema)
        return False, True
    except ModelReplyError:
        return False, False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, default=ROOT / "benchmarks/results/calls.db")
    parser.add_argument("--before", default="7e5c123",
                        help="the commit whose own repair is compared")
    args = parser.parse_args()
    before = module_at(args.before)
    db = sqlite3.connect(f"file:{args.log}?mode=ro", uri=True)
    marks = ",".join("?" * len(SCHEMAS))
    rows = db.execute("SELECT id, step, reply FROM calls WHERE reply IS NOT NULL AND "
                      f"step IN ({marks}) ORDER BY id", list(SCHEMAS)).fetchall()
    counts = {name: [0, 0] for name in ("before", "today")}
    differ = []
    for call_id, step, reply in rows:
        schema = SCHEMAS[step]
        old, new = outcome(before, reply, schema), outcome(today, reply, schema)
        for name, got in (("before", old), ("today", new)):
            counts[name][0] += got[0]
            counts[name][1] += got[1]
        if old != new:
            differ.append((call_id, step, old, new))
    print(f"{len(rows)} recorded replies of structured steps ({', '.join(SCHEMAS)}) in "
          f"{args.log.name}")
    print(f"{'':28}{'strict':>8}{'lenient':>9}")
    for name, label in (("before", f"cpagent's own repair ({args.before})"),
                        ("today", "json-repair")):
        strict, lenient = counts[name]
        print(f"{label:28}{strict:>8}{lenient:>9}")
    print(f"replies parsed differently: {len(differ)}")
    for call_id, step, old, new in differ:
        print(f"  call {call_id} ({step}): strict/lenient {old} -> {new}")
    ok = all(counts["today"][k] >= counts["before"][k] for k in (0, 1))
    print(f"goal: no fall in either rate: {'PASS' if ok else 'MISS'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
