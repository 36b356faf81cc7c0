"""Simulated contests: scoring rules on worked examples, the virtual field's model, real
standings from files, and placing an entrant."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpagent.agent.contest import (
    Attempt,
    Contest,
    ContestDataError,
    ContestField,
    ContestProblem,
    ContestResult,
    Entrant,
    codeforces_points,
    contest_from_standings,
    outcomes_of,
    overall,
    place_in,
    real_field,
    score_attempts,
    simulate_entrant,
    virtual_field,
)
from cpagent.agent.rating import mle_rating, percentile, performance
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "contest"
STANDINGS = FIXTURES / "standings.json"
CHANGES = FIXTURES / "rating_changes.json"


def _contest(scoring: str = "codeforces") -> Contest:
    return Contest(name="round", scoring=scoring, duration_minutes=120, problems=[
        ContestProblem(id="A", rating=800, points=500),
        ContestProblem(id="B", rating=1400, points=1000),
        ContestProblem(id="C", rating=2000, points=1500),
    ])


def _solved(problem: str, minutes: float | None, wrong: int = 0) -> Attempt:
    return Attempt(problem_id=problem, solved=True, minutes=minutes, wrong_attempts=wrong)


# ---- scoring ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("points", "minutes", "wrong", "expected"), [
    (500, 10, 1, 430),     # 500 - 2 * 10 - 50
    (1000, 100, 3, 450),   # 1000 - 4 * 100 - 150
    (500, 119, 5, 150),    # 500 - 238 - 250 = 12, but never below 30% of 500
    (500, 10.9, 0, 480),   # whole minutes: 10.9 counts as 10
    (1500, 0, 0, 1500),
])
def test_codeforces_points_worked_by_hand(points, minutes, wrong, expected):
    assert codeforces_points(points, minutes, wrong) == expected


def test_codeforces_score_adds_problems_and_ignores_rejections_of_unsolved():
    attempts = [_solved("A", 10, wrong=1), _solved("B", 30),
                Attempt(problem_id="C", solved=False, wrong_attempts=3)]
    score = score_attempts(_contest(), attempts)
    # A: 430; B: 1000 - 4 * 30 = 880; C: nothing, whatever its rejections.
    assert (score.score, score.penalty, score.solved) == (1310, 0, 2)


def test_icpc_score_counts_solved_and_penalty_minutes():
    attempts = [_solved("A", 10, wrong=1), _solved("B", 45.5),
                Attempt(problem_id="C", solved=False, wrong_attempts=2)]
    score = score_attempts(_contest("icpc"), attempts)
    # A: 10 + 20 for the rejection; B: minute 45; C unsolved costs nothing.
    assert (score.score, score.penalty, score.solved) == (2, 75, 2)


def test_late_and_timeless_acceptances():
    late = score_attempts(_contest("icpc"), [_solved("A", 121)])
    assert late.solved == 0
    timeless = [_solved("A", None)]
    assert score_attempts(_contest(), timeless).score == 500
    assert score_attempts(_contest(), timeless, unknown_minutes=60).score == 380


def test_attempts_the_contest_cannot_score():
    with pytest.raises(ContestDataError, match="no problem 'Z'"):
        score_attempts(_contest(), [_solved("Z", 5)])
    with pytest.raises(ContestDataError, match="two attempts"):
        score_attempts(_contest(), [_solved("A", 5), _solved("A", 9)])


def test_codeforces_contest_needs_points():
    with pytest.raises(ValueError, match="maximum points"):
        Contest(name="x", problems=[ContestProblem(id="A", rating=800)])
    Contest(name="x", scoring="icpc", problems=[ContestProblem(id="A", rating=800)])


@given(st.sampled_from([500, 750, 1000, 1500, 2500]), st.floats(0, 180), st.integers(0, 10),
       st.floats(0, 180), st.integers(0, 10))
def test_codeforces_points_never_rise_with_time_or_rejections(x, t1, w1, t2, w2):
    early, late = sorted((t1, t2))
    few, many = sorted((w1, w2))
    assert codeforces_points(x, early, few) >= codeforces_points(x, late, many) >= 0.3 * x


# ---- placing ------------------------------------------------------------------------------------

def _field(scoring: str, rows: list[tuple[float, float, float]]) -> ContestField:
    return ContestField(scoring=scoring, source="test", entrants=[
        Entrant(handle=f"e{i}", rating=rating, score=score, penalty=penalty)
        for i, (rating, score, penalty) in enumerate(rows)])


def test_place_shares_ties_at_their_middle():
    field = _field("codeforces", [(2000, 2000, 0), (1700, 1310, 0), (1500, 1310, 0),
                                  (1200, 500, 0)])
    attempts = [_solved("A", 10, wrong=1), _solved("B", 30)]  # 1310, as above
    standing = place_in(field, attempts, _contest())
    # One ahead, two tied with him: places 2 to 4 shared, he takes the middle, 3.
    assert standing.place == 3 and standing.score == 1310 and standing.field_size == 4
    assert standing.performance == pytest.approx(performance(3, [2000, 1700, 1500, 1200]))
    alone = place_in(field, [_solved("A", 10, wrong=1), _solved("B", 29)], _contest())
    assert alone.place == 2 and alone.performance > standing.performance


def test_icpc_places_by_penalty_among_equal_solves():
    field = _field("icpc", [(1800, 2, 50), (1600, 2, 90), (1400, 1, 5)])
    standing = place_in(field, [_solved("A", 20), _solved("B", 40)], _contest("icpc"))
    assert (standing.score, standing.penalty, standing.place) == (2, 60, 2)


def test_field_and_contest_must_agree_on_scoring():
    with pytest.raises(ContestDataError, match="scored icpc"):
        place_in(_field("icpc", [(1500, 1, 0)]), [], _contest())


# ---- the virtual field --------------------------------------------------------------------------

def test_simulated_entrant_solves_at_the_elo_rate_in_time():
    contest = _contest()
    rng = random.Random(7)
    runs = [simulate_entrant(contest, 1400, rng) for _ in range(4000)]
    rate = {p: sum(any(a.problem_id == p for a in run) for run in runs) / len(runs)
            for p in "ABC"}
    # P(solve) at 1400: A (800) 0.969, B (1400) 0.5, C (2000) 0.031; 4000 draws: SE <= 0.008.
    assert rate["A"] == pytest.approx(0.969, abs=0.03)
    assert rate["B"] == pytest.approx(0.5, abs=0.03)
    assert rate["C"] == pytest.approx(0.031, abs=0.03)
    for run in runs:
        minutes = [a.minutes for a in run]
        assert minutes == sorted(minutes) and all(0 < m <= 120 + 1e-9 for m in minutes)


def test_virtual_field_is_seeded_and_respects_the_slice():
    contest = _contest()
    one = virtual_field(contest, size=300, seed=4, max_rating=2100)
    assert one == virtual_field(contest, size=300, seed=4, max_rating=2100)
    assert one != virtual_field(contest, size=300, seed=5, max_rating=2100)
    assert len(one.entrants) == 300 and all(e.rating <= 2100 for e in one.entrants)
    strong = virtual_field(contest, size=300, seed=4, min_rating=1900)
    assert min(e.rating for e in strong.entrants) >= 1900
    mean = sum(e.score for e in one.entrants) / 300
    assert sum(e.score for e in strong.entrants) / 300 > mean


def test_virtual_field_needs_rated_problems():
    contest = Contest(name="x", problems=[ContestProblem(id="A", points=500)])
    with pytest.raises(ContestDataError, match="rated problems"):
        virtual_field(contest)


def test_more_solved_places_higher_in_a_virtual_field():
    contest = _contest()
    field = virtual_field(contest, size=2000, seed=1)
    none = place_in(field, [], contest)
    some = place_in(field, [_solved("A", 5)], contest)
    most = place_in(field, [_solved("A", 5), _solved("B", 25)], contest)
    assert none.place > some.place > most.place
    assert none.performance < some.performance < most.performance


# ---- the real field -----------------------------------------------------------------------------

def test_real_field_from_standings_and_rating_changes():
    field = real_field(STANDINGS, CHANGES)
    # The unrated entrant and the team are dropped; the newcomer competes at 1400.
    assert [(e.handle, e.rating, e.score) for e in field.entrants] == [
        ("alpha", 1850, 2480), ("bravo", 1420, 1310), ("charlie", 1610, 880),
        ("delta", 1400, 880), ("echo", 1190, 0)]
    assert field.scoring == "codeforces"
    contest = contest_from_standings(STANDINGS)
    assert contest.duration_minutes == 120 and contest.name.startswith("Synthetic")
    assert [(p.id, p.rating, p.points) for p in contest.problems] == [
        ("A", 800, 500), ("B", 1300, 1000), ("C", 1800, 1500)]
    # A + B at minutes 10 and 30 with one rejection: 430 + 880 = 1310, tied with bravo.
    standing = place_in(field, [_solved("A", 10, wrong=1), _solved("B", 30)], contest)
    assert standing.place == 2.5 and standing.field_size == 5


def test_malformed_standings_give_a_one_line_error():
    with pytest.raises(ContestDataError) as info:
        real_field(FIXTURES / "standings_malformed.json", CHANGES)
    assert "not valid JSON" in str(info.value) and "\n" not in str(info.value)
    assert isinstance(info.value, ValueError)


def test_standings_without_rows_are_refused(tmp_path: Path):
    data = json.loads(STANDINGS.read_text())
    del data["result"]["rows"]
    bad = tmp_path / "standings.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(ContestDataError, match="not a contest.standings result: rows"):
        real_field(bad, CHANGES)


def test_files_of_different_rounds_are_refused(tmp_path: Path):
    changes = json.loads(CHANGES.read_text())
    other = tmp_path / "changes.json"
    other.write_text(json.dumps([{**c, "contestId": 9002} for c in changes]))
    with pytest.raises(ContestDataError, match="is contest 9001 but .* is contest 9002"):
        real_field(STANDINGS, other)
    strangers = tmp_path / "strangers.json"
    strangers.write_text(json.dumps({"status": "OK", "result": [
        {**c, "handle": c["handle"] + "_2"} for c in changes]}))
    with pytest.raises(ContestDataError, match="only 0 of the 5 rated handles"):
        real_field(STANDINGS, strangers)


def test_api_failure_is_reported(tmp_path: Path):
    failed = tmp_path / "failed.json"
    failed.write_text(json.dumps({"status": "FAILED", "comment": "contestId: Contest not found"}))
    with pytest.raises(ContestDataError, match="FAILED: contestId: Contest not found"):
        real_field(STANDINGS, failed)


# ---- over several contests ----------------------------------------------------------------------

def test_overall_pools_the_problems_of_every_contest():
    first = ContestResult(contest=_contest(), attempts=[_solved("A", 5), _solved("B", 40)])
    second = ContestResult(contest=_contest(), attempts=[_solved("A", 8)])
    field = virtual_field(_contest(), size=500, seed=2)
    first.standing = place_in(field, first.attempts, first.contest)
    result = overall([first, second], seed=1)
    pooled = outcomes_of(first) + outcomes_of(second)
    assert [(o.rating, o.solved) for o in pooled] == [
        (800, True), (1400, True), (2000, False), (800, True), (1400, False), (2000, False)]
    assert result.estimate.n == 6 and result.contests == 2
    assert result.estimate.rating == pytest.approx(mle_rating(pooled))
    assert result.percentile == pytest.approx(percentile(result.estimate.rating))
    assert result.mean_performance == first.standing.performance
    assert result.estimate.low < result.estimate.rating < result.estimate.high


def test_overall_needs_a_rated_problem():
    unrated = Contest(name="x", problems=[ContestProblem(id="A", points=500)])
    with pytest.raises(ContestDataError, match="no rated problem"):
        overall([ContestResult(contest=unrated, attempts=[])])


@settings(max_examples=25, deadline=None)
@given(st.sets(st.sampled_from("ABC")), st.sampled_from("ABC"))
def test_solving_one_more_never_lowers_the_overall_estimate(solved, extra):
    def estimate(ids: set[str]) -> float:
        run = ContestResult(contest=_contest(), attempts=[_solved(p, 10) for p in sorted(ids)])
        return overall([run], interval="profile").estimate.rating
    assert estimate(solved | {extra}) >= estimate(solved) - 0.02
