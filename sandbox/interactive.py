"""Interactive problems: the solution talks to an interactor instead of reading a test.

For an interactive problem the checker program is its interactor, as in a Kattis package,
whose output validator runs as the interactor:

    interactor input answer feedback_dir [flags]

with its stdin the solution's stdout and its stdout the solution's stdin; exit 42 accepts,
43 rejects, the reason in `feedback_dir/judgemessage.txt`. The two run in the sandbox as
separate processes, under separate uids, joined only by the runner's relay (see runner.py):
the test's input and answer are the interactor's files, which the solution cannot read.

A verdict comes from evidence, in this order:
- nothing moved for a while (no byte either way, no CPU on either side): TLE, as
  "idleness" -- what a solution that forgets to flush gets, as on a judge;
- the interactor rejected before the solution ended: WA, with its message;
- the solution ended first by a failure (RE, TLE, MLE, OLE): that failure;
- then the interactor's word: 42 AC, 43 WA; anything else is the interactor's failure (IE).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cpagent.problems.model import Limits, Problem, ProgramChecker, TestCase
from cpagent.sandbox.base import Sandbox, wall_limit
from cpagent.sandbox.errors import SandboxError
from cpagent.sandbox.languages import language
from cpagent.sandbox.model import Execution, Job, Program, Verdict

__all__ = [
    "Exchange",
    "Interaction",
    "interactor_of",
    "run_interactive",
    "verdict_of",
]

INTERACTION_KEY = "/interaction"  # the runner's key in Execution.feedback (see runner.py)
INTERACTOR_MEMORY_MB = 512
IDLE_S = 1.0  # the runner's IDLE_S, for messages
RUN_VERDICTS = {"tle": Verdict.TLE, "mle": Verdict.MLE, "ole": Verdict.OLE, "re": Verdict.RE}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Exchange(_Model):
    """Bytes one side sent, as they came (one message or several run together)."""

    side: Literal["solution", "interactor"]
    text: str


class InteractorRun(_Model):
    exit_code: int | None = None
    signal: int | None = None
    cpu_s: float = 0.0
    killed: str = Field("", description="why the runner killed it: wall, idle, or empty")
    stderr: str = ""
    message: str = Field("", description="its judgemessage.txt, else its stderr")


class Interaction(_Model):
    """What happened between the two programs on one test."""

    interactor: InteractorRun
    first: Literal["solution", "interactor"] | None = Field(
        None, description="which program ended first")
    idle: bool = False
    solution_killed: str = Field("", description="why the runner killed the solution")
    transcript: list[Exchange] = Field(default_factory=list)
    transcript_cut: bool = False
    bytes_sent: dict[str, int] = Field(default_factory=dict)

    def transcript_text(self, limit: int = 4000) -> str:
        """The exchange as a judge's log shows it: `> ` what the solution sent, `< ` what
        the interactor answered."""
        lines = []
        for part in self.transcript:
            mark = ">" if part.side == "solution" else "<"
            lines += [f"{mark} {line}" for line in part.text.splitlines()]
        text = "\n".join(lines)
        if len(text) > limit or self.transcript_cut:
            text = text[:limit] + "\n... (cut)"
        return text


def interactor_of(problem: Problem) -> ProgramChecker:
    """The problem's interactor, or a SandboxError saying what is missing."""
    checker = problem.checker
    if isinstance(checker, ProgramChecker) and checker.kind == "kattis":
        return checker
    if isinstance(checker, ProgramChecker):
        raise SandboxError(f"{problem.id} is interactive with a {checker.kind} interactor; "
                           "only Kattis-style interactors (exit 42/43) run so far")
    raise SandboxError(
        f"{problem.id} is interactive and needs an interactor: give a Kattis package with "
        "`validation: custom interactive` and a Python output validator, or put an "
        "interactor.py beside the statement")


def interaction_request(interactor: ProgramChecker, limits: Limits) -> dict:
    """The runner's `interaction`: the interactor's program and its own limits, generous
    (it is the judge's code) but bounded by the test's wall clock."""
    spec = language(interactor.lang)
    wall = wall_limit(limits)
    return {
        "lang": interactor.lang,
        "argv": spec.argv(),
        "files": {spec.file_name: interactor.source},
        "limits": {
            "cpu_s": wall,
            "wall_s": wall,
            "memory_bytes": INTERACTOR_MEMORY_MB << 20,
            "output_bytes": 1 << 20,  # its feedback files
            "processes": 16,
            "address_space_bytes": None,
        },
    }


def interactor_job(test: TestCase, flags: Sequence[str]) -> Job:
    return Job(
        files={"input": test.input, "answer": test.answer or ""},
        args=["{data}/input", "{data}/answer", "{work}/feedback/", *flags],
    )


def split(execution: Execution) -> tuple[Execution, Interaction]:
    """The solution's execution and the interaction the runner reported beside it."""
    feedback = dict(execution.feedback)
    raw = json.loads(feedback.pop(INTERACTION_KEY, "null"))
    if raw is None:
        interaction = Interaction(interactor=InteractorRun(killed="not started"))
    else:
        inter = raw["interactor"]
        message = (feedback.get("judgemessage.txt") or inter.get("stderr") or "").strip()
        interaction = Interaction(
            interactor=InteractorRun(**inter, message=message[:500]),
            first=raw.get("first"),
            idle=raw.get("idle", False),
            solution_killed=raw.get("killed", ""),
            transcript=[Exchange(side="solution" if side == "s" else "interactor", text=text)
                        for side, text in raw.get("transcript", [])],
            transcript_cut=raw.get("transcript_cut", False),
            bytes_sent=raw.get("bytes", {}),
        )
    return execution.model_copy(update={"feedback": feedback}), interaction


def run_interactive(
    sandbox: Sandbox,
    program: Program,
    interactor: ProgramChecker,
    tests: Sequence[TestCase],
    limits: Limits,
    *,
    progress: Callable[[int, Execution], None] | None = None,
) -> list[tuple[Execution, Interaction]]:
    """Run `program` against the interactor once per test; the tests' inputs and answers go
    to the interactor alone."""
    jobs = [interactor_job(test, interactor.flags) for test in tests]
    runs = sandbox.run(program, jobs, limits, progress=progress,
                       interaction=interaction_request(interactor, limits))
    return [split(run) for run in runs]


def verdict_of(run: Execution, interaction: Interaction) -> tuple[Verdict, str]:
    """The verdict of one interactive test and why (see the module's docstring)."""
    inter = interaction.interactor
    if run.status == "failed":
        return Verdict.IE, run.reason
    if interaction.idle:
        return Verdict.TLE, (f"idleness: neither program wrote a byte or used the CPU for "
                             f"{IDLE_S:g}s (a query not flushed?)")
    rejected = inter.exit_code == 43
    if rejected and interaction.first == "interactor":
        return Verdict.WA, inter.message or "rejected by the interactor"
    if run.status != "ok" and interaction.solution_killed != "rejected":
        return RUN_VERDICTS[run.status], run.reason
    if rejected:
        return Verdict.WA, inter.message or "rejected by the interactor"
    if inter.exit_code == 42:
        return Verdict.AC, inter.message
    if inter.killed:
        return Verdict.IE, f"the interactor did not finish ({inter.killed})"
    how = f"signal {inter.signal}" if inter.signal is not None else f"code {inter.exit_code}"
    tail = inter.stderr.strip().splitlines()[-1:] or [""]
    return Verdict.IE, f"the interactor exited with {how}: {tail[0][:200]}".rstrip(": ")
