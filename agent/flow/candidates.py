"""Writing programs and checking them: the brute force, then each candidate solution through
samples, stress against the brute force, and timing on maximum inputs, with a debug round
after each concrete failure. Earlier failures stay as anchors: a fix must pass them all."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from cpagent.agent.flow.context import Context
from cpagent.agent.flow.patches import Patch, patch_for
from cpagent.agent.flow.prompts import call_prompts
from cpagent.agent.render import trim
from cpagent.problems.model import TestCase
from cpagent.problems.spec import InputSpec, SpecError
from cpagent.problems.spec.cases import split_cases
from cpagent.sandbox import judge
from cpagent.sandbox.errors import SandboxError
from cpagent.sandbox.judge import JudgeReport, TestResult
from cpagent.sandbox.model import Program, Verdict
from cpagent.sandbox.stress import ReferenceFailed, compare, stress
from cpagent.sandbox.timing import TimingReport, time_on_max


@dataclass(frozen=True)
class Lineage:
    """What a version inherits from the one it was made from. A rewrite for speed keeps
    `slower`, the version it came from, which passed every check but time and so can judge
    it where there is no brute force; a broken rewrite gets one repair beyond the rounds."""

    slower: Program | None = None
    slower_stressed: bool = False
    repaired: bool = False


class Score(NamedTuple):
    """What selection ranks by, most important first."""

    passes_samples: bool
    right: float  # 1 when it passes the samples, else the share of samples or cases right
    stressed: bool
    unrefuted: bool
    fits_time: bool  # or not timed
    speed: float  # among programs too slow for the limit, minus the predicted seconds


@dataclass(frozen=True)
class Passed:
    """The check found nothing wrong (or had nothing to check with)."""


@dataclass(frozen=True)
class Failed:
    """The check found a failure; `text` shows it as the debug prompt does."""

    text: str


@dataclass(frozen=True)
class Slow:
    """Right as far as checked, too slow for the limit: what the speed prompt needs."""

    slowness: str
    size_hint: str


Outcome = Passed | Failed | Slow
PASSED = Passed()


@dataclass
class Candidate:
    index: int
    code: str
    lang: str = "python"
    passes_samples: bool = False
    stressed: bool = False  # survived stress against the brute force
    refuted: bool = False  # a reference disagreed with it on some input
    fits_time: bool | None = None
    # Seconds on the largest inputs in its own interpreter (inf: it crashed there), once timed.
    predicted_s: float | None = None
    anchors: list[str] = field(default_factory=list)  # inputs it once failed on
    version: int = 0  # 0 as written, then one more per fix
    lineage: Lineage = field(default_factory=Lineage)
    # The share of samples, or of a multi-case sample's cases, it gets right: among programs
    # that fail a sample, the one closest to passing them.
    cases_right: float = 0.0
    # Its report on the samples, so that the final judge does not run them again.
    sample_report: JudgeReport | None = None

    @property
    def program(self) -> Program:
        return Program(source=self.code, lang=self.lang)  # type: ignore[arg-type]

    def score(self) -> Score:
        """Among programs too slow for the limit, the faster one ranks higher: it loses
        fewer of a judge's large tests. Among those that fit, speed is no merit."""
        too_slow = self.fits_time is False and self.predicted_s is not None
        return Score(self.passes_samples, 1.0 if self.passes_samples else self.cases_right,
                     self.stressed, not self.refuted, self.fits_time is not False,
                     -self.predicted_s if too_slow and self.predicted_s is not None else 0.0)


# Limits hit are told without the measured seconds or megabytes: those differ from run to
# run, and a prompt that carries them is a new model call on every rerun instead of a replay.
_LIMIT_HIT = {Verdict.TLE: "time limit exceeded", Verdict.MLE: "memory limit exceeded",
              Verdict.OLE: "output limit exceeded"}


