"""The container pool: nothing leaks after a crash, a SIGKILL or Ctrl-C, and concurrent
callers share it safely."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from cpagent.problems.model import Limits
from cpagent.sandbox import Program
from cpagent.sandbox.docker_backend import OWNER, DockerSandbox, connect, labelled_containers
from tests.conftest import ROOT

pytestmark = pytest.mark.docker

HOLDER = """
import signal, sys, time
# A terminal delivers Ctrl-C even where this test runs with SIGINT ignored (a background job).
signal.signal(signal.SIGINT, signal.default_int_handler)
from cpagent.problems.model import Limits
from cpagent.sandbox import Program, open_sandbox
box = open_sandbox("docker", size=1)
print("ready", flush=True)
box.run(Program(source="import time; time.sleep(30)"), [""], Limits(time_s=20))
"""


def containers_of(pid: int) -> list:
    with contextlib.closing(connect()) as client:
        found = labelled_containers(client)
    return [c for c in found
            if (c.attrs.get("Labels") or {}).get(OWNER, "").split(":")[1:2] == [str(pid)]]


def gone(pid: int) -> bool:
    """Removal is asynchronous, and another process's start may be removing it too."""
    deadline = time.monotonic() + 60  # a loaded engine may take its time
    while time.monotonic() < deadline:
        if not containers_of(pid):
            return True
        time.sleep(0.2)
    return False


def start_holder() -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "ready"
    for _ in range(100):  # the container starts with the first run
        if containers_of(proc.pid):
            return proc
        time.sleep(0.1)
    raise AssertionError("the holder never started a container")


def test_sigkill_leaves_nothing_after_the_next_start(docker_sandbox):
    with start_holder() as proc:  # the context closes its stdout pipe
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert containers_of(proc.pid), "a killed owner cannot clean up by itself"
    DockerSandbox(size=1).close()  # the next start
    assert gone(proc.pid)


def test_ctrl_c_cleans_up(docker_sandbox):
    with start_holder() as proc:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert gone(proc.pid), [(c.id[:12], c.attrs.get("State"), c.attrs.get("Status"))
                            for c in containers_of(proc.pid)]


def test_close_removes_containers(docker_sandbox):
    import os

    box = DockerSandbox(size=1)
    box.run(Program(source="print(1)"), [""], Limits())
    assert len(containers_of(os.getpid())) >= 1
    mine = {s.container.id for s in box._all}
    box.close()
    with contextlib.closing(connect()) as client:
        left = {c.id for c in labelled_containers(client)}
    assert not mine & left


def test_concurrent_callers_get_their_own_results(docker_sandbox):
    program = Program(source="import sys\nprint(int(sys.stdin.read()) * 2)\n")

    def work(k: int) -> list[str]:
        runs = docker_sandbox.run(program, [f"{k * 100 + i}\n" for i in range(5)], Limits())
        return [r.stdout.strip() for r in runs]

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(work, range(12)))
    assert results == [[str(2 * (k * 100 + i)) for i in range(5)] for k in range(12)]
    assert len(docker_sandbox._all) <= docker_sandbox.size
