"""Turning the errors of every layer into a one-line reason and exit code 2, in one place."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import typer

from cpagent.agent.batch.store import RunStoreError
from cpagent.agent.contest.model import ContestDataError
from cpagent.agent.llm.errors import ModelError
from cpagent.agent.local.errors import LocalModelError
from cpagent.problems.errors import ProblemFormatError
from cpagent.sandbox.errors import SandboxError

BAD_INPUT = 2
# What a user can fix: a missing file, a malformed package, a sandbox that is not there.
USER_ERRORS = (ProblemFormatError, SandboxError, ModelError, LocalModelError, RunStoreError,
               ContestDataError,
               UnicodeDecodeError, ValueError,
               # A file that cannot be read or written (missing, a folder, no permission, a
               # read-only mount, a full disk) is said in one line too.
               OSError)


def fail(message: str) -> typer.Exit:
    print(f"error: {message}", file=sys.stderr)
    return typer.Exit(BAD_INPUT)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    try:
        yield
    except USER_ERRORS as exc:
        text = str(exc).strip().splitlines()
        raise fail(text[0] if text else type(exc).__name__) from None