def _failure_text(kind: str, input_: str, expected: str, got: str, stderr: str,
                  verdict: Verdict, message: str) -> str:
    message = _LIMIT_HIT.get(verdict, message)
    parts = [f"It fails on this {kind}:", "Input:", "```", trim(input_, 30, 200), "```",
             "Expected output:", "```", trim(expected, 20, 200), "```",
             "Your output:", "```", trim(got, 20, 200), "```"]
    if stderr.strip():
        parts += ["Error output:", "```", trim(stderr, 15, 200), "```"]
    if message:
        parts.append(f"Judge: {message}")
    return "\n".join(parts)


def write_brute(ctx: Context) -> None:
    """A brute force that passes the samples, or none (then there is nothing to stress
    against). A second, sampled brute force when the first fails a sample: a small model's
    repair of its own program rarely beats a fresh try (see `refine`)."""
    prompt = "brute_call" if ctx.problem.call else "brute"
    with ctx.step("brute") as step:
        for attempt in range(2):
            code = ctx.ask_code(step, prompt, temperature=None if attempt == 0 else
                                ctx.options.sample_temperature)
            if code is None:
                break
            step.data["code"] = code  # the last one judged: exports take it as a reference
            report = judge(ctx.sandbox, Program(source=code), ctx.problem,
                           tests=ctx.problem.samples())
            step.data[f"attempt_{attempt}"] = report.verdict.value
            if report.accepted:
                ctx.brute = Program(source=code)
                break
        step.data["passes_samples"] = ctx.brute is not None
        step.summary = "brute force passes the samples" if ctx.brute else "no brute force"


def write_candidate(ctx: Context, index: int) -> Candidate | None:
    """In the full flow candidate 0 is the model's greedy answer to the bare problem; later
    ones are sampled hotter, every other one with the plan from the reflection (a small
    model's plan is as often a wrong turn as a help)."""
    with_plan = index % 2 == 1 and bool(ctx.plan)
    plan = f"\n{ctx.plan}\n" if with_plan else ""
    if ctx.options.flow == "oneshot":
        temperature = None  # the one sample at the run's temperature, as oneshot always was
    else:
        temperature = 0.0 if index == 0 else ctx.options.sample_temperature
    reading = {"reading": ctx.reading()} if ctx.reader else {}  # else the prompt's advice
    prompt = call_prompts(ctx.problem)[0]  # LeetCode style: code to complete, no input
    with ctx.step("solution", index) as step:
        code = ctx.ask_code(step, prompt, plan=plan, temperature=temperature, **reading)
        step.data["with_plan"] = with_plan
        step.data["with_reader"] = bool(ctx.reader)
        if code:
            step.data["code"] = code
        step.summary = "written" if code else "no code in the reply"
    return Candidate(index=index, code=code, lang=ctx.options.lang) if code else None


