"""The sandbox interface: `run(program, jobs, limits) -> executions`, and what every backend
shares -- the request the runner reads and the reading of its evidence."""

from __future__ import annotations

import functools
import json
import signal
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from cpagent.problems.model import Limits
from cpagent.sandbox.functional import runnable_source
from cpagent.sandbox.languages import language
from cpagent.sandbox.model import Execution, Job, Program

Progress = Callable[[int, Execution], None]

# Room on top of the solution's own limit and its output: the runner, and every tmpfs a
# test can fill (/box, /tmp, /dev/shm), so that filling them cannot starve the runner.
TMPFS_MB = {"/box": 64, "/tmp": 32}
SHM_MB = 16
RUNNER_HEADROOM_MB = 64 + sum(TMPFS_MB.values()) + SHM_MB


@functools.cache
def runner_source() -> str:
    return (Path(__file__).parent / "runner.py").read_text()


def wall_limit(limits: Limits) -> float:
    """Wall-clock allowance: generous, so a loaded machine does not turn AC into TLE."""
    return max(2.0 * limits.time_s + 1.0, limits.time_s + 3.0)


def as_jobs(jobs: Sequence[Job | str]) -> list[Job]:
    return [j if isinstance(j, Job) else Job(stdin=j) for j in jobs]


def build_request(program: Program, jobs: Sequence[Job], limits: Limits, **extra: Any) -> dict:
    spec = language(program.lang)
    return {
        "argv": extra.pop("argv", None) or spec.argv(),
        "files": {spec.file_name: runnable_source(program)},
        "limits": {
            "cpu_s": limits.time_s,
            "wall_s": wall_limit(limits),
            "memory_bytes": limits.memory_mb << 20,
            "output_bytes": limits.output_mb << 20,
            "processes": 64,
            "address_space_bytes": extra.pop("address_space_bytes", None),
        },
        "tests": [job.model_dump() for job in jobs],
        **extra,
    }


def classify(raw: dict, limits: Limits) -> Execution:
    """Turn the runner's evidence into a status. The order matters: an OOM kill also shows
    up as SIGKILL, and a program stopped by RLIMIT_CPU also shows up as a signal."""
    sig = raw.get("signal")
    code = raw.get("exit_code")
    cpu = raw.get("cpu_s", 0.0)
    fields = {k: raw[k] for k in Execution.model_fields if k in raw and raw[k] is not None}
    if code == 127 and raw.get("stderr", "").startswith("runner: cannot start program"):
        status, reason = "failed", raw["stderr"].strip()
    elif raw.get("oom_killed"):
        status, reason = "mle", "killed by the out-of-memory killer"
    elif raw.get("wall_killed"):
        status, reason = "tle", f"still running after {raw.get('wall_s', 0):.1f}s of wall time"
    elif cpu > limits.time_s or sig == signal.SIGXCPU:
        status, reason = "tle", f"{cpu:.2f}s of CPU time, limit {limits.time_s:g}s"
    elif raw.get("output_limit_hit") or sig == signal.SIGXFSZ:
        status, reason = "ole", f"more than {limits.output_mb} MB of output"
    elif raw.get("memory_kb", 0) > limits.memory_mb * 1024:
        status, reason = "mle", f"peak memory {raw['memory_kb'] // 1024} MB"
    elif raw.get("group_memory_kb", 0) > limits.memory_mb * 1024:
        status, reason = "mle", f"its processes held {raw['group_memory_kb'] // 1024} MB together"
    elif code == 0 and sig is None:
        status, reason = "ok", ""
    elif sig is not None:
        status, reason = "re", f"killed by signal {signal.Signals(sig).name}"
    else:
        status, reason = "re", f"exit code {code}" + _last_line(raw.get("stderr", ""))
    if status == "re" and "MemoryError" in raw.get("stderr", ""):
        status, reason = "mle", "MemoryError"
    return Execution(status=status, reason=reason, **fields)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return f": {lines[-1].strip()[:200]}" if lines else ""


class ResultReader:
    """Parses the runner's stdout as it arrives: JSON header lines, each followed by
    `payload` raw bytes of the program's output (see runner.py)."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.header: dict | None = None
        self.hello: dict = {}

    def feed(self, data: bytes) -> Iterator[dict]:
        self.buffer += data
        while True:
            if self.header is None:
                end = self.buffer.find(b"\n")
                if end < 0:
                    return
                header = json.loads(bytes(self.buffer[:end]))
                del self.buffer[: end + 1]
                if "hello" in header:
                    self.hello = header
                    continue
                self.header = header
            size = self.header.get("payload", 0)
            if len(self.buffer) < size:
                return
            result, self.header = self.header, None
            result["stdout"] = bytes(self.buffer[:size]).decode("utf-8", "replace")
            del self.buffer[:size]
            yield result


class Sandbox(ABC):
    """Runs programs on inputs under limits. A program that fails is a result, not an error;
    only a sandbox that cannot run at all raises (SandboxUnavailable)."""

    name: str = "abstract"
    languages: tuple[str, ...] = ("python", "pypy")

    @abstractmethod
    def run(
        self,
        program: Program,
        jobs: Sequence[Job | str],
        limits: Limits,
        *,
        argv: list[str] | None = None,
        progress: Progress | None = None,
        interaction: dict | None = None,
    ) -> list[Execution]:
        """Run `program` once per job, in order, and return one Execution per job.

        With `interaction` (see sandbox.interactive), each job is the interactor's: the
        program talks to it through pipes, and gets no stdin of its own."""

    def close(self) -> None:  # noqa: B027 - backends without resources keep the default
        pass

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
