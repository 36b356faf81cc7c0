"""Errors raised when a problem cannot be read.

ProblemFormatError
 ├── UnknownFormat      the path is none of the formats we read
 └── MissingAnswer      a test has an input but no expected answer
"""


class ProblemFormatError(ValueError):
    """A problem source is missing, malformed or inconsistent. The message is one line."""


class UnknownFormat(ProblemFormatError):
    pass


class MissingAnswer(ProblemFormatError):
    pass
