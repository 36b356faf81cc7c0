"""The two flows: `oneshot` (one sample, samples only) and `full` (reflect, spec, brute
force, candidates refined against samples, stress and timing, selection by agreement)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from cpagent.agent.flow.candidates import (
    Candidate,
    check_samples,
    check_timing,
    refine,
    write_brute,
    write_candidate,
)
from cpagent.agent.flow.context import Context
from cpagent.agent.flow.options import FlowOptions
from cpagent.agent.flow.trajectory import Step, Trajectory
from cpagent.agent.flow.understand import find_spec, reflect, write_reader
from cpagent.agent.llm import ModelClient
from cpagent.problems.model import Problem
from cpagent.problems.spec import SpecError
from cpagent.sandbox import judge
from cpagent.sandbox.base import Sandbox
from cpagent.sandbox.judge import JudgeReport, as_called


class SolveResult(BaseModel):
    """The answer of a solve: the chosen program (None if none was written), its verdict on
    the known tests, and the trajectory of every step."""

    model_config = ConfigDict(extra="forbid")

    code: str | None
    lang: str
    report: JudgeReport | None  # on the known tests
    trajectory: Trajectory

    @property
    def accepted(self) -> bool:
        return self.report is not None and self.report.accepted


def solve(problem: Problem, client: ModelClient, sandbox: Sandbox, options: FlowOptions,
          on_step: Callable[[Step], None] | None = None) -> SolveResult:
    """Solve `problem` with the model behind `client`, testing in `sandbox`: reflect, write a
    brute force and candidates, check them on samples, stress and maximum inputs, repair from
    each failure, and pick one (`oneshot`: one program, samples only).

        with model_client("o4-mini") as client, open_sandbox() as box:
            options = FlowChoice().resolve(client.settings.rules)  # the family's profile
            result = solve(load_problem("problem.md"), client, box, options)
        print(result.accepted, result.code)
    """
    if problem.interactive:
        # The judge runs them, but the flow's prompts, stress and timing still speak stdin:
        # its verdicts there would mean nothing.
        raise ValueError(f"{problem.id} is interactive: solving interactive problems is not "
                         "supported yet (cpagent judge and stress run them)")
    started = time.monotonic()
    trajectory = Trajectory(problem=problem.id, model=client.settings.model,
                            options=options.model_dump())
    ctx = Context(problem=problem, client=client, sandbox=sandbox, options=options,
                  trajectory=trajectory, on_step=on_step)
    candidates = _oneshot(ctx) if options.flow == "oneshot" else _full(ctx)
    best = select(ctx, candidates)
    report = None
    if best is not None:
        trajectory.final_code, trajectory.final_lang = best.code, best.lang
        known = problem.tests
        if known:
            with ctx.step("verdict", best.index) as step:
                report = _final_judge(sandbox, best, problem)
                trajectory.verdict = report.verdict.value
                step.summary = f"{report.passed}/{report.total} known tests, " \
                               f"{report.verdict.value}"
                step.data = {"verdict": report.verdict.value}
    trajectory.seconds = round(time.monotonic() - started, 2)
    return SolveResult(code=best.code if best else None, lang=best.lang if best else "python",
                       report=report, trajectory=trajectory)


def _final_judge(sandbox: Sandbox, best: Candidate, problem: Problem) -> JudgeReport:
    """The chosen program on every known test; the samples' results are reused when it was
    judged on them as it is (a oneshot run at --parallel 16 otherwise runs them twice)."""
    known = best.sample_report
    samples = {t.name for t in problem.samples()}
    if known is None or known.lang != best.lang or {t.name for t in known.tests} != samples:
        return judge(sandbox, best.program, problem)
    rest = [t for t in problem.tests if t.name not in samples]
    if not rest:
        return known
    return known.joined(judge(sandbox, best.program, problem, tests=rest),
                        [t.name for t in problem.tests])


def _oneshot(ctx: Context) -> list[Candidate]:
    cand = write_candidate(ctx, 0)
    if cand is None:
        return []
    check_samples(ctx, cand)
    return [cand]


def _full(ctx: Context) -> list[Candidate]:
    if ctx.options.reflect:
        reflect(ctx)
    find_spec(ctx)
    write_reader(ctx)
    if ctx.spec is not None:
        write_brute(ctx)
    pool: list[Candidate] = []
    for index in range(ctx.options.candidates):
        if not ctx.can_ask():
            break
        cand = _brute_to_speed_up(ctx, pool, index) or write_candidate(ctx, index)
        if cand is None:
            continue
        versions = refine(ctx, cand)
        pool.extend(versions)
        if any(v.passes_samples and (ctx.spec is None or v.stressed and (
                v.fits_time or not ctx.can_time)) for v in versions):
            # Checked every way we can (with no spec, the samples are all there is, and
            # nothing could tell more candidates apart): more would only cost calls.
            break
    if ctx.brute is not None and not any(c.passes_samples for c in pool):
        pool.append(_brute_fallback(ctx, index=max(c.index for c in pool) + 1 if pool else 0))
    return pool


def _brute_to_speed_up(ctx: Context, pool: list[Candidate], index: int) -> Candidate | None:
    """Halfway through the candidates with none passing the samples, the brute force that
    does becomes one: correct and slow is a better start for a small model than another
    fresh try, and timing tells it how slow (so only where the spec allows timing)."""
    if (ctx.brute is None or not ctx.can_time or index != max(1, ctx.options.candidates // 2)
            or any(c.passes_samples for c in pool)):
        return None
    with ctx.step("from-brute", index) as step:
        step.summary = "no solution passes the samples yet: speeding up the brute force"
    # It is the reference stress compares against: it agrees with itself.
    return Candidate(index=index, code=ctx.brute.source, lang=ctx.brute.lang, stressed=True)


def _brute_fallback(ctx: Context, index: int) -> Candidate:
    """The brute force as a last candidate: when every solution fails a sample it is the
    only program known to pass them, and on small limits it may be fast enough."""
    brute = ctx.brute
    assert brute is not None
    with ctx.step("fallback", index) as step:
        step.summary = "no solution passes the samples: the brute force, which does"
    cand = Candidate(index=index, code=brute.source, lang=brute.lang, passes_samples=True)
    check_timing(ctx, cand)  # no call: it may still switch the brute force to PyPy
    return cand


def select(ctx: Context, candidates: list[Candidate]) -> Candidate | None:
    """The candidate that checks out best; among equals, the one that agrees most with the
    others (and with the brute force) on generated inputs."""
    if not candidates:
        return None
    top = max(c.score() for c in candidates)
    best = [c for c in candidates if c.score() == top]
    if len(best) == 1 or ctx.spec is None or ctx.options.selection_inputs == 0:
        return best[0]
    try:
        inputs = [ctx.spec.generate("tiny" if ctx.brute else "random", seed=1000 + i,
                                    scale=200) for i in range(ctx.options.selection_inputs)]
    except SpecError:
        return best[0]  # a spec that draws nothing cannot take a vote
    with ctx.step("select") as step:
        winner, agreement = _vote(ctx, best, inputs)
        step.candidate = winner.index
        step.summary = (f"candidate {winner.index} (version {winner.version}) agrees on "
                        f"{agreement[f'{winner.index}.{winner.version}']}/{len(inputs)} inputs")
        step.data = {"agreement": agreement}
    return winner


def _vote(ctx: Context, best: list[Candidate], inputs: list[str]
          ) -> tuple[Candidate, dict[str, int]]:
    """The candidate whose outputs agree most often with the majority (the brute force
    voting too), and each one's agreement."""
    # Versions of one candidate share its index: vote by position in `best` instead.
    voters = [(i, c.program) for i, c in enumerate(best)]
    if ctx.brute is not None:
        voters.append((-1, ctx.brute))
    outputs = {}
    for key, program in voters:
        runs = ctx.sandbox.run(as_called(program, ctx.problem), inputs, ctx.problem.limits)
        outputs[key] = [" ".join(r.stdout.split()) if r.status == "ok" else None for r in runs]
    agree: Counter[int] = Counter()
    for i in range(len(inputs)):
        votes = Counter(outputs[v][i] for v, _ in voters if outputs[v][i] is not None)
        if not votes:
            continue
        majority, _ = votes.most_common(1)[0]
        for key in range(len(best)):
            agree[key] += outputs[key][i] == majority
    # Among equal agreement, the earliest: a fix that changed nothing the checks can see is
    # no better than what it fixed.
    key = max(range(len(best)), key=lambda k: (agree[k], -k))
    return best[key], {f"{c.index}.{c.version}": agree[k] for k, c in enumerate(best)}


__all__ = ["SolveResult", "solve"]
