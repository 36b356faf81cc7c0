"""The data model of a problem. Every reader produces a `Problem`; everything downstream
consumes one. Models forbid unknown fields so that a typo in a file is an error, not a no-op."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

TestKind = Literal["sample", "secret", "generated"]
Language = Literal["python", "pypy"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Limits(_Model):
    """Per-test resource limits, as a judge states them."""

    time_s: float = Field(2.0, gt=0, description="CPU time limit per test, in seconds")
    memory_mb: int = Field(256, gt=0, description="memory limit per test, in MB")
    output_mb: int = Field(64, gt=0, description="stdout limit per test, in MB")


class TestCase(_Model):
    """One test: its input, the expected answer (None where only a checker can tell) and
    its kind: sample, secret or generated."""

    __test__ = False  # not a pytest class

    name: str
    input: str
    answer: str | None = Field(None, description="expected output; None when unknown")
    kind: TestKind = "secret"


class TokenChecker(_Model):
    """Compare whitespace-separated tokens exactly (the default of most judges)."""

    kind: Literal["tokens"] = "tokens"
    case_sensitive: bool = True


class FloatChecker(_Model):
    """Tokens that parse as numbers match within a tolerance; other tokens must be equal.
    A number is accepted if it is within `abs_tol` absolutely or within `rel_tol` relatively."""

    kind: Literal["float"] = "float"
    abs_tol: float = 1e-6
    rel_tol: float = 1e-6


class ProgramChecker(_Model):
    """A checker program in Python, run inside the sandbox.

    - ``testlib``: ``checker input output answer``; exit 0 accepted, 1 wrong answer,
      2 presentation error, 3 checker failure.
    - ``kattis``: ``validator input answer feedback_dir [flags] < output``; exit 42 accepted,
      43 rejected.
    """

    kind: Literal["testlib", "kattis"]
    source: str
    lang: Language = "python"
    flags: list[str] = Field(default_factory=list)


Checker = Annotated[TokenChecker | FloatChecker | ProgramChecker, Field(discriminator="kind")]


class Call(_Model):
    """LeetCode style: a test calls `Solution().<method>(...)` instead of running a program
    on stdin. A test's input holds the arguments as JSON, one a line, and its answer the JSON
    of what the method returns."""

    method: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    starter: str = Field("", description="the code given to start from: the class and the "
                         "method's signature")


class Problem(_Model):
    """A problem: statement, limits, tests, checker, and where known an input spec, a
    rating and its source. Readers build it (`load_problem`); it is plain data.

        Problem(id="sum", statement="Print a + b.", tests=[
            TestCase(name="1", input="1 2\n", answer="3\n", kind="sample")])
    """

    id: str
    title: str = ""
    statement: str = Field("", description="the statement, markdown or plain text")
    limits: Limits = Field(default_factory=Limits)
    tests: list[TestCase] = Field(default_factory=list)
    checker: Checker = Field(default_factory=TokenChecker)
    interactive: bool = False
    input_spec: dict[str, Any] | None = Field(
        None, description="a declarative InputSpec (see problems.spec), when known"
    )
    rating: int | None = None
    tags: list[str] = Field(default_factory=list)
    source: str = Field("", description="where the problem came from: a path, URL or record id")
    contest_date: date | None = None
    call: Call | None = Field(None, description="set when tests call a method, not stdin")

    def samples(self) -> list[TestCase]:
        return [t for t in self.tests if t.kind == "sample"]

    def examples(self) -> list[TestCase]:
        """The tests a solver may look at, as a contestant sees the statement's examples:
        the samples, or, for a problem that marks none as samples, its first two tests."""
        return self.samples() or self.tests[:2]

    def tests_of(self, *kinds: TestKind) -> list[TestCase]:
        return [t for t in self.tests if t.kind in kinds]
