"""Rating math: the Codeforces rating update, performance ratings, a rating estimated from problem
outcomes with its confidence interval, and percentiles among Codeforces users. Pure functions:
no model calls, no I/O beyond the package's own percentile table."""

from cpagent.agent.rating.codeforces import (
    Contestant,
    RatingChange,
    computed_rating,
    rating_changes,
    win_probability,
)
from cpagent.agent.rating.estimate import (
    ESTIMATE_HIGH,
    ESTIMATE_LOW,
    ProblemOutcome,
    RatingEstimate,
    estimate_rating,
    mle_rating,
)
from cpagent.agent.rating.percentile import PercentileTable, load_table, percentile, rating_at
from cpagent.agent.rating.performance import expected_place, performance

__all__ = [
    "ESTIMATE_HIGH",
    "ESTIMATE_LOW",
    "Contestant",
    "PercentileTable",
    "ProblemOutcome",
    "RatingChange",
    "RatingEstimate",
    "computed_rating",
    "estimate_rating",
    "expected_place",
    "load_table",
    "mle_rating",
    "percentile",
    "performance",
    "rating_at",
    "rating_changes",
    "win_probability",
]
