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

from problems.model import Limits, Problem
from problems.spec import InputSpec
from sandbox.base import Sandbox
from sandbox.model import Program

__all__ = ["TimingPoint", "TimingReport", "fit_growth", "time_on_max"]

SCALES = (0.125, 0.25, 0.5, 1.0)
# An interpreter starts in ~10-40 ms; below this floor CPU time says nothing about growth.
FLOOR_S = 0.05


class TimingPoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scale: float
    size: int  # characters of input
    cpu_s: float
    status: str


class TimingReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: str
    limit_s: float
    points: list[TimingPoint]
    exponent: float | None  # t ~ size ** exponent
    predicted_s: float  # at full size
    outlook: Literal["fits", "tight", "tle"]
    pypy: TimingReport | None = None
    suggestion: str = ""


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


def _predict(points: Sequence[TimingPoint], exponent: float | None) -> float:
    full = max(points, key=lambda p: p.scale)
    if full.status == "ok" or exponent is None:
        return full.cpu_s
    # The full-size run was cut off at the limit: extrapolate from the largest finished one.
    done = [p for p in points if p.status == "ok" and p.cpu_s >= FLOOR_S]
    if not done:
        return full.cpu_s
    base = max(done, key=lambda p: p.size)
    return base.cpu_s * (full.size / base.size) ** exponent


def _outlook(predicted: float, limit: float) -> Literal["fits", "tight", "tle"]:
    if predicted > limit:
        return "tle"
    return "tight" if predicted > 0.6 * limit else "fits"


def _measure(sandbox: Sandbox, program: Program, inputs: dict[float, str],
             limits: Limits) -> list[TimingPoint]:
    runs = sandbox.run(program, list(inputs.values()), limits)
    return [TimingPoint(scale=s, size=len(text), cpu_s=run.cpu_s, status=run.status)
            for (s, text), run in zip(inputs.items(), runs, strict=True)]


def time_on_max(
    sandbox: Sandbox,
    program: Program,
    problem: Problem,
    spec: InputSpec,
    *,
    scales: Sequence[float] = SCALES,
    seed: int = 0,
    try_pypy: bool = True,
) -> TimingReport:
    inputs = {s: spec.generate("max", seed=seed, scale=s) for s in sorted(scales)}
    report = _report(sandbox, program, problem, inputs)
    if report.outlook != "fits" and program.lang == "python" and try_pypy:
        pypy = _report(sandbox, program.model_copy(update={"lang": "pypy"}), problem, inputs)
        report.pypy = pypy
        if pypy.outlook == "fits":
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
    predicted = _predict(points, exponent)
    return TimingReport(lang=program.lang, limit_s=problem.limits.time_s, points=points,
                        exponent=None if exponent is None else round(exponent, 2),
                        predicted_s=round(predicted, 3),
                        outlook=_outlook(predicted, problem.limits.time_s))
