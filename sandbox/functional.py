"""LeetCode-style programs: a class `Solution` whose method a test calls. The sandbox runs
them as any program, with the source wrapped: the imports LeetCode's judge provides before
it, and after it a driver that reads the arguments (JSON, one a line of stdin), calls the
method and prints the JSON of its result, so the host checks it as text, like any output."""

from __future__ import annotations

from cpagent.sandbox.model import Program

__all__ = ["runnable_source"]

# What LeetCode's Python judge has imported before a solution's first line.
PRELUDE = """\
from typing import *
import bisect, collections, functools, heapq, itertools, math, operator, re, string
from bisect import *
from collections import *
from functools import *
from heapq import *
from itertools import *
from math import *
"""

DRIVER = """
import json as _cpagent_json, sys as _cpagent_sys
_cpagent_args = [_cpagent_json.loads(_line)
                 for _line in _cpagent_sys.stdin.read().splitlines() if _line.strip()]
print(_cpagent_json.dumps(Solution().{method}(*_cpagent_args)))
"""


def runnable_source(program: Program) -> str:
    """The source the sandbox runs: the program's own, or wrapped when it is called."""
    if program.call is None:
        return program.source
    return PRELUDE + program.source.rstrip("\n") + "\n" + DRIVER.format(method=program.call)

