"""How many bugs does stress testing catch? AST mutants of every library problem's accepted
solution, killed (a) by the samples, (b) by random inputs without shrinking, (c) by cpagent
stress in the same wall time, next to what the problem's secret tests kill.

For each problem: make every mutant of the accepted solution (benchmarks/mutants.py, 20 to
93 per problem), draw them in an order spread over the mutation kinds, judge each on the
samples, and keep those that pass, until `--per-problem` are kept or none are left. (Most
mutants fail the samples -- about 4 in 5 -- so picking 15 first and then filtering would
leave 2 or 3 per problem.) For each kept mutant:

    secret  judge it on the secret tests: does the test data kill it?
    (a)     the samples: 0 of the kept mutants by construction, printed for completeness;
    (b)     `--random` inputs `spec.generate(B_MODE, seed=i)`, compared with the reference
            in batches of 40 (`sandbox.stress.compare`), no shrinking -- the usual random
            testing. It stops at the first failing batch; its full-run time is estimated
            as (seconds per input so far) x `--random`;
    (c)     `sandbox.stress.stress` in C_MODE with a budget of that same time (at least
            `--floor`, at most `--budget` seconds): cpagent's search, with shrinking.

The reference of (b) and (c) is the *accepted solution*, not the brute force: it is right
at every size the spec allows (it passes the secret tests), so one oracle serves both
random-mode inputs (up to ~1000 elements, far beyond a 2^n brute force) and tiny ones, and
(b) and (c) differ only in the inputs they draw and the search, not the oracle. By default
(b) draws random-mode inputs, as hand-written random testing does, and (c) runs
`cpagent stress` in its default `auto` mode (tiny and random-size inputs mixed, since this
reference answers both); `--b-mode` and `--c-mode` change that. A mutant that crashes or
times out on an input is killed by it (verdict RE/TLE), like a wrong answer.

Goals (the issue's): (c) kills at least 95% of the kept mutants the secret tests kill, and
the median shrunk counterexample of (c) is at most a fifth of the median unshrunk one (the
first failing input (c) found).

The spec: a library problem's own (hand-written) one. With `--spec inferred`, the spec
stress infers for a problem without one instead (the samples' layout with the statement's
bounds, as `cpagent stress` draws it); with `--spec both`, (c) on the hand-written spec and
(d) on the inferred one side by side, with the same budget. The problems without an input
spec (problems/specless, `--set specless`) have only the inferred one; their hand-written
wrong and crashing submissions are stressed beside the mutants, and every one of them must
be killed (the statement-edges issue's goal).

    .venv/bin/python benchmarks/stress_killrate.py [--problems a b] [--per-problem 15]
        [--budget 20] [--floor 5] [--random 200] [--seed 0] [--json out.json]
        [--set library|specless|all] [--spec hand|inferred|both]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.mutants import Mutant, all_mutants, ranked  # noqa: E402
from cpagent.problems.formats.kattis import read_submissions  # noqa: E402
from cpagent.problems.load import load_problem  # noqa: E402
from cpagent.problems.model import Problem  # noqa: E402
from cpagent.problems.spec import InputSpec  # noqa: E402
from cpagent.problems.spec.bounds import bounded_spec  # noqa: E402
from cpagent.problems.spec.naming import infer_named  # noqa: E402
from cpagent.sandbox import Program, Sandbox, SandboxError, judge, open_sandbox  # noqa: E402
from cpagent.sandbox.stress import Disagreement, ReferenceFailed, compare, stress  # noqa: E402

LIBRARY = ROOT / "problems" / "library"
SPECLESS = ROOT / "problems" / "specless"
SETS = {"library": (LIBRARY,), "specless": (SPECLESS,), "all": (LIBRARY, SPECLESS)}
BATCH = 40  # (b)'s batch, the same as stress's default
GOAL_KILL_SHARE = 0.95  # of the secret-killed mutants, (c) kills at least this share
GOAL_SHRINK = 5.0  # median unshrunk / median shrunk at least this


@dataclass
class Outcome:
    """What happened to one mutant. Sizes are in characters; None where nothing failed."""

    problem: str
    kind: str
    line: int
    description: str
    samples: str = ""  # the samples' verdict
    secret: str = ""  # the secret tests' verdict; "" when the mutant failed the samples
    secret_test: str = ""  # the first secret test it fails
    b_killed: bool = False
    b_verdict: str = ""
    b_tried: int = 0
    b_seconds: float = 0.0  # spent
    b_full_seconds: float = 0.0  # estimated for all `--random` inputs: (c)'s time
    b_size: int | None = None  # the first failing input, in seed order
    c_budget: float = 0.0
    c_status: str = ""
    c_verdict: str = ""
    c_tried: int = 0
    c_seconds: float = 0.0
    c_first_size: int | None = None  # before shrinking
    c_size: int | None = None  # after shrinking
    c_input: str = ""  # the shrunk counterexample
    d_status: str = ""  # (d): (c) again on the inferred spec (--spec both)
    d_size: int | None = None
    d_input: str = ""
    error: str = ""
    source: str = field(default="", repr=False)

    @property
    def kept(self) -> bool:
        return self.samples == "AC" and not self.error

    @property
    def secret_killed(self) -> bool:
        return self.kept and self.secret != "AC"

    @property
    def c_killed(self) -> bool:
        return self.c_status == "counterexample"

    @property
    def d_killed(self) -> bool:
        return self.d_status == "counterexample"

    @property
    def submission(self) -> bool:
        """A hand-written wrong submission rather than a mutant."""
        return self.kind in ("wrong_answer", "run_time_error")

    @property
    def equivalent(self) -> bool:
        """Survives everything: most likely equivalent to the original."""
        return self.kept and not (self.secret_killed or self.b_killed or self.c_killed)


@dataclass
class Setup:
    problem: Problem
    spec: InputSpec
    reference: Program
    accepted_source: str
    inferred: InputSpec | None  # the spec stress infers without a hand-written one
    root: Path


def inferred_spec(problem: Problem) -> InputSpec | None:
    """The samples' layout named and bounded by the statement, as `cpagent stress` has it."""
    samples = [t.input for t in problem.samples()]
    named = infer_named(samples, problem.statement)
    return None if named is None else bounded_spec(named, problem.statement, samples) or named


