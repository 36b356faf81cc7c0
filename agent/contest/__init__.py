"""Simulated contests: scoring an entrant's attempts, a virtual or real field to place him in,
and the performance and rating that follow. Pure: no model calls, and no I/O except reading
the standings files a user supplies."""

from cpagent.agent.contest.field import (
    ContestField,
    Entrant,
    contest_from_standings,
    real_field,
    simulate_entrant,
    virtual_field,
)
from cpagent.agent.contest.model import (
    Attempt,
    Contest,
    ContestDataError,
    ContestProblem,
    Scoring,
    Standing,
)
from cpagent.agent.contest.scoring import Score, codeforces_points, score_attempts
from cpagent.agent.contest.simulate import (
    ContestResult,
    OverallRating,
    outcomes_of,
    overall,
    place_in,
)

__all__ = [
    "Attempt",
    "Contest",
    "ContestDataError",
    "ContestField",
    "ContestProblem",
    "ContestResult",
    "Entrant",
    "OverallRating",
    "Score",
    "Scoring",
    "Standing",
    "codeforces_points",
    "contest_from_standings",
    "outcomes_of",
    "overall",
    "place_in",
    "real_field",
    "score_attempts",
    "simulate_entrant",
    "virtual_field",
]
