"""Differential stress testing: a candidate against a reference on generated inputs, shrunk
to a minimal counterexample by hypothesis.

Each hypothesis example is a *batch* of inputs (a list drawn from the spec's strategy), so
the search pays one sandbox round trip per batch rather than per input. When a batch fails,
hypothesis shrinks the list -- dropping inputs until one remains -- and then that input,
which is exactly the minimal counterexample we want; we do not write a shrinker of our own.

After the budget runs out, the property claims every new input passes: the shrinker then
stops improving at once, and we report the smallest failure seen so far.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from typing import Literal

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisWarning, Unsatisfiable
from pydantic import BaseModel, ConfigDict

from cpagent.problems.model import Limits, Problem
from cpagent.problems.spec import Spec
from cpagent.sandbox.base import Sandbox
from cpagent.sandbox.checkers import run_checker
from cpagent.sandbox.errors import SandboxError
from cpagent.sandbox.judge import RUN_VERDICTS, as_called
from cpagent.sandbox.model import Execution, Program, Verdict

__all__ = ["Disagreement", "ReferenceFailed", "StressReport", "compare", "stress"]

Mode = Literal["auto", "tiny", "random"]
# Random-mode sizes in stress: large enough for bugs that need a bigger input, small enough
# that an efficient reference answers at once and a counterexample shrinks quickly.
RANDOM_SCALE = 300


class Disagreement(BaseModel):
    """One input on which the candidate fails: its verdict and both outputs."""

    model_config = ConfigDict(extra="forbid")

    input: str
    verdict: Verdict
    message: str
    candidate_output: str
    reference_output: str
    candidate_stderr: str = ""


class ReferenceFailed(SandboxError):
    """The reference crashed or timed out: the reference or the spec is wrong, or (when
    `out_of_reach`) the input was larger than a brute force can take."""

    def __init__(self, input_: str, reason: str, out_of_reach: bool = False) -> None:
        super().__init__(f"the reference failed ({reason}) on a generated input: "
                         f"the reference or the input spec is wrong")
        self.input = input_
        self.reason = reason
        self.out_of_reach = out_of_reach


def _out_of_reach(run: Execution) -> bool:
    """A run that ran out of time or memory: the size of its input, not a wrong answer."""
    return run.status in ("tle", "mle") or "MemoryError" in run.stderr[-300:]


class StressReport(BaseModel):
    """How a stress search ended: passed, a counterexample (shrunk), or a reference that
    failed; with how many inputs it tried."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["counterexample", "passed", "reference_failed"]
    tried: int
    batches: int
    seconds: float
    counterexample: Disagreement | None = None
    first_found: str | None = None  # the failing input before shrinking
    reference_failure: str | None = None
    # False when the reference ran out of time on an edge input (a value at its upper
    # bound), so the search went on without them.
    edges: bool = True

    @property
    def found(self) -> bool:
        return self.status == "counterexample"


def compare(
    sandbox: Sandbox,
    candidate: Program,
    reference: Program,
    problem: Problem,
    inputs: Sequence[str],
    limits: Limits | None = None,
) -> list[Disagreement | None]:
    """Run both programs on `inputs` and check the candidate against the reference's output
    with the problem's checker. None where they agree. Raises ReferenceFailed."""
    limits = limits or problem.limits
    candidate, reference = as_called(candidate, problem), as_called(reference, problem)
    ref_runs = _confirmed(sandbox, reference, list(inputs), limits)
    for text, run in zip(inputs, ref_runs, strict=True):
        if run.status != "ok":
            raise ReferenceFailed(text, f"{run.status}: {run.reason}",
                                  out_of_reach=_out_of_reach(run))
    cand_runs = _confirmed(sandbox, candidate, list(inputs), limits)
    ok = [i for i, run in enumerate(cand_runs) if run.status == "ok"]
    cases = [(inputs[i], cand_runs[i].stdout, ref_runs[i].stdout) for i in ok]
    checks = dict(zip(ok, run_checker(sandbox, problem.checker, cases), strict=True))
    found: list[Disagreement | None] = []
    for i, (text, run) in enumerate(zip(inputs, cand_runs, strict=True)):
        check = checks.get(i)
        if check is not None and check.verdict is Verdict.AC:
            found.append(None)
            continue
        verdict = check.verdict if check else RUN_VERDICTS[run.status]
        found.append(Disagreement(
            input=text, verdict=verdict, message=check.message if check else run.reason,
            candidate_output=run.stdout, reference_output=ref_runs[i].stdout,
            candidate_stderr=run.stderr[-2000:],
        ))
    return found