def load_setup(name: str, which: str = "hand") -> Setup:
    root = LIBRARY / name if (LIBRARY / name).is_dir() else SPECLESS / name
    problem = load_problem(root)
    inferred = inferred_spec(problem)
    if problem.input_spec is not None and which != "inferred":
        spec = InputSpec.model_validate(problem.input_spec)
    elif inferred is not None:
        spec = inferred
    else:
        raise SystemExit(f"{name}: no input spec, and none inferred")
    accepted = read_submissions(root)["accepted"][0].read_text()
    return Setup(problem, spec, Program(source=accepted), accepted,
                 inferred if problem.input_spec is not None and which == "both" else None, root)


# -- the three kinds of testing ------------------------------------------------------------

def judge_on(box: Sandbox, program: Program, problem: Problem, kind: str) -> tuple[str, str]:
    """The verdict on the tests of one kind, and the name of the first failing test."""
    report = judge(box, program, problem, tests=problem.tests_of(kind))  # type: ignore[arg-type]
    failure = report.first_failure()
    return report.verdict.value, failure.name if failure else ""


def random_testing(box: Sandbox, mutant: Program, setup: Setup, out: Outcome, count: int,
                   mode: str, seed: int) -> None:
    """(b): `count` seeded inputs in batches, no shrinking; stop at the first failing batch."""
    start = time.monotonic()
    for first in range(0, count, BATCH):
        seeds = range(seed + first, seed + min(first + BATCH, count))
        inputs = [setup.spec.generate(mode, seed=s) for s in seeds]  # type: ignore[arg-type]
        found = compare(box, mutant, setup.reference, setup.problem, inputs)
        out.b_tried += len(inputs)
        failing: Disagreement | None = next((d for d in found if d is not None), None)
        if failing is not None:
            out.b_killed = True
            out.b_verdict = failing.verdict.value
            out.b_size = len(failing.input)
            break
    out.b_seconds = round(time.monotonic() - start, 2)
    # The time all `count` inputs would have taken: what "the same time" means for (c)
    # even when (b) stopped early.
    out.b_full_seconds = round(out.b_seconds / out.b_tried * count, 2)


