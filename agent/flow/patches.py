"""Repairs the harness makes itself, without a model call, when a failure names its cause
exactly. A small model rarely fixes these from a traceback, and each has one right fix."""

from __future__ import annotations

from dataclasses import dataclass

from cpagent.agent.flow.code import prepend


@dataclass(frozen=True)
class Patch:
    name: str
    marker: str  # text of the failure (message or stderr) that calls for it
    prelude: str  # lines the program gets at its top

    def applies(self, failure: str, code: str) -> bool:
        return self.marker in failure and self.prelude not in code

    def apply(self, code: str) -> str:
        return prepend(code, self.prelude)


PATCHES = (
    # CPython 3.11 refuses int() of a digit string longer than 4300 digits.
    Patch("int-digits", "for integer string conversion",
          "import sys\nsys.set_int_max_str_digits(0)\n"),
    Patch("recursion-limit", "RecursionError: maximum recursion depth",
          "import sys\nsys.setrecursionlimit(1 << 20)\n"),
)


def patch_for(failure: str, code: str) -> Patch | None:
    """The repair a failure calls for, if the program does not have it yet."""
    return next((p for p in PATCHES if p.applies(failure, code)), None)
