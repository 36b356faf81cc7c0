"""What a simulated contest is made of: the contest, what an entrant did, where he placed."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Attempt",
    "Contest",
    "ContestDataError",
    "ContestProblem",
    "Scoring",
    "Standing",
]

Scoring = Literal["codeforces", "icpc"]


class ContestDataError(ValueError):
    """Contest data that cannot be used (malformed JSON, files that do not belong together, an
    attempt at a problem the contest lacks). The message is always one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class ContestProblem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, description="the problem's index in the contest: A, B, C1...")
    rating: int | None = Field(None, description="Codeforces difficulty; None if unrated")
    points: float = Field(0, ge=0, description="maximum points under Codeforces scoring")


class Contest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    codeforces_id: int | None = Field(None, description="the round's Codeforces contest id")
    problems: list[ContestProblem] = Field(min_length=1)
    duration_minutes: int = Field(120, gt=0)
    scoring: Scoring = "codeforces"

    @model_validator(mode="after")
    def _usable(self) -> Contest:
        ids = [p.id for p in self.problems]
        if len(set(ids)) != len(ids):
            raise ValueError(f"problem ids repeat in {ids}")
        if self.scoring == "codeforces" and any(p.points <= 0 for p in self.problems):
            raise ValueError("Codeforces scoring needs the maximum points of every problem")
        return self

    def problem(self, problem_id: str) -> ContestProblem:
        for p in self.problems:
            if p.id == problem_id:
                return p
        raise ContestDataError(f"contest {self.name!r} has no problem {problem_id!r}")


class Attempt(BaseModel):
    """What one entrant did on one problem. Problems without an attempt count as unsolved."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    problem_id: str
    solved: bool
    wrong_attempts: int = Field(0, ge=0, description="rejected submissions before the accepted")
    minutes: float | None = Field(
        None, ge=0, description="contest minute of the accepted submission; None if unknown")


class Standing(BaseModel):
    """Where an entrant placed against a field."""

    model_config = ConfigDict(extra="forbid")

    place: float = Field(description="1 + those ahead + half of those tied: the middle of the "
                                     "places a tie group shares")
    score: float = Field(description="points (Codeforces) or problems solved (ICPC)")
    penalty: float = Field(description="ICPC penalty minutes; 0 under Codeforces scoring")
    performance: float = Field(description="the rating whose expected place is `place`")
    field_size: int = Field(description="entrants in the field, not counting this one")
