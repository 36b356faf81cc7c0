"""The Codeforces rating update, as published by Mike Mirzayanov in blog entry 20762 (2015).

For each participant:

- seed = 1 + sum over the others of P(other beats him), with the Elo win probability
  P(a beats b) = 1 / (1 + 10^((r_b - r_a) / 400)): the place he is expected to take;
- m = sqrt(seed * rank), a geometric mean of the expected and the actual place;
- R = the integer rating whose seed against the others equals m (binary search over [1, 8000));
- delta = (R - rating) / 2.

"The others" leaves the participant himself out of both seeds. Counting him in the search (as
the reference Java code published with the blog does) reproduces only 167 of the 423 new
ratings of contest 917; leaving him out reproduces all of them.

Then two corrections against inflation: every delta is shifted so that the deltas sum to about
-1 per participant; then everyone gets a further min(max(-d, -10), 0), where d is the mean
delta of the top min(n, 4 * round(sqrt(n))) participants by old rating.

Ties share the LAST place of their group (two people tied behind 35 others both rank 37). The
API's `rank` field gives the FIRST place of the group (36, 36, 38): `rating_changes` takes
either, since it recomputes the place as the number of participants ranked at or above.

Precision follows that Java code: ratings are integers, the binary search is over
integers, and every division of integers truncates towards zero (Java's `/`).

Only rated participants take part, and only they count in the places: in a round rated for
Div. 2 (Educational rounds included) the Div. 1 participants and everyone else out of competition
are left out, and the API's `rank` already counts among the rated alone. No contest type changes
any step.

Newcomers depend on the era (`era`):

- "2020" (the default; blog entry 77890, from late May 2020): a new account shows 0 but is
  computed as 1400, and its first six contests add 500, 350, 250, 150, 100, 50 to the displayed
  rating, after which the displayed and the computed rating agree. A participant is treated so
  when `rated_contests` is given and below 6, or, when it is not given, when his displayed
  rating is exactly 0.
- "2015" (blog entry 20762, up to that change): a new account enters at 1500, shown as such, and
  the displayed rating is the computed one for everyone; `rated_contests` plays no part.

Verified against the API's `newRating` (`tests/agent/test_rating.py`; the data are in
../shared/data/codeforces and tests/fixtures/codeforces):

- 908, Good Bye 2017 (Div. 1 + Div. 2, Dec 2017): 6,691 of 6,691, era "2015";
- 917, Round 459 Div. 1 (Jan 2018): 423 of 423, era "2015";
- 1349, Round 641 Div. 1 (May 2020): 1,248 of 1,248, era "2015";
- 1305, Ozon Tech Challenge 2020 (Div. 1 + Div. 2, rated for all, points with hacks, Mar 2020):
  7,420 of 7,420, era "2015";
- 1350, Round 641 Div. 2 (a Div. 2-only round, points with hacks, May 2020): 11,937 of 11,937,
  era "2015";
- 1352, Round 640 Div. 4 (the first Div. 4, rated below 1400, ICPC rules, May 2020): 13,965 of
  13,965, era "2015". The cap decides only who is rated (new accounts at 1500 included); the
  update over the rated participants is the same;
- 911, Educational Round 35 (Div. 2, ICPC rules, Dec 2017): 3,757 of 3,982 with the API's ranks,
  and 3,982 of 3,982 once five participants are put at the places their own new ratings imply
  (474 -> about 1,204, for one). Their `rank` is not the place the update used; the API says the
  field is not changed when the standings change afterwards, so a recomputation after their
  results changed would fit, but the cause is not known.

Not verified: a Div. 3 round (no public copy of one's full rating changes was found), and any
contest under the 2020 rule with newcomers in its first six contests. Their
hidden offset needs each one's number of rated contests, which `contest.ratingChanges` does not
give, and independent reimplementations that reconstructed it report systematic, unexplained
differences on such contests while matching contests of established accounts exactly.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Contestant",
    "Era",
    "RatingChange",
    "computed_rating",
    "rating_changes",
    "win_probability",
]

Era = Literal["2015", "2020"]
"""Which newcomer rule applies: "2015" (new accounts enter at 1500, shown as such) up to May 2020,
"2020" (shown 0, computed 1400, six bonuses; blog entry 77890) after."""

NEWCOMER_RATING = 1400
NEWCOMER_BONUSES = (500, 350, 250, 150, 100, 50)
SEARCH_LOW, SEARCH_HIGH = 1, 8000
TOP_SHIFT_FLOOR = -10


class Contestant(BaseModel):
    """One rated participant: his place in the standings and his rating before the contest."""

    model_config = ConfigDict(extra="forbid")

    handle: str
    rank: int = Field(ge=1, description="place in the standings; tied participants share it")
    rating: int = Field(description="displayed rating before the contest")
    rated_contests: int | None = Field(
        None, ge=0, description="rated contests before this one; needed only for newcomers")


class RatingChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    handle: str
    rank: int
    old_rating: int
    new_rating: int
    delta: int = Field(description="new_rating - old_rating, newcomer bonus included")
    seed: float = Field(description="the place the participant was expected to take")


def win_probability(rating_a: float, rating_b: float) -> float:
    """P(a beats b) under the Elo model on the 400-point scale."""
    return 1.0 / (1.0 + 10.0 ** ((rating_b - rating_a) / 400.0))


def _trunc_div(a: int, b: int) -> int:
    # Codeforces' reference is Java, whose integer division truncates towards zero; Python's
    # `//` floors, which differs for negative sums.
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _played(contestant: Contestant, era: Era = "2020") -> int:
    """Rated contests before this one, as far as the newcomer rule cares (6 means "all done")."""
    if era == "2015":
        return len(NEWCOMER_BONUSES)
    if contestant.rated_contests is not None:
        return min(contestant.rated_contests, len(NEWCOMER_BONUSES))
    return 0 if contestant.rating == 0 else len(NEWCOMER_BONUSES)


def _hidden(played: int) -> int:
    """Computed minus displayed rating after `played` rated contests."""
    return NEWCOMER_RATING - sum(NEWCOMER_BONUSES[:played])


def computed_rating(displayed: int, rated_contests: int | None = None, era: Era = "2020") -> int:
    """The rating the update computes with, given the displayed one (they differ for newcomers
    under the 2020 rule; `rated_contests` None means "a newcomer if displayed is 0")."""
    probe = Contestant(handle="", rank=1, rating=displayed, rated_contests=rated_contests)
    return displayed + _hidden(_played(probe, era))


def _shared_places(ranks: Sequence[int]) -> list[int]:
    """The last place of each participant's tie group: how many are ranked at or above him."""
    counts = Counter(ranks)
    at_or_above: dict[int, int] = {}
    total = 0
    for rank in sorted(counts):
        total += counts[rank]
        at_or_above[rank] = total
    return [at_or_above[rank] for rank in ranks]