def cpagent_stress(box: Sandbox, mutant: Program, setup: Setup, out: Outcome, budget: float,
                   mode: str, seed: int) -> None:
    """(c): cpagent's stress with the given budget, shrinking included; (d) the same on the
    inferred spec, when there is one to set beside the hand-written one."""
    out.c_budget = round(budget, 2)
    report = stress(box, mutant, setup.reference, setup.problem, setup.spec, budget_s=budget,
                    mode=mode, random_seed=seed)  # type: ignore[arg-type]
    out.c_status, out.c_tried, out.c_seconds = report.status, report.tried, report.seconds
    if report.counterexample is not None:
        out.c_verdict = report.counterexample.verdict.value
        out.c_size = len(report.counterexample.input)
        out.c_input = report.counterexample.input
        out.c_first_size = len(report.first_found or "")
    if setup.inferred is not None:
        report = stress(box, mutant, setup.reference, setup.problem, setup.inferred,
                        budget_s=budget, mode=mode, random_seed=seed)  # type: ignore[arg-type]
        out.d_status = report.status
        if report.counterexample is not None:
            out.d_size = len(report.counterexample.input)
            out.d_input = report.counterexample.input


# -- one problem ---------------------------------------------------------------------------

def run_mutant(box: Sandbox, setup: Setup, mutant: Mutant, args: argparse.Namespace) -> Outcome:
    out = Outcome(setup.problem.id, mutant.kind, mutant.line, mutant.description,
                  source=mutant.source)
    program = Program(source=mutant.source)
    try:
        out.samples, _ = judge_on(box, program, setup.problem, "sample")
        if out.samples != "AC":
            return out  # not kept: the samples kill it
        out.secret, out.secret_test = judge_on(box, program, setup.problem, "secret")
        random_testing(box, program, setup, out, args.random, args.b_mode, args.seed)
        budget = min(max(out.b_full_seconds, args.floor), args.budget)
        cpagent_stress(box, program, setup, out, budget, args.c_mode, args.seed)
    except ReferenceFailed as exc:  # the accepted solution failed: a library bug
        out.error = f"reference failed: {exc.reason} on {exc.input[:80]!r}"
    except SandboxError as exc:
        out.error = f"sandbox: {exc}"
    return out


def progress_line(i: int, total: int, out: Outcome) -> str:
    head = f"  [{i}/{total}] {out.kind:<15} line {out.line:<3} samples {out.samples:<3}"
    if out.error:
        return f"{head} ERROR {out.error}"
    if not out.kept:
        return head
    b = f"b {out.b_verdict or '-':<3} {out.b_tried:>3} in {out.b_seconds:>5.1f}s"
    c = (f"c {out.c_verdict or '-':<3} {out.c_tried:>4} in {out.c_seconds:>5.1f}s"
         f"/{out.c_budget:.0f}s {out.c_first_size}->{out.c_size}")
    if out.d_status:
        c += f"  d {'killed' if out.d_killed else out.d_status}"
    return f"{head} secret {out.secret:<3} {b}  {c}  | {out.description}"


def run_problem(box: Sandbox, name: str, args: argparse.Namespace) -> tuple[int, list[Outcome]]:
    """Judge mutants in the spread order until `--per-problem` pass the samples; then, for
    a problem without an input spec, its hand-written wrong and crashing submissions."""
    setup = load_setup(name, args.spec)
    made = ranked(all_mutants(setup.accepted_source), args.seed)
    print(f"{name}: {len(made)} mutants", flush=True)
    outcomes: list[Outcome] = []
    for i, mutant in enumerate(made, 1):
        out = run_mutant(box, setup, mutant, args)
        print(progress_line(i, len(made), out), flush=True)
        outcomes.append(out)
        if sum(o.kept for o in outcomes) >= args.per_problem:
            break
    if setup.problem.input_spec is None:
        subs = read_submissions(setup.root)
        for kind in ("wrong_answer", "run_time_error"):
            for path in subs.get(kind, []):
                out = run_mutant(box, setup, Mutant(path.read_text(), kind, 0, path.name), args)
                print(progress_line(0, 0, out), flush=True)
                outcomes.append(out)
    return len(made), outcomes


# -- the report ----------------------------------------------------------------------------

def share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.0%}" if whole else f"{part}/0 = -"


def median(values: Iterable[int | None]) -> float | None:
    got = [v for v in values if v is not None]
    return statistics.median(got) if got else None


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


COLUMNS = ("problem", "made", "judged", "pass samples", "secret kills", "(b) kills",
           "(c) kills", "(c) of secret", "(d) of secret", "(c) not secret", "survive all",
           "errors")


