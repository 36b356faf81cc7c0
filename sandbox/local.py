"""The local backend: the same runner, as a plain subprocess on this machine.

It enforces limits with rlimits but does not isolate: the program runs as you, sees your
files and your network. It exists for machines without Docker and says so loudly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Sequence

from cpagent.problems.model import Limits
from cpagent.sandbox.base import (
    Progress,
    ResultReader,
    Sandbox,
    as_jobs,
    build_request,
    classify,
    runner_source,
    wall_limit,
)
from cpagent.sandbox.errors import SandboxUnavailable
from cpagent.sandbox.languages import language
from cpagent.sandbox.model import Execution, Job, Program

WARNING = "the local sandbox does not isolate: programs run as you, with your files and network"


class LocalSandbox(Sandbox):
    name = "local"

    def __init__(self, *, quiet: bool = False, size: int | None = None) -> None:
        # `size` (slots, as for the Docker pool) is accepted and unused: processes here are
        # started per run, bounded by the callers' threads.
        if not quiet:
            warnings.warn(WARNING, stacklevel=2)
            print(f"warning: {WARNING}", file=sys.stderr)
        # The interpreter running cpagent is a real python3; PATH may hold only a slow shim.
        self.binaries = {"python": sys.executable, "pypy": shutil.which(language("pypy").binary)}
        self.languages = tuple(name for name, path in self.binaries.items() if path)

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
        binary = self.binaries.get(program.lang)
        if binary is None:
            raise SandboxUnavailable(f"{language(program.lang).binary} is not installed here")
        jobs = as_jobs(jobs)
        with tempfile.TemporaryDirectory(prefix="cpagent-box-") as root:
            request = build_request(
                program,
                jobs,
                limits,
                argv=argv or language(program.lang).argv(binary),
                root=root,
                isolate=False,
                # Without a cgroup, the address space is the only memory wall we have.
                address_space_bytes=(limits.memory_mb + 256) << 20,
            )
            if interaction:
                lang = language(interaction.get("lang", "python"))
                binary = self.binaries.get(lang.name) or sys.executable
                request["interaction"] = {**interaction, "argv": lang.argv(binary)}
            return self._exchange(request, limits, len(jobs), progress)

    def _exchange(self, request: dict, limits: Limits, count: int, progress) -> list[Execution]:
        # The context closes the pipes and reaps the runner on every way out, a raise too.
        with subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", runner_source()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as proc:
            assert proc.stdin and proc.stdout and proc.stderr
            proc.stdin.write(json.dumps(request).encode())
            proc.stdin.close()
            results: list[Execution] = []
            reader = ResultReader()
            for chunk in iter(lambda: proc.stdout.read1(1 << 20), b""):
                for raw in reader.feed(chunk):
                    if "fatal" in raw:
                        raise SandboxUnavailable(f"sandbox runner: {raw['fatal']}")
                    execution = classify(raw, limits)
                    results.append(execution)
                    if progress:
                        progress(len(results) - 1, execution)
            proc.wait(timeout=wall_limit(limits) + 10)
            if len(results) != count:
                err = proc.stderr.read().decode(errors="replace").strip().splitlines()
                why = err[-1] if err else f"exit code {proc.returncode}"
                raise SandboxUnavailable(f"the runner stopped early: {why}")
        return results