def _confirmed(sandbox: Sandbox, program: Program, inputs: list[str],
               limits: Limits) -> list[Execution]:
    """Runs, with every time-out run once more on its own: on a loaded machine a small input
    can miss its limit once, and a counterexample (or a failed reference) must not rest on
    that. A time-out that repeats stands."""
    runs = sandbox.run(program, inputs, limits)
    slow = [i for i, run in enumerate(runs) if run.status == "tle"]
    if slow:
        again = sandbox.run(program, [inputs[i] for i in slow], limits)
        for i, run in zip(slow, again, strict=True):
            runs[i] = run
    return runs


def _smaller(a: str, b: str) -> bool:
    return (len(a), a) < (len(b), b)


class _Search:
    """The state of one stress run, shared with the hypothesis property."""

    def __init__(self, run_batch: Callable[[list[str]], list[Disagreement | None]],
                 deadline: float, shrink_s: float,
                 progress: Callable[[int, int], None] | None) -> None:
        self.run_batch = run_batch
        self.deadline = deadline
        self.shrink_s = shrink_s
        self.found_at: float | None = None
        self.progress = progress
        self.tried = 0
        self.batches = 0
        self.best: Disagreement | None = None
        self.first: str | None = None
        self.reference_failure: ReferenceFailed | None = None
        self.seen: dict[str, Disagreement | None] = {}
        self.edges = True  # edge inputs are drawn (until the reference times out on one)

    def over(self) -> bool:
        """The budget is for finding; a counterexample found near its end still gets
        `shrink_s` seconds of shrinking."""
        if self.found_at is not None:
            return time.monotonic() > max(self.deadline, self.found_at + self.shrink_s)
        return time.monotonic() > self.deadline

    def check(self, inputs: list[str]) -> None:
        """The property: no input of the batch is a counterexample."""
        fresh = [x for x in dict.fromkeys(inputs) if x not in self.seen]
        if fresh and not self.over() and self.reference_failure is None:
            try:
                results = self.run_batch(fresh)
            except ReferenceFailed as exc:
                self.reference_failure = exc
                results = [None] * len(fresh)
            self.seen.update(zip(fresh, results, strict=True))
            self.tried += len(fresh)
            self.batches += 1
            if self.progress:
                self.progress(self.tried, self.batches)
        failures = [self.seen[x] for x in inputs if self.seen.get(x) is not None]
        if not failures:
            return
        smallest = min(failures, key=lambda d: (len(d.input), d.input))
        if self.first is None:
            self.first = smallest.input
            self.found_at = time.monotonic()
        if self.best is None or _smaller(smallest.input, self.best.input):
            self.best = smallest
        raise AssertionError("counterexample")