def refine(ctx: Context, cand: Candidate) -> list[Candidate]:
    """Check, and fix from the first concrete failure beyond the samples, for as many rounds
    as allowed. A program that fails a sample is left as it is unless the options say to
    debug samples: with a small model a repair does no better than a fresh sample at the
    same cost (self-repair pays off for strong models; the reasoning profile turns it on;
    benchmarks/results/README.md has the measurements), while a program that passes the
    samples and fails a shrunk counterexample or the time limit is usually one idea away.
    Every version is returned: a fix is often worse than what it fixed, and the selection
    decides which one is kept.
    A repair the harness can make itself (patches.py) costs no model call and no round."""
    versions = [cand]
    rounds = 0
    while True:
        on_sample = check_samples(ctx, cand)
        if isinstance(on_sample, Failed) and cand.lineage.slower is not None:
            # A broken speed rewrite: the smallest input where it parts from its slower
            # version says more than a sample does.
            stressed = check_stress(ctx, cand)
            on_sample = stressed if isinstance(stressed, Failed) else on_sample
        outcome: Outcome = on_sample
        for check in (check_anchors, check_stress, check_timing):
            if isinstance(outcome, Passed):  # each check only when those before it passed
                outcome = check(ctx, cand)
        if isinstance(outcome, Passed):
            return versions
        patch = patch_for(outcome.text, cand.code) if isinstance(outcome, Failed) else None
        # What the next version inherits: a repair keeps the slower version to agree with.
        lineage = cand.lineage
        if patch is not None:
            fixed = _patched(ctx, cand, patch)
        elif isinstance(outcome, Failed) and lineage.slower is not None and not lineage.repaired:
            # A speed rewrite that broke what its slower version got right is one mistake
            # away from a fast, right program: worth a repair even with no rounds left.
            lineage = replace(lineage, repaired=True)
            fixed = _debug(ctx, cand, "fix_faster", {
                "failure": outcome.text, "anchors": _anchors(cand),
                "slower": lineage.slower.source.rstrip("\n"), "size_hint": _size_hint(ctx)})
        elif rounds >= ctx.options.rounds or (
                isinstance(on_sample, Failed) and not ctx.options.debug_samples):
            return versions
        elif isinstance(outcome, Failed):
            rounds += 1
            fixed = _debug(ctx, cand, "debug", {"failure": outcome.text,
                                                "anchors": _anchors(cand)})
        else:
            rounds += 1
            fixed = _debug(ctx, cand, "faster", {"slowness": outcome.slowness,
                                                 "size_hint": outcome.size_hint})
            lineage = Lineage(slower=cand.program, slower_stressed=cand.stressed)
        if fixed is None or any(_same(fixed, v.code) for v in versions):
            return versions  # no reply, or one it has already written: a new sample is better
        cand = Candidate(index=cand.index, code=fixed, lang=ctx.options.lang, anchors=cand.anchors,
                         version=len(versions), lineage=lineage)
        versions.append(cand)


def _same(a: str, b: str) -> bool:
    return a.split() == b.split()


def _patched(ctx: Context, cand: Candidate, patch: Patch) -> str:
    with ctx.step("patch", cand.index) as step:
        code = patch.apply(cand.code)
        step.summary = f"harness repair: {patch.name}"
        step.data = {"patch": patch.name, "code": code}
    return code


def _debug(ctx: Context, cand: Candidate, prompt: str, values: dict) -> str | None:
    with ctx.step("debug", cand.index) as step:
        step.data["prompt"] = prompt
        code = ctx.ask_code(step, prompt, code=cand.code.rstrip("\n"), **values)
        if code:
            step.data["code"] = code
        step.summary = ("rewritten for speed" if prompt == "faster" else "fixed") if code else (
            step.data.get("skipped") or "no code in the reply")
    return code


def _anchors(cand: Candidate) -> str:
    if not cand.anchors:
        return ""
    shown = "\n".join(f"```\n{trim(a, 10, 120)}\n```" for a in cand.anchors[-3:])
    return f"Your fix must also keep working on these inputs it once failed on:\n{shown}\n"


def check_samples(ctx: Context, cand: Candidate) -> Passed | Failed:
    with ctx.step("samples", cand.index) as step:
        report = judge(ctx.sandbox, cand.program, ctx.problem, tests=ctx.problem.samples())
        cand.passes_samples, cand.sample_report = report.accepted, report
        step.summary = f"{report.passed}/{report.total} samples, {report.verdict.value}"
        step.data = {"verdict": report.verdict.value}
        failure = report.first_failure()
        if failure is None:
            return PASSED
        case = next(t for t in ctx.problem.tests if t.name == failure.name)
        passed, units, narrowed = _cases(ctx, cand, report)
        cand.cases_right = passed / units
        step.data["cases_right"] = f"{passed}/{units}"
        if narrowed is not None:
            case, failure = narrowed
            step.data["case"] = case.name
            step.summary += f" ({passed}/{units} samples and cases)"
        if failure.stderr.strip():
            # The exception's own line: enough to tell a parse error from a missing name.
            step.data["error"] = failure.stderr.strip().splitlines()[-1][:200]
    kind = "test case (one of a sample's cases, alone)" if narrowed else "sample"
    return Failed(_failure_text(kind, case.input, case.answer or "", failure.output,
                                failure.stderr, failure.verdict, failure.message))


