"""Hypothesis strategies for whole inputs.

`tiny` and `random` are `@st.composite` strategies drawing each size and value in turn,
so the shrinker can make a failing input small: fewer test cases, shorter arrays, values
near their lower bound, canonical node labels.  `max` inputs are too large for
hypothesis's buffer; they come from `random.Random` seeded by one draw (and so do not
shrink, which they would not need to: they exist to find time limits).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from hypothesis import reject
from hypothesis import strategies as st

from cpagent.problems.spec.analysis import Plan
from cpagent.problems.spec.errors import SpecError
from cpagent.problems.spec.generate import MODES, Generator, Mode, Unsatisfiable, generate_text
from cpagent.problems.spec.render import render_values
from cpagent.problems.spec.source import HypothesisSource

__all__ = ["input_strategy"]


def input_strategy(
    elements: Sequence[object], plan: Plan, mode: Mode, scale: float | None
) -> st.SearchStrategy[str]:
    if mode not in MODES:
        raise SpecError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    if mode == "max":
        make = partial(generate_text, elements, plan, "max", scale=scale)
        return st.integers(0, 2**32 - 1).map(lambda seed: make(seed=seed))

    @st.composite
    def inputs(draw: st.DrawFn) -> str:
        try:
            values = Generator(plan, mode, HypothesisSource(draw), scale).run(elements)
        except Unsatisfiable:
            reject()
        return render_values(elements, values)

    return inputs()
