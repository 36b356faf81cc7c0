"""Where code meets tests: sandboxes that run programs under limits, checkers, the judge.

    from cpagent.sandbox import open_sandbox, judge, Program
    with open_sandbox("docker") as box:
        report = judge(box, Program(source=code), problem)
"""

from __future__ import annotations

from cpagent.sandbox.base import Sandbox
from cpagent.sandbox.errors import SandboxError, SandboxUnavailable
from cpagent.sandbox.judge import JudgeReport, TestResult, judge
from cpagent.sandbox.model import Execution, Job, Program, Verdict

BACKENDS = ("docker", "local")


def open_sandbox(name: str = "docker", **options) -> Sandbox:
    """A sandbox backend by name: "docker" (isolated, the default) or "local" (not isolated)."""
    if name == "docker":
        from cpagent.sandbox.docker_backend import DockerSandbox

        return DockerSandbox(**options)
    if name == "local":
        from cpagent.sandbox.local import LocalSandbox

        return LocalSandbox(**options)
    raise SandboxUnavailable(f"unknown sandbox {name!r}; choose one of {', '.join(BACKENDS)}")


__all__ = [
    "BACKENDS",
    "Execution",
    "Job",
    "JudgeReport",
    "Program",
    "Sandbox",
    "SandboxError",
    "SandboxUnavailable",
    "TestResult",
    "Verdict",
    "judge",
    "open_sandbox",
]