class _Field:
    """The ratings of all participants, with the seed of a hypothetical rating cached: the binary
    searches of thousands of participants visit the same few hundred midpoints."""

    def __init__(self, ratings: Sequence[int]) -> None:
        self._histogram = list(Counter(ratings).items())
        self._cache: dict[int, float] = {}

    def seed_with_all(self, rating: int) -> float:
        seed = self._cache.get(rating)
        if seed is None:
            seed = 1.0 + sum(n * win_probability(r, rating) for r, n in self._histogram)
            self._cache[rating] = seed
        return seed

    def seed_without(self, rating: int, own: int) -> float:
        """Seed of `rating` against everyone except a participant rated `own` (himself)."""
        return self.seed_with_all(rating) - win_probability(own, rating)

    def rating_for_place(self, place: float, own: int) -> int:
        low, high = SEARCH_LOW, SEARCH_HIGH
        while high - low > 1:
            mid = (low + high) // 2
            if self.seed_without(mid, own) < place:
                high = mid
            else:
                low = mid
        return low


def _raw_deltas(ratings: list[int], places: list[int], field: _Field) -> tuple[list[int],
                                                                                list[float]]:
    deltas, seeds = [], []
    for own, place in zip(ratings, places, strict=True):
        seed = field.seed_without(own, own)
        need = field.rating_for_place(math.sqrt(place * seed), own)
        deltas.append(_trunc_div(need - own, 2))
        seeds.append(seed)
    return deltas, seeds


def _deflate(deltas: list[int], ratings: list[int]) -> list[int]:
    n = len(deltas)
    shift = _trunc_div(-sum(deltas), n) - 1
    deltas = [d + shift for d in deltas]
    # Among equal ratings the input order decides who makes the top group: Python's sort is
    # stable, like the reference's Collections.sort.
    top = sorted(range(n), key=lambda i: -ratings[i])[: min(n, 4 * round(math.sqrt(n)))]
    shift = min(max(_trunc_div(-sum(deltas[i] for i in top), len(top)), TOP_SHIFT_FLOOR), 0)
    return [d + shift for d in deltas]


def rating_changes(participants: list[Contestant], era: Era = "2020") -> list[RatingChange]:
    """New ratings after one contest, in the order of `participants`: the rated participants
    only, with their places among themselves. `era` picks the newcomer rule (see the module's
    docstring for both, and for the contests each is verified on): "2020" for contests from late
    May 2020 on, "2015" for earlier ones."""
    if not participants:
        return []
    if era not in ("2015", "2020"):
        raise ValueError(f"unknown era {era!r}: '2015' or '2020'")
    played = [_played(p, era) for p in participants]
    ratings = [p.rating + _hidden(k) for p, k in zip(participants, played, strict=True)]
    places = _shared_places([p.rank for p in participants])
    deltas, seeds = _raw_deltas(ratings, places, _Field(ratings))
    deltas = _deflate(deltas, ratings)
    changes = []
    rows = zip(participants, played, ratings, deltas, seeds, strict=True)
    for p, k, rating, delta, seed in rows:
        new = rating + delta - _hidden(min(k + 1, len(NEWCOMER_BONUSES)))
        changes.append(RatingChange(handle=p.handle, rank=p.rank, old_rating=p.rating,
                                    new_rating=new, delta=new - p.rating, seed=seed))
    return changes

