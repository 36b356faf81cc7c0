"""What a problem is: the `Problem` model, its readers and writers, and a library of examples.

This package depends on nothing else of cpagent's.
"""

from problems.errors import MissingAnswer, ProblemFormatError, UnknownFormat
from problems.formats import write_kattis
from problems.load import load_problem
from problems.model import (
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