def row(name: str, made: int, outs: Sequence[Outcome]) -> list[str]:
    kept = [o for o in outs if o.kept]
    secret = [o for o in kept if o.secret_killed]
    with_d = [o for o in secret if o.d_status]
    return [name, str(made), str(len(outs)), str(len(kept)), str(len(secret)),
            str(sum(o.b_killed for o in kept)), str(sum(o.c_killed for o in kept)),
            f"{sum(o.c_killed for o in secret)}/{len(secret)}",
            f"{sum(o.d_killed for o in with_d)}/{len(with_d)}" if with_d else "-",
            str(sum(o.c_killed and not o.secret_killed for o in kept)),
            str(sum(o.equivalent for o in kept)), str(sum(bool(o.error) for o in outs))]


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                       for i, (c, w) in enumerate(zip(r, widths, strict=True))) for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def report(made: dict[str, int], outs: list[Outcome], args: argparse.Namespace) -> bool:
    """Print the tables, rates, sizes and goals; True if both goals are met."""
    rows = [list(COLUMNS)]
    for name, count in made.items():
        rows.append(row(name, count, [o for o in outs if o.problem == name]))
    rows.append(row("total", sum(made.values()), outs))
    print()
    print(f"reference: the accepted solution; (b) {args.random} {args.b_mode} inputs, no "
          f"shrinking; (c) stress in {args.c_mode} mode, budget = (b)'s full time clamped "
          f"to [{args.floor:g}, {args.budget:g}] s")
    print(table(rows))

    kept = [o for o in outs if o.kept]
    secret = [o for o in kept if o.secret_killed]
    print()
    print("kill rates among the mutants that pass the samples:")
    print(f"  (a) samples only          {share(0, len(kept))}")
    b_label = f"(b) {args.random} {args.b_mode} inputs"
    print(f"  {b_label:<25} {share(sum(o.b_killed for o in kept), len(kept))}")
    print(f"  (c) cpagent stress        {share(sum(o.c_killed for o in kept), len(kept))}")
    print(f"  secret tests              {share(len(secret), len(kept))}")
    print(f"  (b) of the secret-killed  {share(sum(o.b_killed for o in secret), len(secret))}")
    c_of_secret = sum(o.c_killed for o in secret)
    print(f"  (c) of the secret-killed  {share(c_of_secret, len(secret))}")

    killed = [o for o in kept if o.c_killed]
    before, after = median(o.c_first_size for o in killed), median(o.c_size for o in killed)
    b_size = median(o.b_size for o in kept if o.b_killed)
    ratios = [o.c_first_size / o.c_size for o in killed if o.c_first_size and o.c_size]
    print()
    print("median counterexample size, characters:")
    print(f"  (b) first failing input            {fmt(b_size)}")
    print(f"  (c) first found, before shrinking  {fmt(before)}")
    print(f"  (c) after shrinking                {fmt(after)}")
    if ratios:
        print(f"  median per-mutant shrink ratio     {statistics.median(ratios):.2f}x")
    both = [o for o in kept if o.b_killed and o.c_killed]
    if both:
        print(f"  killed by both (b) and (c) ({len(both)}): (b) first failing "
              f"{fmt(median(o.b_size for o in both))} vs (c) shrunk "
              f"{fmt(median(o.c_size for o in both))}")

    with_d = [o for o in secret if o.d_status]
    if with_d:
        print(f"  (d) inferred spec, of the secret-killed (beside (c) on the hand-written one)  "
              f"{share(sum(o.d_killed for o in with_d), len(with_d))} vs "
              f"{share(sum(o.c_killed for o in with_d), len(with_d))}")
    submissions = [o for o in outs if o.submission and not o.error]
    if submissions:
        print(f"  hand-written wrong submissions killed by (c)  "
              f"{share(sum(o.c_killed for o in submissions), len(submissions))}")

    goal_kill = bool(secret) and c_of_secret >= GOAL_KILL_SHARE * len(secret) and all(
        o.c_killed for o in submissions)
    # "Before shrinking" is the counterexample as testing without shrinking finds it: (b)'s
    # first failing input, on the mutants both kill. (c)'s own first find is printed above
    # but is no baseline: hypothesis draws small inputs first, so it is small already.
    before = median(o.b_size for o in both) if both else None
    after = median(o.c_size for o in both) if both else None
    goal_shrink = before is not None and after is not None and after * GOAL_SHRINK <= before
    print()
    print(f"goal: (c) kills >= {GOAL_KILL_SHARE:.0%} of the secret-killed mutants: "
          f"{share(c_of_secret, len(secret))}  {'PASS' if goal_kill else 'MISS'}")
    print(f"goal: median shrunk <= median unshrunk / {GOAL_SHRINK:g} (killed by both; "
          f"unshrunk = (b)'s first failing input): {fmt(after)} vs {fmt(before)}  "
          f"{'PASS' if goal_shrink else 'MISS'}")

    listing("secret tests kill, (c) misses", [o for o in secret if not o.c_killed],
            lambda o: f"secret {o.secret} on {o.secret_test}; (b) {o.b_verdict or 'missed'}")
    listing("(c) kills, secret tests miss (the tests are weaker)",
            [o for o in kept if o.c_killed and not o.secret_killed],
            lambda o: f"(c) {o.c_verdict} on {o.c_input.strip()!r}")
    listing("(b) kills, (c) misses", [o for o in kept if o.b_killed and not o.c_killed],
            lambda o: f"(b) {o.b_verdict} on an input of {o.b_size} chars")
    listing("survive everything (likely equivalent)", [o for o in kept if o.equivalent],
            lambda o: "")
    listing("hand-written wrong submissions (c) misses",
            [o for o in submissions if not o.c_killed], lambda o: f"secret {o.secret}")
    listing("(d) kills on the inferred spec, (c) misses on the hand-written one",
            [o for o in kept if o.d_killed and not o.c_killed],
            lambda o: f"(d) on {o.d_input.strip()[:60]!r}")
    listing("(c) kills on the hand-written spec, (d) misses on the inferred one",
            [o for o in kept if o.c_killed and o.d_status and not o.d_killed],
            lambda o: f"(c) on {o.c_input.strip()[:60]!r}")
    listing("errors", [o for o in outs if o.error], lambda o: o.error)
    return goal_kill and goal_shrink


