"""The statement's edge and worst cases on problems without an input spec (problems/specless):
does stress find the bugs that only the statement's bounds show, and does timing call the
slow programs slow?

For each problem the spec is inferred as `cpagent stress` infers it: the samples' layout,
named from the statement, with the statement's bounds where it states them (chains of
inequalities and bounds in words). Then:

- every hand-written wrong or crashing submission (wrong_answer/, run_time_error/) is
  stressed against the accepted solution with a budget of `--budget` seconds, on that spec
  and, beside it, on the samples' spec alone (today's `infer_named`, no statement bounds):
  found or not, the seconds it took, the shrunk counterexample and how many of its values
  are not sizes;
- every time_limit_exceeded submission and the accepted one are timed on the largest
  inputs the statement allows (`sandbox.timing.time_on_max`, worst-case shapes included),
  with what the largest input drew beside the bounds.

    python benchmarks/statement_edges.py [--budget 30] [--problems widest-gap ...]
        [--set specless|library|all]

With `--set library`, the library's problems are taken as if they had no input spec: their
own `input_spec.yaml` is set aside, and the spec is inferred as above.

Goals (the statement-edges issue's): every bug found within the budget on the bounded spec;
timing calls every time_limit_exceeded submission "tle" and no accepted one.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cpagent.problems.formats.kattis import read_submissions  # noqa: E402
from cpagent.problems.load import load_problem  # noqa: E402
from cpagent.problems.model import Problem  # noqa: E402
from cpagent.problems.spec import InputSpec  # noqa: E402
from cpagent.problems.spec.bounds import bounded_spec, with_statement_bounds  # noqa: E402
from cpagent.problems.spec.naming import infer_named  # noqa: E402
from cpagent.sandbox import Program, Sandbox, open_sandbox  # noqa: E402
from cpagent.sandbox.stress import stress  # noqa: E402
from cpagent.sandbox.timing import time_on_max  # noqa: E402

SPECLESS = ROOT / "problems" / "specless"
LIBRARY = ROOT / "problems" / "library"
SETS = {"specless": (SPECLESS,), "library": (LIBRARY,), "all": (SPECLESS, LIBRARY)}


def specs(problem: Problem) -> tuple[InputSpec, InputSpec | None, InputSpec | None]:
    """The samples' spec, the statement's domain (stress) and the sized spec (timing)."""
    samples = [t.input for t in problem.samples()]
    named = infer_named(samples, problem.statement)
    if named is None:
        raise SystemExit(f"{problem.id}: no spec fits the samples")
    return (named, bounded_spec(named, problem.statement, samples),
            with_statement_bounds(named, problem.statement, samples))


def beyond_sizes(spec: InputSpec, text: str) -> int:
    """How many values of `text` are not sizes (n, q, t, a string's length is not one)."""
    sizes = _size_names(spec.input)

    def count(value: Any, key: str = "") -> int:
        if isinstance(value, dict):
            return sum(count(v, k) for k, v in value.items() if k != "tag")
        if isinstance(value, list):
            return sum(count(v) for v in value)
        return 0 if key in sizes else 1

    return count(spec.parse(text))


def _size_names(elements: list[Any]) -> set[str]:
    names: set[str] = set()
    for e in elements:
        for key in ("length", "count", "rows", "cols", "n", "m"):
            value = getattr(e, key, None)
            if hasattr(value, "names"):
                names |= set(value.names)
            elif hasattr(value, "name") and key == "count":
                names.add(value.name)
        for key in ("items", "body"):
            names |= _size_names(getattr(e, key, []) or [])
    return names


def stress_row(box: Sandbox, problem: Problem, spec: InputSpec, wrong: Path, accepted: str,
               budget: float) -> tuple[str, int | None]:
    """A line on what stress found, and how many values beyond the sizes its shrunk
    counterexample holds (None when it found none)."""
    report = stress(box, Program(source=wrong.read_text()), Program(source=accepted), problem,
                    spec, budget_s=budget)
    if report.counterexample is None:
        return f"{report.status} ({report.tried} inputs, {report.seconds:.1f}s)", None
    case = report.counterexample
    shown = " / ".join(line for line in case.input.strip().split("\n"))
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    values = beyond_sizes(spec, case.input)
    return (f"found in {report.seconds:.1f}s ({case.verdict.value}), shrunk to `{shown}` "
            f"({values} values beyond the sizes)"), values


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    folders = {p.name: p for root in SETS["all"] for p in root.iterdir()
               if (p / "problem.yaml").is_file()}
    parser.add_argument("--set", choices=sorted(SETS), default="specless")
    parser.add_argument("--problems", nargs="+", choices=sorted(folders), metavar="NAME")
    parser.add_argument("--budget", type=float, default=30.0)
    args = parser.parse_args()
    names = args.problems or sorted(name for name, p in folders.items()
                                    if p.parent in SETS[args.set])
    started = time.monotonic()
    found = wrong_total = slow_flagged = slow_total = accepted_flagged = 0
    beyond: list[int] = []
    by_timing = 0
    with open_sandbox("docker", size=2) as box:
        for name in names:
            root = folders[name]
            problem = load_problem(root)
            named, domain, sized = specs(problem)
            subs = read_submissions(root)
            accepted = subs["accepted"][0].read_text()
            print(f"\n{name}: spec {'bounded by the statement' if domain else 'from the samples'}"
                  f"; timing {'on the statement bounds' if sized else 'impossible (no bounds)'}")
            for kind in ("wrong_answer", "run_time_error"):
                for path in subs.get(kind, []):
                    row, values = stress_row(box, problem, domain or named, path, accepted,
                                             args.budget)
                    before, _ = stress_row(box, problem, named, path, accepted, args.budget)
                    wrong_total += 1
                    if values is not None:
                        beyond.append(values)
                    elif kind == "run_time_error" and sized is not None:
                        # A crash that needs the largest input (recursion along a path) is
                        # timing's to find: on its worst-case shapes.
                        timing = time_on_max(box, Program(source=path.read_text()), problem,
                                             sized, try_pypy=False)
                        crash = timing.crash
                        if crash is not None:
                            row += (f"; timing: {crash.status} on the {crash.shape} input of "
                                    f"{crash.size} chars")
                            by_timing += 1
                    found += values is not None
                    print(f"  {kind}/{path.name}")
                    print(f"    statement's domain: {row}")
                    print(f"    samples' spec only: {before}")
            if sized is None:
                continue
            for kind in ("time_limit_exceeded", "accepted"):
                for path in subs.get(kind, []):
                    report = time_on_max(box, Program(source=path.read_text()), problem, sized)
                    worst = report.worst
                    pypy = "" if report.pypy is None else f"; pypy {report.pypy.outlook}"
                    print(f"  {kind}/{path.name}: timing says {report.outlook} "
                          f"({report.predicted_s:.2f}s predicted, worst shape "
                          f"{worst.shape if worst else '-'}{pypy})")
                    if kind == "accepted":
                        accepted_flagged += report.outlook == "tle"
                        print("    the largest input drew: " +
                              "; ".join(v.describe() for v in report.drawn))
                    else:
                        slow_total += 1
                        slow_flagged += report.outlook == "tle" and (
                            report.pypy is None or report.pypy.outlook == "tle")
    print(f"\nwrong and crashing submissions found within {args.budget:g}s on the statement's "
          f"domain: {found}/{wrong_total} by stress, {by_timing} more by timing")
    if beyond:
        print(f"median shrunk counterexample: {statistics.median(beyond):g} values beyond the "
              f"sizes (goal: at most 3)")
    print(f"time_limit_exceeded submissions timing calls tle (PyPy included): "
          f"{slow_flagged}/{slow_total}; accepted ones called tle: {accepted_flagged}")
    print(f"({time.monotonic() - started:.0f} s)")
    return 0 if found + by_timing == wrong_total and slow_flagged == slow_total and \
        not accepted_flagged else 1


if __name__ == "__main__":
    raise SystemExit(main())
