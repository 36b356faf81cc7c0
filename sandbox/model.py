"""What goes into a sandbox and what comes out of it."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cpagent.problems.model import Language, Limits

__all__ = ["Execution", "Job", "Language", "Limits", "Program", "RunStatus", "Verdict"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Program(_Model):
    """A program in one of the sandbox's languages, as source text."""

    source: str
    lang: Language = "python"
    # LeetCode style: run as `Solution().<call>(*arguments)`, each line of stdin one argument
    # as JSON, and print the JSON of what it returns (see sandbox.functional).
    call: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")


class Job(_Model):
    """One run of a program: its stdin, files it may read, and extra arguments.

    Arguments may name `{data}/<file>` for files given here and `{work}` for the run's
    working directory; checker programs are called that way.
    """

    stdin: str = ""
    files: dict[str, str] = Field(default_factory=dict)
    args: list[str] = Field(default_factory=list)
    feedback_dir: bool = False


RunStatus = Literal["ok", "re", "tle", "mle", "ole", "failed"]


class Execution(_Model):
    """What one run did, with the evidence for its status."""

    status: RunStatus
    exit_code: int | None = None
    signal: int | None = None
    cpu_s: float = 0.0
    wall_s: float = 0.0
    memory_kb: int = 0
    stdout: str = ""
    stdout_bytes: int = 0
    stderr: str = ""
    feedback: dict[str, str] = Field(default_factory=dict)
    reason: str = Field("", description="why the status is what it is, in a few words")


class Verdict(StrEnum):
    """Judge verdicts, in the order a report names the worst first."""

    IE = "IE"  # internal error: the checker failed, not the solution
    TLE = "TLE"
    MLE = "MLE"
    OLE = "OLE"
    RE = "RE"
    PE = "PE"
    WA = "WA"
    AC = "AC"

    @property
    def accepted(self) -> bool:
        return self is Verdict.AC
