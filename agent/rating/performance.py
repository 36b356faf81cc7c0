"""Performance rating: the rating whose expected place in a field equals the place taken.

The expected place of a participant rated R among others rated r_i is
1 + sum_i 1 / (1 + 10^((R - r_i) / 400)), one plus the expected number of them who beat him. It
falls from n + 1 (R far below everyone) to 1 (R far above), so the R that gives a place p is
found by bisection. Places 1 and n + 1 are reached only at infinite ratings: the search is
bracketed to [PERFORMANCE_LOW, PERFORMANCE_HIGH] and returns the bracket's end there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from cpagent.agent.rating.codeforces import win_probability

__all__ = ["PERFORMANCE_HIGH", "PERFORMANCE_LOW", "expected_place", "performance"]

PERFORMANCE_LOW, PERFORMANCE_HIGH = -1000.0, 5000.0
# Bisection to a hundredth of a rating point: far below what a place can resolve.
TOLERANCE = 0.01


def expected_place(rating: float, others: Sequence[float]) -> float:
    """1 + the expected number of `others` who beat a participant rated `rating`."""
    return _expected(rating, Counter(others))


def _expected(rating: float, histogram: Counter[float]) -> float:
    # A field of thousands holds a few hundred distinct ratings: one term per distinct rating.
    return 1.0 + sum(n * win_probability(r, rating) for r, n in histogram.items())


def performance(place: float, ratings: Sequence[float], *, low: float = PERFORMANCE_LOW,
                high: float = PERFORMANCE_HIGH) -> float:
    """The rating R with expected_place(R, ratings) == place.

    `place` may be fractional (a tie shared by several places); `ratings` are the other
    participants', not the one whose performance this is.
    """
    if not ratings:
        raise ValueError("a performance needs at least one other participant")
    if place < 1:
        raise ValueError(f"place must be at least 1, got {place}")
    histogram = Counter(ratings)
    while high - low > TOLERANCE:
        mid = (low + high) / 2
        if _expected(mid, histogram) < place:
            high = mid
        else:
            low = mid
    return (low + high) / 2
