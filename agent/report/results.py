"""From a stored run to contest results: which problems form which contest, what the agent
submitted in each, and when.

Method, stated once (the report repeats it):
- Contests. Problems with a Codeforces reference (CodeContests ids) are grouped by their
  round; any other problem is a contest of its own. Codeforces scoring, 120 minutes, and the
  usual Div. 2 worth by index (A 500, B 1000, C 1500, ... points) unless a contest list says
  otherwise.
- Submissions. The run's attempts at a problem are its submissions, in order: the first
  accepted one solves it, the attempts before it that produced code are its rejections
  (an attempt without code submitted nothing).
- Time. `elapsed` (default): the agent works through a round's problems in index order, one
  attempt after another, so a problem is accepted at the sum of the wall-clock time of every
  attempt made in that round up to its accepted one (a model call replayed from the log, as
  when a killed run resumes, counts the time it took when it was first made). `zero`: time
  is ignored and every acceptance counts at minute 0, as CodeElo does.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, ConfigDict

from cpagent.agent.batch.store import AttemptRecord
from cpagent.agent.contest import Attempt, Contest, ContestProblem, ContestResult
from cpagent.problems.formats.codecontests import codeforces_ref
from cpagent.problems.model import Problem

__all__ = ["ProblemRow", "TimeModel", "contest_results", "problem_rows"]

TimeModel = Literal["elapsed", "zero"]
POINTS_PER_INDEX = 500
DURATION_MINUTES = 120


class ProblemRow(BaseModel):
    """One problem of the run, every attempt folded in."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    rating: int | None
    contest: str
    index: str
    attempts: int
    accepted: int
    solved: bool
    rejections: int  # attempts with code before the first accepted one
    verdicts: list[str]
    best_passed: int
    tests: int
    calls: int
    tokens: int
    reasoning_tokens: int = 0  # of `tokens`, spent thinking (runs since the field was kept)
    cost_usd: float = 0.0  # of the calls as first made, at known prices
    seconds: float
    minutes_to_accept: float | None  # wall clock, this problem's own attempts only


def problem_rows(problems: list[Problem], attempts: list[AttemptRecord]) -> list[ProblemRow]:
    by_problem: dict[str, list[AttemptRecord]] = defaultdict(list)
    for a in attempts:
        if a.state == "done" and a.result is not None:
            by_problem[a.problem].append(a)
    rows = []
    for problem in problems:
        done = sorted(by_problem[problem.id], key=lambda a: a.attempt)
        results = [a.result or {} for a in done]
        first = next((i for i, r in enumerate(results) if r.get("solved")), None)
        before = results if first is None else results[:first]
        contest, index = _round_of(problem)
        rows.append(ProblemRow(
            id=problem.id, title=problem.title, rating=problem.rating, contest=contest,
            index=index, attempts=len(results), accepted=sum(bool(r.get("solved"))
                                                             for r in results),
            solved=first is not None,
            rejections=sum(1 for r in before if r.get("code")) if first is not None else 0,
            verdicts=[str(r.get("verdict")) for r in results],
            best_passed=max((int(r.get("passed", 0)) for r in results), default=0),
            tests=max((int(r.get("tests", 0)) for r in results), default=len(problem.tests)),
            calls=sum(int(r.get("calls", 0)) for r in results),
            tokens=sum(int(r.get("tokens", 0)) for r in results),
            reasoning_tokens=sum(int(r.get("reasoning_tokens", 0)) for r in results),
            cost_usd=round(sum(float(r.get("cost_usd", 0.0)) for r in results), 6),
            seconds=round(sum(_seconds(r) for r in results), 1),
            minutes_to_accept=None if first is None else
            sum(_seconds(r) for r in results[: first + 1]) / 60,
        ))
    return rows


def _seconds(result: dict) -> float:
    """An attempt's solving time, with what its replayed model calls took when first made."""
    return float(result.get("seconds", 0)) + float(result.get("replayed_model_seconds", 0))


def _round_of(problem: Problem) -> tuple[str, str]:
    ref = codeforces_ref(problem.id)
    if ref is None:
        return problem.id, "A"
    return f"Codeforces round {ref[0]}", ref[1]


def _points(index: str) -> float:
    letter = index[:1].upper()
    return POINTS_PER_INDEX * (ord(letter) - ord("A") + 1) if "A" <= letter <= "Z" else 500.0


def contest_results(rows: list[ProblemRow], time_model: TimeModel = "elapsed"
                    ) -> list[ContestResult]:
    """One simulated contest per round, with the agent's attempts in it (not yet placed)."""
    rounds: dict[str, list[ProblemRow]] = defaultdict(list)
    for row in rows:
        rounds[row.contest].append(row)
    results = []
    for name, members in rounds.items():
        members.sort(key=lambda r: r.index)
        ref = codeforces_ref(members[0].id)
        contest = Contest(name=name, duration_minutes=DURATION_MINUTES, scoring="codeforces",
                          codeforces_id=ref[0] if ref else None,
                          problems=[ContestProblem(id=r.index, rating=r.rating,
                                                   points=_points(r.index)) for r in members])
        clock = 0.0
        attempts = []
        for row in members:
            # Once a problem is accepted its later attempts would not have been made.
            spent = row.minutes_to_accept if row.solved else row.seconds / 60
            clock += spent or 0.0
            if row.solved:
                attempts.append(Attempt(problem_id=row.index, solved=True,
                                        wrong_attempts=row.rejections,
                                        minutes=clock if time_model == "elapsed" else 0.0))
        results.append(ContestResult(contest=contest, attempts=attempts))
    return results