def listing(title: str, outs: list[Outcome], detail) -> None:
    print()
    print(f"{title}: {len(outs)}")
    for o in outs:
        extra = detail(o)
        print(f"  {o.problem} line {o.line} {o.kind}: {o.description}"
              + (f" -- {extra}" if extra else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    names = sorted(p.name for root in SETS["all"] for p in root.iterdir()
                   if (p / "problem.yaml").is_file())
    parser.add_argument("--set", choices=sorted(SETS), default="library",
                        help="which problems when --problems is not given")
    parser.add_argument("--problems", nargs="+", choices=names, metavar="NAME",
                        help="problems by name (default: all of --set)")
    parser.add_argument("--spec", choices=("hand", "inferred", "both"), default="hand",
                        help="the hand-written spec, the inferred one, or both side by side")
    parser.add_argument("--per-problem", type=int, default=15,
                        help="mutants that pass the samples wanted per problem")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="cap on (c)'s budget per mutant, seconds")
    parser.add_argument("--floor", type=float, default=5.0,
                        help="least (c) budget per mutant, seconds")
    parser.add_argument("--random", type=int, default=200, help="inputs for (b)")
    parser.add_argument("--b-mode", choices=("random", "tiny"), default="random")
    parser.add_argument("--c-mode", choices=("auto", "tiny", "random"), default="auto")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="write every mutant's outcome here")
    parser.add_argument("--from-json", type=Path, help="print the report of a saved run")
    args = parser.parse_args(argv)
    if args.problems is None:
        args.problems = sorted(p.name for root in SETS[args.set] for p in root.iterdir()
                               if (p / "problem.yaml").is_file())
    if args.from_json:
        return reprint(args.from_json, args)

    start = time.monotonic()
    made: dict[str, int] = {}
    outs: list[Outcome] = []
    box = open_sandbox("docker", size=2)
    try:
        for name in args.problems:
            made[name], found = run_problem(box, name, args)
            outs += found
    finally:
        box.close()
    ok = report(made, outs, args)
    print(f"\n{time.monotonic() - start:.0f}s in all")
    if args.json:
        records = [{**asdict(o), "kept": o.kept, "secret_killed": o.secret_killed,
                    "c_killed": o.c_killed, "d_killed": o.d_killed} for o in outs]
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()},
                                         "made": made, "mutants": records}, indent=1))
    return 0 if ok else 1


def reprint(path: Path, args: argparse.Namespace) -> int:
    saved = json.loads(path.read_text())
    for key, value in saved["args"].items():
        if key in ("random", "b_mode", "c_mode", "floor", "budget"):
            setattr(args, key, type(getattr(args, key))(value))
    names = {f.name for f in fields(Outcome)}
    outs = [Outcome(**{k: v for k, v in r.items() if k in names}) for r in saved["mutants"]]
    # Older saves lack "made": count the mutants again (cheap, and not the judged count).
    made = dict(saved.get("made") or {
        name: len(all_mutants(load_setup(name).accepted_source))
        for name in dict.fromkeys(o.problem for o in outs)})
    return 0 if report(made, outs, args) else 1


if __name__ == "__main__":
    raise SystemExit(main())
