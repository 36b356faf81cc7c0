"""Where a rating stands among Codeforces users, from the table in percentiles.json.

The table (written by benchmarks/derive_percentiles.py) holds the rating at every permille of
717,421 user ratings, from the minimum to the maximum. Between permilles both directions
interpolate linearly. A rating the table holds at several permilles (about 350 covers a few,
the many accounts left near their first rating) stands at the middle of them.
"""

from __future__ import annotations

import bisect
import functools
import json
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["PercentileTable", "load_table", "percentile", "rating_at"]


class PercentileTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    count: int = Field(gt=0, description="ratings the table was derived from")
    steps: int = Field(gt=0, description="quantiles[k] is the rating at k / steps")
    min: int
    max: int
    quantiles: tuple[int, ...]

    @model_validator(mode="after")
    def _consistent(self) -> PercentileTable:
        q = self.quantiles
        if len(q) != self.steps + 1 or q[0] != self.min or q[-1] != self.max:
            raise ValueError("the quantiles must run from min to max in steps + 1 entries")
        if any(a > b for a, b in zip(q, q[1:], strict=False)):
            raise ValueError("the quantiles must be sorted")
        return self


@functools.cache
def load_table() -> PercentileTable:
    text = resources.files("cpagent.agent.rating").joinpath("percentiles.json").read_text()
    return PercentileTable.model_validate(json.loads(text))


def percentile(rating: float, table: PercentileTable | None = None) -> float:
    """The share of users (0 to 100) rated below `rating`, interpolated in the table."""
    t = table or load_table()
    q = t.quantiles
    if rating <= q[0] or rating >= q[-1]:
        return 0.0 if rating <= q[0] else 100.0
    first, after = bisect.bisect_left(q, rating), bisect.bisect_right(q, rating)
    if first < after:
        position = (first + after - 1) / 2
    else:
        below = first - 1
        position = below + (rating - q[below]) / (q[first] - q[below])
    return 100.0 * position / t.steps


def rating_at(share: float, table: PercentileTable | None = None) -> float:
    """The rating at percentile `share` (0 to 100): the inverse of `percentile`."""
    if not 0 <= share <= 100:
        raise ValueError(f"a percentile runs from 0 to 100, got {share}")
    t = table or load_table()
    x = share / 100 * t.steps
    k = min(int(x), t.steps - 1)
    return t.quantiles[k] + (x - k) * (t.quantiles[k + 1] - t.quantiles[k])
