"""Placing an entrant in a field, and a rating over several contests."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean

from pydantic import BaseModel, ConfigDict, Field

from cpagent.agent.contest.field import ContestField
from cpagent.agent.contest.model import Attempt, Contest, ContestDataError, Standing
from cpagent.agent.contest.scoring import score_attempts
from cpagent.agent.rating.estimate import Interval, ProblemOutcome, RatingEstimate, estimate_rating
from cpagent.agent.rating.percentile import percentile
from cpagent.agent.rating.performance import performance

__all__ = ["ContestResult", "OverallRating", "outcomes_of", "overall", "place_in"]


def place_in(field: ContestField, attempts: Sequence[Attempt], contest: Contest, *,
             unknown_minutes: float = 0.0) -> Standing:
    """Score the attempts, put the entrant among the field's entrants and rate the place.

    Ties share their places, and the entrant's place is the middle of the shared ones
    (behind 10, tied with 3 others: places 11 to 14, place 12.5): Codeforces' own update gives
    a tie group its last place, which would penalise a tie; the middle neither rewards nor
    penalises it. `unknown_minutes` is where an accepted attempt without a minute is put (see
    agent/contest/scoring.py).
    """
    if field.scoring != contest.scoring:
        raise ContestDataError(f"the field is scored {field.scoring}, the contest "
                               f"{contest.scoring}")
    mine = score_attempts(contest, attempts, unknown_minutes=unknown_minutes).key()
    ahead = tied = 0
    for entrant in field.entrants:
        theirs = (-entrant.score, entrant.penalty)
        ahead += theirs < mine
        tied += theirs == mine
    place = ahead + 1 + tied / 2
    return Standing(place=place, score=-mine[0], penalty=mine[1],
                    performance=performance(place, [e.rating for e in field.entrants]),
                    field_size=len(field.entrants))


class ContestResult(BaseModel):
    """One contest an entrant took part in: what he did and, if he was placed, where."""

    model_config = ConfigDict(extra="forbid")

    contest: Contest
    attempts: list[Attempt]
    standing: Standing | None = None


class OverallRating(BaseModel):
    model_config = ConfigDict(extra="forbid")

    estimate: RatingEstimate = Field(description="from every rated problem of every contest")
    percentile: float = Field(description="share of Codeforces users rated below the estimate")
    mean_performance: float | None = Field(description="mean of the placed contests' "
                                                       "performance ratings, if any were placed")
    contests: int


def outcomes_of(result: ContestResult) -> list[ProblemOutcome]:
    """Solved or not, for every rated problem of the contest; no attempt means not solved."""
    solved = {a.problem_id for a in result.attempts if a.solved}
    return [ProblemOutcome(rating=p.rating, solved=p.id in solved)
            for p in result.contest.problems if p.rating is not None]


def overall(results: Sequence[ContestResult], *, level: float = 0.95,
            interval: Interval = "bootstrap", seed: int = 0) -> OverallRating:
    """One rating over several contests: the maximum likelihood estimate from all their rated
    problems pooled (each problem is one outcome, whichever contest it was in), with its
    interval, next to the mean performance rating of the contests that were placed."""
    outcomes = [o for result in results for o in outcomes_of(result)]
    if not outcomes:
        raise ContestDataError("no rated problem in these contests: nothing to estimate from")
    estimate = estimate_rating(outcomes, level=level, interval=interval, seed=seed)
    placed = [r.standing.performance for r in results if r.standing is not None]
    return OverallRating(estimate=estimate, percentile=percentile(estimate.rating),
                         mean_performance=fmean(placed) if placed else None,
                         contests=len(results))
