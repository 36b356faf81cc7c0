"""Judge every CodeContests record's accepted Python solution on all of its tests.

Each record is judged twice in the Docker sandbox: with the default token checker and with a
float checker (abs_tol = rel_tol = 1e-6). An accepted solution that is not accepted here is a
finding about the judge -- the reader, the limits, the checker or the sandbox -- unless the
problem needs what a token comparison cannot give: a checker that accepts any valid answer, or
an interactor. Each record not accepted by the float checker is classified:

- "interactive": the statement mentions interaction or flushing;
- "needs special checker": a wrong answer where the statement allows several answers;
- "finding": anything else (a time-out, a crash, a wrong answer with a unique answer) --
  inspect it by hand.

    .venv/bin/python benchmarks/conformance_codecontests.py [DEV.jsonl] [--lang pypy]
        [--ids ID ...] [--workers 2] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cpagent.problems.formats.codecontests import iter_codecontests, reference_solution  # noqa: E402
from cpagent.problems.model import FloatChecker, Problem, TokenChecker  # noqa: E402
from cpagent.sandbox import Program, SandboxError, judge, open_sandbox  # noqa: E402
from cpagent.sandbox.model import Verdict  # noqa: E402

DEFAULT_PATH = ROOT.parent / "shared" / "data" / "codecontests" / "dev.jsonl"
CHECKERS = {
    "token": TokenChecker(),
    "float": FloatChecker(abs_tol=1e-6, rel_tol=1e-6),
}
VERDICT_ORDER = [v.value for v in Verdict] + ["error"]

INTERACTIVE = re.compile(r"\binteract(?:ion|ive|or)\b|\bflush", re.I)
MANY_ANSWERS = re.compile(
    r"(?:multiple|several|many|more than one)\s+(?:possible\s+|valid\s+|correct\s+|optimal\s+)?"
    r"(?:answers?|solutions?|ways|outputs?|possibilities|variants|orders?)"
    r"|(?:print|output|find|choose|show)\s+(?:any|an arbitrary)\b"
    r"|any\s+(?:of\s+them|one\s+of\s+them|valid|correct|such|possible|suitable|optimal)\b"
    r"|(?:it is|it's)\s+allowed\s+to\s+(?:print|output)"
    r"|\bin\s+(?:any|arbitrary)\s+order\b|considered\s+correct\s+if",
    re.I,
)


def classify(problem: Problem, verdict: str) -> str:
    """Why a reference solution is not accepted: what it needs, or a finding to inspect."""
    if INTERACTIVE.search(problem.statement):
        return "interactive"
    if verdict in ("WA", "PE") and MANY_ANSWERS.search(problem.statement):
        return "needs special checker"
    return "finding"


def many_answers_hint(statement: str) -> str:
    match = MANY_ANSWERS.search(statement)
    if not match:
        return ""
    start, end = max(0, match.start() - 40), min(len(statement), match.end() + 40)
    return " ".join(statement[start:end].split())


def judge_record(box, problem: Problem, source: str, lang: str) -> dict:
    """Judge one record with each checker; a judge that raises is reported, not fatal."""
    # Interactivity is classified from the statement below; judge() refuses interactive
    # problems, and the reader may have flagged some.
    base = problem.model_copy(update={"interactive": False})
    program = Program(source=source, lang=lang)
    row: dict = {
        "id": problem.id,
        "name": problem.title,
        "tests": len(problem.tests),
        "samples": len(problem.samples()),
        "limits": problem.limits.model_dump(),
        "reader_checker": problem.checker.kind,
        "reader_interactive": problem.interactive,
    }
    for name, checker in CHECKERS.items():
        start = time.perf_counter()
        try:
            report = judge(box, program, base.model_copy(update={"checker": checker}))
        except SandboxError as exc:
            row[name] = {"verdict": "error", "message": str(exc)[:300]}
            continue
        first = report.first_failure()
        row[name] = {
            "verdict": report.verdict.value,
            "passed": report.passed,
            "total": report.total,
            "max_cpu_s": report.max_cpu_s,
            "max_memory_kb": report.max_memory_kb,
            "seconds": round(time.perf_counter() - start, 2),
            "first_failure": None if first is None else {
                "test": first.name,
                "kind": first.kind,
                "verdict": first.verdict.value,
                "message": first.message[:300],
                "stderr_tail": first.stderr.strip()[-300:],
                "output_head": first.output[:200],
            },
        }
    verdict = row["float"]["verdict"]
    if verdict != "AC":
        row["classification"] = classify(problem, verdict)
        row["hint"] = many_answers_hint(problem.statement)
    return row


def load(path: Path, ids: list[str] | None) -> list[tuple[Problem, str]]:
    records = []
    for problem in iter_codecontests(path):
        if ids and problem.id not in ids:
            continue
        source = reference_solution(path, problem.id)
        if source:
            records.append((problem, source))
    return records


def counts(rows: list[dict], checker: str) -> Counter:
    return Counter(row[checker]["verdict"] for row in rows)


def show_counts(rows: list[dict]) -> None:
    for checker in CHECKERS:
        found = counts(rows, checker)
        parts = [f"{v} {found[v]}" for v in VERDICT_ORDER if found[v]]
        print(f"{checker:>6} checker: {', '.join(parts)}   (of {len(rows)})")


def show_failures(rows: list[dict]) -> None:
    failing = [row for row in rows if row["float"]["verdict"] != "AC"]
    print(f"\nnot accepted by the float checker: {len(failing)}")
    for row in failing:
        result = row["float"]
        first = result.get("first_failure") or {}
        where = f"{first.get('test', '?')}" if first else ""
        message = first.get("message") or result.get("message", "")
        print(f"- {row['id']}  ({row['name']})")
        print(f"    {result['verdict']} [{row['classification']}] {where}: {message[:160]}")
        if row.get("hint") and row["classification"] == "needs special checker":
            print(f"    statement: ...{row['hint'][:150]}...")
        if result["verdict"] != "AC" and row["token"]["verdict"] != result["verdict"]:
            print(f"    token checker: {row['token']['verdict']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH,
                        help="CodeContests JSONL (default: ../shared/data/codecontests/dev.jsonl)")
    parser.add_argument("--lang", choices=("python", "pypy"), default="python")
    parser.add_argument("--ids", nargs="+", help="judge only these record ids")
    parser.add_argument("--workers", type=int, default=2, help="records judged at once")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results here")
    args = parser.parse_args(argv)

    records = load(args.path, args.ids)
    if not records:
        among = " among --ids" if args.ids else ""
        raise SystemExit(f"{args.path}: no records with a solution{among}")
    print(f"{len(records)} records from {args.path}, lang {args.lang}, checkers: "
          f"token, float (abs/rel 1e-6); limits from the statement (default 2 s, 256 MB); "
          f"{args.workers} workers over one Docker sandbox of size {args.workers}", flush=True)
    tty = sys.stderr.isatty()
    rows: list[dict] = []
    lock = threading.Lock()
    start = time.perf_counter()
    with open_sandbox("docker", size=args.workers) as box, \
            ThreadPoolExecutor(args.workers) as pool:
        futures = [pool.submit(judge_record, box, p, s, args.lang) for p, s in records]
        for future in as_completed(futures):
            row = future.result()
            with lock:
                rows.append(row)
                done = len(rows)
            elapsed = time.perf_counter() - start
            line = (f"[{done}/{len(records)}] {elapsed:6.1f}s  {row['id'][:44]:<44} "
                    f"token {row['token']['verdict']:<5} float {row['float']['verdict']:<5}")
            if tty:
                print(f"\r{line}\x1b[K", end="", file=sys.stderr, flush=True)
            elif done % 10 == 0 or done == len(records):
                print(line, file=sys.stderr, flush=True)
    if tty:
        print(file=sys.stderr)
    elapsed = time.perf_counter() - start
    order = {p.id: i for i, (p, _) in enumerate(records)}
    rows.sort(key=lambda row: order[row["id"]])

    print(f"judged in {elapsed:.1f} s\n")
    show_counts(rows)
    show_failures(rows)
    classes = Counter(row["classification"] for row in rows if "classification" in row)
    if classes:
        print("\nclassification: " + ", ".join(f"{k} {v}" for k, v in sorted(classes.items())))
    if args.json:
        args.json.write_text(json.dumps({
            "path": str(args.path),
            "lang": args.lang,
            "seconds": round(elapsed, 1),
            "counts": {name: dict(counts(rows, name)) for name in CHECKERS},
            "classification": dict(classes),
            "records": rows,
        }, indent=1))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
