"""Scoring an entrant's attempts under the two rules a simulated contest knows.

Codeforces (the standard Div. 2 rule): a problem worth x points, accepted at minute t after w
rejected submissions, scores max(0.3 x, x - x / 250 * t - 50 w): it loses x / 250 a minute, so
a 500-point problem loses 2 points a minute, and 50 points a rejection, but never falls below
30% of its worth. t counts whole minutes, as the Codeforces standings do. Rejections on a
problem never accepted cost nothing. Entrants are ranked by total points alone; the penalty is
0 (hacks exist only in real standings).

ICPC: entrants are ranked by problems solved, then by penalty, the sum over the solved problems
of the minute of acceptance plus 20 minutes a rejection.

An accepted submission after the end of the contest does not count. One whose minute is not
known (an agent working offline has no contest clock) is counted at `unknown_minutes`, by
default 0, the most favourable assumption: say so when reporting the place.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from cpagent.agent.contest.model import Attempt, Contest, ContestDataError

__all__ = ["ICPC_PENALTY", "Score", "codeforces_points", "score_attempts"]

MIN_SHARE = 0.3
DECAY_MINUTES = 250
REJECTION_POINTS = 50
ICPC_PENALTY = 20


class Score(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    score: float
    penalty: float
    solved: int

    def key(self) -> tuple[float, float]:
        """Smaller is better; equal keys are a tie."""
        return (-self.score, self.penalty)


def codeforces_points(max_points: float, minutes: float, wrong_attempts: int) -> float:
    """Points of a problem worth `max_points` accepted at `minutes` after `wrong_attempts`."""
    decayed = max_points - max_points / DECAY_MINUTES * math.floor(minutes)
    return max(MIN_SHARE * max_points, decayed - REJECTION_POINTS * wrong_attempts)


def score_attempts(contest: Contest, attempts: Sequence[Attempt], *,
                   unknown_minutes: float = 0.0) -> Score:
    """The entrant's score and penalty (see the module's docstring for the rules)."""
    seen: set[str] = set()
    score = penalty = 0.0
    solved = 0
    for attempt in attempts:
        problem = contest.problem(attempt.problem_id)
        if attempt.problem_id in seen:
            raise ContestDataError(f"two attempts at problem {attempt.problem_id!r}")
        seen.add(attempt.problem_id)
        minutes = unknown_minutes if attempt.minutes is None else attempt.minutes
        if not attempt.solved or minutes > contest.duration_minutes:
            continue
        solved += 1
        if contest.scoring == "icpc":
            score += 1
            penalty += math.floor(minutes) + ICPC_PENALTY * attempt.wrong_attempts
        else:
            score += codeforces_points(problem.points, minutes, attempt.wrong_attempts)
    return Score(score=score, penalty=penalty, solved=solved)
