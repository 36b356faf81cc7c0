"""SandboxFusion's `/run_code`, spoken by cpagent: its request and response, and the mapping
from a sandbox Execution to the response.

The shapes follow SandboxFusion's server (`sandbox/server/sandbox_api.py`: RunCodeRequest,
RunCodeResponse, RunStatus; `sandbox/runners/types.py`: CommandRunResult, CommandRunStatus)
and what verl's client sends and reads (`verl/utils/reward_score/sandbox_fusion/utils.py`:
`compile_timeout, run_timeout, code, stdin, memory_limit_MB, language, files, fetch_files`;
it reads `status`, `compile_result` and `run_result.{status, stdout, stderr, return_code,
execution_time}`). Unknown request fields are ignored, as SandboxFusion's pydantic models do.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cpagent.sandbox.model import Execution

__all__ = ["LANGUAGES", "CommandRunResult", "RunCodeRequest", "RunCodeResponse", "refused",
           "response_for"]

# What cpagent runs, by the names a SandboxFusion client may use for it. "pypy" is ours.
LANGUAGES = {"python": "python", "python3": "python", "pypy": "pypy", "pypy3": "pypy"}

RunStatus = Literal["Success", "Failed", "SandboxError"]
CommandRunStatus = Literal["Finished", "Error", "TimeLimitExceeded"]


class RunCodeRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: str = Field(..., description="the program's source")
    language: str = Field(..., examples=["python"], description="python or pypy; other "
                          "SandboxFusion languages get status SandboxError")
    stdin: str | None = Field(None, description="the program's standard input")
    run_timeout: float = Field(10, gt=0, description="seconds of CPU time the run may take")
    compile_timeout: float = Field(10, description="accepted and ignored: nothing compiles")
    memory_limit_MB: int = Field(-1, description="memory limit in MB; -1 or 0: the server's "
                                 "default")
    files: dict[str, str | None] = Field(default_factory=dict,
                                         description="must be empty: files are not supported")
    fetch_files: list[str] = Field(default_factory=list,
                                   description="must be empty: files are not supported")


class CommandRunResult(BaseModel):
    status: CommandRunStatus
    execution_time: float | None = None
    return_code: int | None = None
    stdout: str | None = None
    stderr: str | None = None


class CpagentDetail(BaseModel):
    """cpagent's own reading of the run, beside SandboxFusion's fields."""

    status: str
    reason: str = ""
    cpu_s: float = 0.0
    memory_kb: int = 0


class RunCodeResponse(BaseModel):
    status: RunStatus
    message: str = ""
    compile_result: CommandRunResult | None = None
    run_result: CommandRunResult | None = None
    executor_pod_name: str | None = None
    files: dict[str, str] = Field(default_factory=dict)
    cpagent: CpagentDetail | None = None


def refused(message: str) -> RunCodeResponse:
    """What SandboxFusion answers when it cannot run a request: status SandboxError, the
    reason in `message`, no results."""
    return RunCodeResponse(status="SandboxError", message=message)


def response_for(run: Execution) -> RunCodeResponse:
    """A finished run, as SandboxFusion reports one: TLE as TimeLimitExceeded, any other
    failure as Finished with a non-zero return code (a signal as its negative number, the
    way a Python subprocess reports it), a sandbox failure as SandboxError."""
    detail = CpagentDetail(status=run.status, reason=run.reason, cpu_s=run.cpu_s,
                           memory_kb=run.memory_kb)
    if run.status == "failed":
        response = refused(run.reason or "the sandbox could not run the program")
        response.cpagent = detail
        return response
    if run.status == "tle":
        code, status = None, "TimeLimitExceeded"
    else:
        code = run.exit_code if run.exit_code is not None else -(run.signal or 9)
        status = "Finished"
        if run.status != "ok" and code == 0:
            code = 1  # over the memory or output limit, yet exited 0: still a failure
    result = CommandRunResult(status=status, execution_time=round(run.wall_s, 4),
                              return_code=code, stdout=run.stdout, stderr=run.stderr)
    ok = run.status == "ok" and code == 0
    return RunCodeResponse(status="Success" if ok else "Failed", run_result=result,
                           cpagent=detail)