def _cases(ctx: Context, cand: Candidate, report: JudgeReport
           ) -> tuple[int, int, tuple[TestCase, TestResult] | None]:
    """How many samples, or cases of a multi-case sample, the candidate gets right, of how
    many; and the first case it gets wrong, run alone, when a failing sample splits."""
    passed, units, narrowed = 0, 0, None
    by_name = {t.name: t for t in ctx.problem.samples()}
    for result in report.tests:
        if result.verdict is Verdict.AC:
            passed, units = passed + 1, units + 1
            continue
        split = (split_cases(ctx.spec, by_name[result.name])
                 if isinstance(ctx.spec, InputSpec) else [])
        if not split:
            units += 1
            continue
        alone = judge(ctx.sandbox, cand.program, ctx.problem, tests=split)
        passed, units = passed + alone.passed, units + len(split)
        wrong = alone.first_failure()
        if narrowed is None and wrong is not None:
            narrowed = (next(t for t in split if t.name == wrong.name), wrong)
    return passed, units, narrowed


def _reference(ctx: Context, cand: Candidate) -> Program | None:
    """What a candidate's outputs are checked against beyond the samples: the brute force,
    else the slower version a speed rewrite came from."""
    return ctx.brute or cand.lineage.slower


def check_anchors(ctx: Context, cand: Candidate) -> Passed | Failed:
    reference = _reference(ctx, cand)
    if not cand.anchors or reference is None:
        return PASSED
    try:
        found = compare(ctx.sandbox, cand.program, reference, ctx.problem, cand.anchors)
    except ReferenceFailed:
        return PASSED
    bad = next((d for d in found if d is not None), None)
    if bad is None:
        return PASSED
    cand.refuted = True
    return Failed(_failure_text("input", bad.input, bad.reference_output,
                                bad.candidate_output, bad.candidate_stderr, bad.verdict,
                                bad.message))


def check_stress(ctx: Context, cand: Candidate) -> Passed | Failed:
    reference = _reference(ctx, cand)
    if reference is None or ctx.spec is None or cand.code == reference.source:
        return PASSED  # nothing to judge it by, or it is its own reference
    by_brute = reference is ctx.brute
    with ctx.step("stress", cand.index) as step:
        try:
            report = stress(ctx.sandbox, cand.program, reference, ctx.problem, ctx.spec,
                            budget_s=ctx.options.stress_budget_s)
        except (SandboxError, SpecError) as exc:  # a spec that draws nothing: no stress
            step.summary = f"stress failed: {exc}"
            return PASSED
        step.data = {"status": report.status, "tried": report.tried,
                     "seconds": report.seconds,
                     "reference": "brute force" if by_brute else "slower version"}
        case = report.counterexample
        if report.status == "reference_failed":
            # A reference that crashes on valid inputs cannot judge.
            if by_brute:
                ctx.brute = None
            else:
                cand.lineage = replace(cand.lineage, slower=None)
            step.summary = f"the {step.data['reference']} crashed: stress disabled"
        elif case is None:
            # Agreeing with a slower version is worth what that version's own checks were.
            cand.stressed = True if by_brute else cand.lineage.slower_stressed
            step.summary = f"no counterexample in {report.tried} inputs"
            if not by_brute:
                step.summary += " against the slower version"
        else:
            step.summary = f"counterexample of {len(case.input)} chars ({case.verdict.value})"
            step.data["counterexample"] = case.model_dump()
            cand.anchors.append(case.input)
            cand.refuted = True
    if case is None or report.status == "reference_failed":
        return PASSED
    return Failed(_failure_text("small input", case.input, case.reference_output,
                                case.candidate_output, case.candidate_stderr, case.verdict,
                                case.message))


