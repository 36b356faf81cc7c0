"""Whether the statement's bounds size an inferred spec rightly, for timing: on each
CodeContests record, the spec read off the samples (named from the statement) is given the
statement's bounds (`problems.spec.bounds`), and then

- the record's tests, all of them, must fit it: a test it rejects is a bound read wrong
  (or a layout the samples did not show);
- the record's accepted Python solution is timed on its largest inputs as the flow times a
  candidate (`sandbox.timing.time_on_max`, PyPy tried when CPython is slow): a "tle" or a
  crash there is a false alarm that would send a right program back for a rewrite.

    python benchmarks/statement_bounds.py ../shared/data/codecontests/dev.jsonl [--index A,B]

No model call; the Docker sandbox runs the solutions.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.dev_records import add_arguments, references, selected_ids  # noqa: E402
from cpagent.problems.formats.codecontests import read_codecontests  # noqa: E402
from cpagent.problems.spec import SpecError  # noqa: E402
from cpagent.problems.spec.bounds import with_statement_bounds  # noqa: E402
from cpagent.problems.spec.naming import infer_named  # noqa: E402
from cpagent.sandbox import Program, open_sandbox  # noqa: E402
from cpagent.sandbox.errors import SandboxError  # noqa: E402
from cpagent.sandbox.timing import time_on_max  # noqa: E402


def _rejected(spec, tests) -> tuple[int, str]:
    """How many tests the spec rejects, and why the first one is."""
    bad, why = 0, ""
    for test in tests:
        try:
            spec.validate(test.input)
        except SpecError as exc:
            bad += 1
            why = why or f"{test.name}: {exc}"
    return bad, why


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args()
    refs = references(args.jsonl)
    ids = selected_ids(args.jsonl, args.index)
    tally: Counter[str] = Counter()
    started = time.monotonic()
    with open_sandbox("docker", size=2) as box:
        for rid in ids:
            problem = read_codecontests(args.jsonl, rid)
            samples = [t.input for t in problem.samples()]
            spec = infer_named(samples, problem.statement)
            sized = spec and with_statement_bounds(spec, problem.statement, samples)
            if sized is None:
                tally["unsized"] += 1
                print(f"{rid:50} {'no bound applies' if spec else 'no spec'}", flush=True)
                continue
            tally["sized"] += 1
            bad, why = _rejected(sized, problem.tests)
            tally["tests fit"] += not bad
            fit = f"tests {len(problem.tests) - bad}/{len(problem.tests)} fit"
            if not refs.get(rid):
                print(f"{rid:50} {fit}; no reference", flush=True)
                continue
            try:
                report = time_on_max(box, Program(source=refs[rid]), problem, sized)
            except (SandboxError, ValueError) as exc:
                tally["timing failed"] += 1
                print(f"{rid:50} {fit}; timing failed: {exc}", flush=True)
                continue
            outlook = report.outlook if report.crash is None else "crash"
            pypy = report.pypy
            if pypy is not None and pypy.crash is None and pypy.outlook != "tle":
                outlook = f"{pypy.outlook} (PyPy)"
            tally[f"reference {outlook.split()[0]}"] += 1
            largest = max(len(t.input) for t in problem.tests)
            drawn = len(sized.generate("max", seed=0, scale=1.0))
            print(f"{rid:50} {fit}; reference on the largest drawn input: {outlook}, "
                  f"{report.predicted_s:.2f}s; drawn {drawn} chars, largest test {largest}"
                  + (f"; first rejected {why[:90]}" if bad else ""), flush=True)
    n = len(ids)
    print(f"\n{n} problems: sized by the statement {tally['sized']}/{n}; of those, every test "
          f"fits for {tally['tests fit']}; the accepted solution on the largest drawn inputs: "
          f"fits {tally['reference fits']}, tight {tally['reference tight']}, "
          f"tle {tally['reference tle']}, crash {tally['reference crash']}, timing failed "
          f"{tally['timing failed']} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
