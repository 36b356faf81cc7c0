"""Timing on maximum inputs: find a TLE before a judge does.

Inputs are generated at every bound and at a few smaller scales; the candidate's CPU time is
fitted as a power of the input size (a straight line in log-log), which says how it grows
and predicts the time at full size even when the full-size run was cut off. When CPython
alone is too slow, PyPy is tried as the alternative."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from cpagent.problems.model import Limits, Problem
from cpagent.problems.spec import InputSpec
from cpagent.problems.spec.call_args import CallSpec
from cpagent.sandbox.base import Sandbox
from cpagent.sandbox.judge import as_called
from cpagent.sandbox.model import Program

__all__ = ["TimingPoint", "TimingReport", "fit_growth", "time_on_max"]

# From small to full size; the run stops at the first size that is cut off, since every
# larger one would be too, and the growth fitted below says by how much.
SCALES = tuple(2.0**-k for k in range(9, -1, -1))  # 1/512, 1/256, ..., 1/2, 1
# An interpreter starts in ~10-40 ms; below this floor CPU time says nothing about growth.
FLOOR_S = 0.05


class TimingPoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scale: float
    size: int  # characters of input
    cpu_s: float
    status: str
    error: str = ""  # why a run that was not a time-out failed, with its stderr's tail


class TimingReport(BaseModel):
    """Times at each size, the fitted growth, the predicted time at full size and the
    outlook against the limit: fits, tight or tle."""

    model_config = ConfigDict(extra="forbid")

    lang: str
    limit_s: float
    points: list[TimingPoint]
    exponent: float | None  # t ~ size ** exponent
    predicted_s: float  # at full size
    outlook: Literal["fits", "tight", "tle"]
    pypy: TimingReport | None = None
    suggestion: str = ""

    @property
    def crash(self) -> TimingPoint | None:
        """The run that failed other than by time: a wrong program, whatever its speed."""
        last = self.points[-1] if self.points else None
        return last if last is not None and last.status not in ("ok", "tle") else None


def fit_growth(points: Sequence[TimingPoint]) -> float | None:
    """Least-squares slope of log(time) against log(size), from the points above the floor."""
    usable = [(math.log(p.size), math.log(p.cpu_s)) for p in points
              if p.status == "ok" and p.cpu_s >= FLOOR_S and p.size > 0]
    if len(usable) < 2:
        return None
    mx = sum(x for x, _ in usable) / len(usable)
    my = sum(y for _, y in usable) / len(usable)
    sxx = sum((x - mx) ** 2 for x, _ in usable)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in usable) / sxx


def _predict(points: Sequence[TimingPoint], full_size: int, exponent: float | None) -> float:
    last = points[-1]
    if last.size == full_size and last.status == "ok":
        return last.cpu_s
    done = [p for p in points if p.status == "ok" and p.cpu_s >= FLOOR_S]
    if not done:
        return last.cpu_s  # cut off before any run took measurable time: at least that
    # Extrapolate from the largest run that finished. Cut off too soon to fit a growth, a
    # program is taken to grow linearly, as any that reads its input does: quoting the
    # time it used before the cut-off would rank a quadratic program cut off at 1/256 of
    # the size above a linear one that finished at 1/2.
    base = max(done, key=lambda p: p.size)
    growth = 1.0 if exponent is None else exponent
    return max(last.cpu_s, base.cpu_s * (full_size / base.size) ** growth)


def _outlook(predicted: float, limit: float) -> Literal["fits", "tight", "tle"]:
    if predicted > limit:
        return "tle"
    return "tight" if predicted > 0.6 * limit else "fits"


def _measure(sandbox: Sandbox, program: Program, inputs: dict[float, str],
             limits: Limits) -> list[TimingPoint]:
    points = []
    for scale, text in inputs.items():
        run = sandbox.run(program, [text], limits)[0]
        error = "" if run.status in ("ok", "tle") else "\n".join(
            part for part in (run.reason, run.stderr[-1500:]) if part)
        points.append(TimingPoint(scale=scale, size=len(text), cpu_s=run.cpu_s,
                                  status=run.status, error=error))
        if run.status != "ok":
            break
    return points


def time_on_max(
    sandbox: Sandbox,
    program: Program,
    problem: Problem,
    spec: InputSpec | CallSpec,
    *,
    scales: Sequence[float] = SCALES,
    seed: int = 0,
    try_pypy: bool = True,
) -> TimingReport:
    """Time `program` on inputs drawn from `spec` at growing fractions of the maximum size,
    fit the growth, and say whether the full size fits the time limit (trying PyPy when
    CPython does not).

        report = time_on_max(box, Program(source=code), problem, problem.spec)
        print(report.outlook, report.predicted_s, report.suggestion)
    """
    program = as_called(program, problem)
    inputs = {s: spec.generate("max", seed=seed, scale=s) for s in sorted(scales)}
    if not inputs or max(inputs) != 1.0:
        raise ValueError("timing needs the full size (scale 1.0) among its scales")
    report = _report(sandbox, program, problem, inputs)
    if report.crash is not None:
        return report
    if report.outlook != "fits" and program.lang == "python" and try_pypy:
        pypy = _report(sandbox, program.model_copy(update={"lang": "pypy"}), problem, inputs)
        report.pypy = pypy
        # A PyPy run that failed (PyPy's heap can outgrow a limit CPython keeps to) is no fit.
        if pypy.crash is None and pypy.outlook == "fits":
            report.suggestion = (f"submit with PyPy: {pypy.predicted_s:.2f}s against "
                                 f"{report.predicted_s:.2f}s on CPython")
    if report.outlook == "tle" and not report.suggestion:
        grows = f"grows like n^{report.exponent:.1f}" if report.exponent else "is too slow"
        report.suggestion = f"needs a faster algorithm: time {grows} on maximum inputs"
    return report


def _report(sandbox: Sandbox, program: Program, problem: Problem,
            inputs: dict[float, str]) -> TimingReport:
    points = _measure(sandbox, program, inputs, problem.limits)
    exponent = fit_growth(points)
    predicted = _predict(points, len(inputs[max(inputs)]), exponent)
    return TimingReport(lang=program.lang, limit_s=problem.limits.time_s, points=points,
                        exponent=None if exponent is None else round(exponent, 2),
                        predicted_s=round(predicted, 3),
                        outlook=_outlook(predicted, problem.limits.time_s))
