"""Timing on maximum inputs: find a TLE before a judge does.

Inputs are generated at every bound and at a few smaller scales; the candidate's CPU time is
fitted as a power of the input size (a straight line in log-log), which says how it grows
and predicts the time at full size even when the full-size run was cut off. A program that
fits is then run on the worst cases of the same size (`generate.SHAPES`: sorted, reversed
and all-equal values, ranges over everything, a tree that is a path), since random values
are rarely the slow ones. When CPython alone is too slow, PyPy is tried as the
alternative. The report lists what the full-size input drew beside the spec's bounds."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from cpagent.problems.model import Limits, Problem
from cpagent.problems.spec import SHAPES, InputSpec, Shape, Spec, SpecError
from cpagent.problems.spec.drawn import DrawnValue, drawn_values
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

    shape: Shape = "random"
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
    # The full-size input's values beside the bounds they were drawn from.
    drawn: list[DrawnValue] = []

    @property
    def crash(self) -> TimingPoint | None:
        """The run that failed other than by time: a wrong program, whatever its speed."""
        last = self.points[-1] if self.points else None
        return last if last is not None and last.status not in ("ok", "tle") else None

    @property
    def worst(self) -> TimingPoint | None:
        """The slowest full-size run among the shapes."""
        full = [p for p in self.points if p.scale == 1.0]
        return max(full, key=lambda p: (p.status == "tle", p.cpu_s)) if full else None


def fit_growth(points: Sequence[TimingPoint]) -> float | None:
    """Least-squares slope of log(time) against log(size), from the points above the floor."""
    usable = [(math.log(p.size), math.log(p.cpu_s)) for p in points
              if p.status == "ok" and p.cpu_s >= FLOOR_S and p.size > 0 and p.shape == "random"]
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
    spec: Spec,
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
    inputs = {s: _draw(spec, seed, s, "random") for s in sorted(scales)}
    if not inputs or max(inputs) != 1.0:
        raise ValueError("timing needs the full size (scale 1.0) among its scales")
    shaped = _Shapes(spec, seed, inputs[1.0])
    report = _report(sandbox, program, problem, inputs, shaped)
    if report.crash is not None:
        return report
    if report.outlook != "fits" and program.lang == "python" and try_pypy:
        pypy = _report(sandbox, program.model_copy(update={"lang": "pypy"}), problem, inputs,
                       shaped)
        report.pypy = pypy
        # A PyPy run that failed (PyPy's heap can outgrow a limit CPython keeps to) is no fit.
        if pypy.crash is None and pypy.outlook == "fits":
            report.suggestion = (f"submit with PyPy: {pypy.predicted_s:.2f}s against "
                                 f"{report.predicted_s:.2f}s on CPython")
    if report.outlook == "tle" and not report.suggestion:
        grows = f"grows like n^{report.exponent:.1f}" if report.exponent else "is too slow"
        report.suggestion = f"needs a faster algorithm: time {grows} on maximum inputs"
    if isinstance(spec, InputSpec):
        report.drawn = _drawn(spec, seed)
    return report


# Drawing a 2*10^5-size input takes about a second; every candidate is timed on the same.
_DRAWN: OrderedDict[tuple, Any] = OrderedDict()
_DRAWN_KEPT = 32


def _cached(key: tuple, make: Callable[[], Any]) -> Any:
    if key not in _DRAWN:
        _DRAWN[key] = make()
        while len(_DRAWN) > _DRAWN_KEPT:
            _DRAWN.popitem(last=False)
    _DRAWN.move_to_end(key)
    return _DRAWN[key]


def _draw(spec: Spec, seed: int, scale: float, shape: Shape) -> str:
    return _cached((repr(spec.model_dump(mode="json")), seed, scale, shape),
                   lambda: spec.generate("max", seed=seed, scale=scale, shape=shape))


def _drawn(spec: InputSpec, seed: int) -> list[DrawnValue]:
    """What the full-size random input drew (reading it back takes a second or two)."""
    return _cached((repr(spec.model_dump(mode="json")), seed, "drawn"),
                   lambda: drawn_values(spec, _draw(spec, seed, 1.0, "random")))


class _Shapes:
    """The worst-case shapes at full size that differ from the random input and from each
    other, drawn when first asked for: a program too slow on random inputs needs none. A
    shape the spec cannot draw (a strict order among equal values) is left out."""

    def __init__(self, spec: Spec, seed: int, full: str) -> None:
        self.spec, self.seed, self.full = spec, seed, full
        self._texts: dict[Shape, str] | None = None

    def texts(self) -> dict[Shape, str]:
        if self._texts is None:
            self._texts, seen = {}, {self.full}
            for shape in SHAPES[1:]:
                try:
                    text = _draw(self.spec, self.seed, 1.0, shape)
                except (SpecError, ValueError):
                    continue
                if text not in seen:
                    seen.add(text)
                    self._texts[shape] = text
        return self._texts


def _report(sandbox: Sandbox, program: Program, problem: Problem,
            inputs: dict[float, str], shaped: _Shapes) -> TimingReport:
    points = _measure(sandbox, program, inputs, problem.limits)
    exponent = fit_growth(points)
    predicted = _predict(points, len(inputs[max(inputs)]), exponent)
    limit = problem.limits.time_s
    if points[-1].status == "ok" and _outlook(predicted, limit) != "tle":
        # Fits on random values: now the worst cases, each at full size. The first run
        # that does not finish ends it, as on the ladder.
        for shape, text in shaped.texts().items():
            run = _measure(sandbox, program, {1.0: text}, problem.limits)[0]
            points.append(run.model_copy(update={"shape": shape}))
            if run.status != "ok":
                break
            predicted = max(predicted, run.cpu_s)
    if points[-1].status == "tle":
        # Stopped by the limit, on the ladder or on a shape: its CPU time is only what it
        # used before it was stopped (a wall-clock kill can come before the CPU limit).
        predicted = max(predicted, points[-1].cpu_s, limit + 0.001)
    return TimingReport(lang=program.lang, limit_s=limit, points=points,
                        exponent=None if exponent is None else round(exponent, 2),
                        predicted_s=round(predicted, 3), outlook=_outlook(predicted, limit))