def check_timing(ctx: Context, cand: Candidate) -> Outcome:
    """Passed when the candidate fits the time limit (possibly after switching to PyPy), or
    cannot be timed; Failed when it crashed on a large input; otherwise Slow, with what the
    'faster' prompt needs."""
    spec = ctx.timing_spec
    if spec is None:
        return PASSED
    with ctx.step("timing", cand.index) as step:
        try:
            report = time_on_max(ctx.sandbox, cand.program, ctx.problem, spec,
                                 try_pypy=cand.lang == "python")
        except (SandboxError, ValueError) as exc:
            step.summary = f"timing failed: {exc}"
            return PASSED
        step.data = report.model_dump()
        crash = report.crash
        if crash is not None and ctx.spec_source == "samples" and \
                patch_for(crash.error, cand.code) is None:
            # The statement's bounds say how large, not every rule (a tree's parents, a
            # value below a subtree's size), so accepted solutions can crash on such inputs.
            # A right program must not be sent back for that; a crash of a kind no input
            # makes a right program have (int() of 10^5 digits, recursion depth) is
            # repaired all the same.
            step.summary = (f"{crash.status} on a large input drawn from the statement's "
                            "bounds: not held against it, the samples do not show every rule")
            return PASSED
        if crash is not None:
            step.summary = f"{crash.status} on a large input ({crash.size} chars)"
        else:
            step.summary = f"{report.predicted_s:.2f}s predicted on max inputs: {report.outlook}"
            pypy = report.pypy
            if report.outlook == "tle" and pypy is not None and pypy.crash is None and \
                    pypy.outlook != "tle":
                step.summary += "; fits with PyPy"
    if crash is not None:
        cand.fits_time, cand.predicted_s = False, math.inf
        text = spec.generate("max", seed=0, scale=crash.scale, shape=crash.shape)
        return Failed("\n".join(["It fails on a large valid input:", "Input (cut):", "```",
                                 trim(text, 8, 200), "```", "Error output:", "```",
                                 trim(crash.error, 15, 200), "```"]))
    cand.predicted_s = report.predicted_s
    if report.outlook != "tle":
        cand.fits_time = True
        return PASSED
    if report.pypy is not None and report.pypy.crash is None and report.pypy.outlook != "tle":
        cand.lang, cand.fits_time, cand.predicted_s = "pypy", True, report.pypy.predicted_s
        return PASSED
    cand.fits_time = False
    return Slow(_slowness(report), _size_hint(ctx))


def _slowness(report: TimingReport) -> str:
    """How the program is too slow, in words that do not depend on the machine: measured
    seconds and growth exponents differ from run to run (one quadratic program measured
    n^1.5 on one machine and n^2.1 on another), and a prompt that carries them is a new call
    on every rerun instead of a replay."""
    last = report.points[-1]
    if last.status == "tle":
        how = f"it runs out of the {report.limit_s:g} s limit on the largest inputs"
    else:
        how = f"it would need more than the {report.limit_s:g} s limit on the largest inputs"
    if report.exponent and report.exponent >= 1.3:
        how += ", and its time grows faster than the input size: worse than linear"
    return how


def _size_hint(ctx: Context) -> str:
    """What the limits allow, in numbers a small model can act on; a reflection's guess at
    the complexity is as often the slow idea itself."""
    spec = ctx.timing_spec
    tokens = len(spec.generate("max", seed=0, scale=1.0).split()) if spec else 0
    size = f"The largest input holds about {tokens:,} numbers or words. " if tokens else ""
    return (f"{size}Python does about 10^7 simple steps in a second, so the program must "
            "take about O(n) or O(n log n) steps in the input size n: no loop over a range "
            "inside a loop over the queries or elements. Think of prefix sums, difference "
            "arrays, sorting, two pointers, counting with a dictionary, or a formula.")
