"""The field an entrant is placed against: simulated from the rating distribution, or the real
standings of a Codeforces round.

Virtual field. Ratings are drawn by inverse-CDF sampling from the percentile table of 717,421
Codeforces users (optionally only a slice of it, as a Div. 2 round admits those below 2100).
Each entrant rated R then, independently for each problem rated d:

- solves it with the Elo probability 1 / (1 + 10^((d - R) / 400)), the probability on which
  Codeforces rates its problems;
- needs a working time drawn from an exponential distribution of mean
  20 * 2^((d - R) / 400) minutes (20 minutes for a problem at his own rating, doubling every
  400 points harder, halving every 400 easier), and at least 2 minutes to read and type;
- submits WRONG answers first: a geometric number of them, each submission accepted with
  probability 0.4 + 0.5 * P(solve), so easy problems rarely cost a rejection and one at his
  level about one in two.

He works through the problems he solves from the easiest on, so an acceptance lands at the sum
of the working times so far; when that overruns the contest, all the times are scaled down to fit
it, which keeps the solved set (and so the Elo probability) intact.

Real field. A Codeforces `contest.standings` result (rows with party.members handles, points,
penalty, rank) and the `contest.ratingChanges` result of the same round, for the ratings the
entrants had before it. Only entrants in both files are kept (unrated rows are dropped). Either
file may be the API's whole answer ({"status": "OK", "result": ...}) or just its result.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cpagent.agent.contest.model import Attempt, Contest, ContestDataError, ContestProblem, Scoring
from cpagent.agent.contest.scoring import score_attempts
from cpagent.agent.rating.codeforces import computed_rating, win_probability
from cpagent.agent.rating.percentile import PercentileTable, percentile, rating_at

__all__ = [
    "ContestField",
    "Entrant",
    "contest_from_standings",
    "real_field",
    "simulate_entrant",
    "virtual_field",
]

BASE_MINUTES = 20.0
DOUBLING_POINTS = 400.0
MIN_MINUTES = 2.0
ACCEPT_BASE, ACCEPT_SLOPE = 0.4, 0.5
# Below this share of the rated handles found in the standings, the files are not one round's.
MIN_MATCHED_SHARE = 0.5
API_SCORING: dict[str, Scoring] = {"CF": "codeforces", "ICPC": "icpc"}


class Entrant(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    handle: str
    rating: float
    score: float
    penalty: float


class ContestField(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scoring: Scoring
    entrants: list[Entrant] = Field(min_length=1)
    source: str = Field(description="how the field was made: a seed or the files it came from")


# ---- virtual field ------------------------------------------------------------------------------

def virtual_field(contest: Contest, *, size: int = 5000, seed: int = 0,
                  min_rating: float | None = None, max_rating: float | None = None,
                  table: PercentileTable | None = None) -> ContestField:
    """`size` simulated entrants of the contest (see the module's docstring for the model)."""
    unrated = [p.id for p in contest.problems if p.rating is None]
    if unrated:
        raise ContestDataError(f"a virtual field needs rated problems; unrated: {unrated}")
    if size < 1:
        raise ContestDataError(f"a field needs at least one entrant, not {size}")
    rng = random.Random(seed)
    low = 0.0 if min_rating is None else percentile(min_rating, table)
    high = 100.0 if max_rating is None else percentile(max_rating, table)
    entrants = []
    for i in range(size):
        rating = rating_at(low + rng.random() * (high - low), table)
        score = score_attempts(contest, simulate_entrant(contest, rating, rng))
        entrants.append(Entrant(handle=f"virtual-{i + 1}", rating=rating, score=score.score,
                                penalty=score.penalty))
    return ContestField(scoring=contest.scoring, entrants=entrants,
                        source=f"virtual: {size} entrants, seed {seed}")


def simulate_entrant(contest: Contest, rating: float, rng: random.Random) -> list[Attempt]:
    """One simulated entrant's accepted problems, with their minutes and rejections."""
    solved = []
    for problem in sorted(contest.problems, key=_difficulty):
        p = win_probability(rating, _difficulty(problem))
        if rng.random() < p:
            solved.append((problem, p))
    work = [_working_minutes(_difficulty(problem) - rating, rng) for problem, _ in solved]
    fit = min(1.0, contest.duration_minutes / sum(work)) if work else 1.0
    attempts, clock = [], 0.0
    for (problem, p), minutes in zip(solved, work, strict=True):
        clock += minutes * fit
        attempts.append(Attempt(problem_id=problem.id, solved=True, minutes=clock,
                                wrong_attempts=_rejections(p, rng)))
    return attempts


def _difficulty(problem: ContestProblem) -> float:
    assert problem.rating is not None  # virtual_field refuses unrated problems
    return float(problem.rating)


def _working_minutes(gap: float, rng: random.Random) -> float:
    mean = BASE_MINUTES * 2.0 ** (gap / DOUBLING_POINTS)
    return max(MIN_MINUTES, rng.expovariate(1.0 / mean))


def _rejections(solve_probability: float, rng: random.Random) -> int:
    accept = ACCEPT_BASE + ACCEPT_SLOPE * solve_probability
    # Inverse CDF of the geometric distribution: failures before the first success.
    return int(math.log(1.0 - rng.random()) / math.log(1.0 - accept))


# ---- real field ---------------------------------------------------------------------------------

class _Member(BaseModel):
    handle: str


class _Party(BaseModel):
    members: list[_Member]


class _Row(BaseModel):
    party: _Party
    rank: int
    points: float
    penalty: float = 0


class _ApiContest(BaseModel):
    id: int | None = None
    name: str = ""
    type: str
    duration_seconds: int | None = Field(None, alias="durationSeconds")


class _ApiProblem(BaseModel):
    index: str
    points: float | None = None
    rating: int | None = None


class _Standings(BaseModel):
    contest: _ApiContest
    problems: list[_ApiProblem] = []
    rows: list[_Row]


class _RatingChange(BaseModel):
    contest_id: int | None = Field(None, alias="contestId")
    handle: str
    old_rating: int = Field(alias="oldRating")


class _RatingChanges(BaseModel):
    changes: list[_RatingChange] = Field(min_length=1)


def real_field(standings: Path | str, rating_changes: Path | str) -> ContestField:
    """The entrants of a real round, with the ratings they had before it."""
    table = _read_standings(Path(standings))
    changes = _read_rating_changes(Path(rating_changes))
    _same_contest(table, changes, Path(standings), Path(rating_changes))
    # Newcomers show 0 since 2020 but compete as 1400: place against what the update used.
    before = {c.handle: computed_rating(c.old_rating) for c in changes}
    entrants = [Entrant(handle=row.party.members[0].handle,
                        rating=before[row.party.members[0].handle], score=row.points,
                        penalty=row.penalty)
                for row in table.rows
                if len(row.party.members) == 1 and row.party.members[0].handle in before]
    if len(entrants) < MIN_MATCHED_SHARE * len(changes) or not entrants:
        raise ContestDataError(
            f"only {len(entrants)} of the {len(changes)} rated handles in {Path(rating_changes)} "
            f"appear in {Path(standings)}: are they from the same round?")
    return ContestField(scoring=_scoring(table), entrants=entrants,
                        source=f"real: {Path(standings)} + {Path(rating_changes)}")


def contest_from_standings(standings: Path | str) -> Contest:
    """The contest a standings file describes: its problems, points, ratings and duration."""
    path = Path(standings)
    table = _read_standings(path)
    scoring = _scoring(table)
    problems = [ContestProblem(id=p.index, rating=p.rating, points=p.points or 0)
                for p in table.problems]
    duration = table.contest.duration_seconds
    try:
        return Contest(name=table.contest.name or path.stem, problems=problems,
                       scoring=scoring, codeforces_id=table.contest.id,
                       **({"duration_minutes": duration // 60} if duration else {}))
    except ValidationError as exc:
        raise ContestDataError(f"{path}: {_first_error(exc)}") from None


def _scoring(table: _Standings) -> Scoring:
    kind = table.contest.type
    if kind not in API_SCORING:
        raise ContestDataError(f"contest type {kind!r} is not supported (only CF and ICPC)")
    return API_SCORING[kind]


def _same_contest(table: _Standings, changes: Sequence[_RatingChange], standings: Path,
                  rating_changes: Path) -> None:
    ids = {c.contest_id for c in changes if c.contest_id is not None}
    if len(ids) > 1:
        raise ContestDataError(f"{rating_changes} mixes contests {sorted(ids)}")
    if ids and table.contest.id is not None and table.contest.id not in ids:
        raise ContestDataError(f"{standings} is contest {table.contest.id} but {rating_changes} "
                               f"is contest {ids.pop()}")


def _read_standings(path: Path) -> _Standings:
    try:
        return _Standings.model_validate(_api_result(path))
    except ValidationError as exc:
        raise ContestDataError(
            f"{path}: not a contest.standings result: {_first_error(exc)}") from None


def _read_rating_changes(path: Path) -> list[_RatingChange]:
    try:
        return _RatingChanges(changes=_api_result(path)).changes
    except ValidationError as exc:
        raise ContestDataError(
            f"{path}: not a contest.ratingChanges result: {_first_error(exc)}") from None


def _api_result(path: Path) -> Any:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ContestDataError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ContestDataError(f"{path}: not valid JSON ({exc})") from None
    if isinstance(data, dict) and "status" in data:
        if data["status"] != "OK":
            raise ContestDataError(f"{path}: the API answered {data['status']}: "
                                   f"{data.get('comment', 'no comment')}")
        return data.get("result")
    return data


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "top level"
    return f"{where}: {error['msg']}"