def stress(
    sandbox: Sandbox,
    candidate: Program,
    reference: Program,
    problem: Problem,
    spec: Spec,
    *,
    budget_s: float = 60.0,
    batch: int = 40,
    mode: Mode = "auto",
    random_seed: int = 0,
    shrink_s: float = 15.0,
    progress: Callable[[int, int], None] | None = None,
) -> StressReport:
    """Search for an input where `candidate` disagrees with `reference` and shrink it.

    `auto` mixes tiny and random-size inputs when the reference answers random-size ones
    within the limits (an efficient reference), and uses tiny ones only otherwise (a brute
    force). Hypothesis shrinks a random-size counterexample like any other. For an
    interactive problem the spec draws the interactor's secret and the interactor judges
    (see sandbox.interactive_stress)."""
    if problem.interactive:
        from cpagent.sandbox.interactive_stress import stress_interactive

        return stress_interactive(sandbox, candidate, problem, spec, reference=reference,
                                  budget_s=budget_s, batch=batch, mode=mode,
                                  random_seed=random_seed, shrink_s=shrink_s,
                                  progress=progress)
    start = time.monotonic()
    if mode == "auto":
        mode = "mixed" if _handles_random(sandbox, reference, problem, spec) else "tiny"
    search = _Search(
        lambda xs: compare(sandbox, candidate, reference, problem, xs),
        start + budget_s,
        shrink_s,
        progress,
    )
    # One round of edge inputs alone first (n = 1, the bounds, all-equal arrays: what a
    # contestant checks first), then edge inputs mixed with the mode's own.
    drawn, rounds = "edge", 0
    while search.best is None and search.reference_failure is None and not search.over():
        if not _run_hypothesis(search, _batches(spec, drawn, batch), random_seed + rounds):
            if "edge" not in drawn:
                break
            search.edges = False  # no edge input can be drawn (every draw was rejected)
            drawn = mode
            continue
        rounds += 1
        failure = search.reference_failure
        if failure is not None and failure.out_of_reach and drawn != "tiny":
            # Time or memory running out is the reference's domain ending, not its fault: a
            # value at its upper bound that a brute force loops up to (an edge), or a
            # random-size input that a reference the probe found quick is too slow for (a
            # brute force after all). The search goes on without the larger inputs; a
            # crash still stands.
            search.reference_failure = None
            if drawn == "edge" or mode == "tiny":
                search.edges = False
            mode = "tiny"
        drawn = f"edge+{mode}" if search.edges else mode
    seconds = round(time.monotonic() - start, 2)
    common = {"tried": search.tried, "batches": search.batches, "seconds": seconds,
              "edges": search.edges}
    if search.reference_failure is not None:
        return StressReport(status="reference_failed", **common,
                            reference_failure=search.reference_failure.input)
    if search.best is not None:
        return StressReport(status="counterexample", counterexample=search.best,
                            first_found=search.first, **common)
    return StressReport(status="passed", **common)


def _batches(spec: Spec, drawn: str, batch: int):  # noqa: ANN202
    """Lists of inputs, at least a quarter batch each: hypothesis starts from small
    examples, and a round trip to the sandbox costs the same for one input as for ten.
    `drawn` names the modes mixed, "edge+mixed" for edge, tiny and random inputs."""
    modes = [m for part in drawn.split("+")
             for m in (("tiny", "random") if part == "mixed" else (part,))]
    one = st.one_of(*(spec.strategy(m, scale=RANDOM_SCALE) for m in modes))
    return st.lists(one, min_size=max(1, batch // 4), max_size=batch)


def _handles_random(sandbox: Sandbox, reference: Program, problem: Problem,
                    spec: Spec) -> bool:
    """Whether the reference answers a random-size input at once: one probe under a short
    limit, because a brute force would spend the full limit on every input of a batch."""
    probe = spec.generate("random", seed=1, scale=RANDOM_SCALE)
    quick = problem.limits.model_copy(update={"time_s": min(problem.limits.time_s, 0.5)})
    return sandbox.run(as_called(reference, problem), [probe], quick)[0].status == "ok"


def _run_hypothesis(search: _Search, strategy, round_seed: int) -> bool:
    """One round of search; False when the strategy draws nothing (every draw rejected),
    so another round would not either."""
    @seed(round_seed)
    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        derandomize=False,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        print_blob=False,
        verbosity=Verbosity.quiet,
    )
    @given(strategy)
    def property_holds(inputs: list[str]) -> None:
        search.check(inputs)

    try:
        with warnings.catch_warnings():
            # A counterexample of 10^5 digits is reported by us, shrunk; hypothesis's own
            # note that its repr is large says nothing to the user.
            warnings.simplefilter("ignore", HypothesisWarning)
            property_holds()
    except AssertionError:
        pass  # search.best holds the smallest counterexample seen
    except Unsatisfiable:
        return False
    return True
