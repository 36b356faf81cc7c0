"""What a problem is: the `Problem` model, its readers and writers, and a library of examples.

This package depends on nothing else of cpagent's.
"""

from cpagent.problems.errors import MissingAnswer, ProblemFormatError, UnknownFormat
from cpagent.problems.formats import write_kattis
from cpagent.problems.load import load_problem
from cpagent.problems.model import (
    Checker,
    FloatChecker,
    Limits,
    Problem,
    ProgramChecker,
    TestCase,
    TokenChecker,
)

__all__ = [
    "Checker",
    "FloatChecker",
    "Limits",
    "MissingAnswer",
    "Problem",
    "ProblemFormatError",
    "ProgramChecker",
    "TestCase",
    "TokenChecker",
    "UnknownFormat",
    "load_problem",
    "write_kattis",
]
