"""Solve rates by group, for every problem with a finished attempt, rated or not: the
metric of benchmarks such as LiveCodeBench (pass@1 by difficulty, platform and the month of
the contest, which tells problems a model may have seen in training from newer ones).

pass@1 is the share of attempts accepted, the unbiased estimate from K attempts a problem;
"solved" counts problems with any accepted attempt."""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, ConfigDict

from cpagent.agent.report.results import ProblemRow
from cpagent.problems.model import Problem

__all__ = ["RateRow", "solve_rates"]

DIFFICULTIES = ("easy", "medium", "hard")
PLATFORMS = ("codeforces", "atcoder", "leetcode")


class RateRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    group: str  # all, difficulty, platform or month
    value: str
    problems: int
    attempts: int
    accepted: int
    solved: int

    @property
    def pass_at_1(self) -> float:
        return self.accepted / self.attempts if self.attempts else 0.0


def _groups(problem: Problem) -> list[tuple[str, str]]:
    keys = [("all", "all")]
    keys += [("difficulty", t) for t in problem.tags if t in DIFFICULTIES]
    keys += [("platform", t) for t in problem.tags if t in PLATFORMS]
    if problem.contest_date is not None:
        keys.append(("month", problem.contest_date.strftime("%Y-%m")))
    return keys


def solve_rates(problems: list[Problem], rows: list[ProblemRow]) -> list[RateRow]:
    """One row for all problems, then one per difficulty, platform and month present, in
    that order (months oldest first); problems without attempts are left out."""
    by_id = {p.id: p for p in problems}
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        if row.attempts == 0 or row.id not in by_id:
            continue
        for key in _groups(by_id[row.id]):
            total = sums[key]
            total[0] += 1
            total[1] += row.attempts
            total[2] += row.accepted
            total[3] += row.solved
    order = {"all": 0, "difficulty": 1, "platform": 2, "month": 3}

    def rank(key: tuple[str, str]) -> tuple[int, int, str]:
        group, value = key
        known = DIFFICULTIES if group == "difficulty" else PLATFORMS
        return order[group], known.index(value) if value in known else 0, value

    return [RateRow(group=g, value=v, problems=n, attempts=a, accepted=c, solved=s)
            for (g, v), (n, a, c, s) in sorted(sums.items(), key=lambda kv: rank(kv[0]))]
