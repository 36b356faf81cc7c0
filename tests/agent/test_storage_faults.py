"""A full disk is a fault of the machinery, not of an attempt: the run stops with one line and
exit 2, nothing is stored as an attempt's error, and once there is room the same command
finishes every attempt. The disk is a small tmpfs filled on purpose."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys

import pytest

from cpagent.agent.batch import RunStore
from tests.add_k import answer, write_set
from tests.conftest import mount_tmpfs
from tests.provider_emulator import Emulator, openai_reasoning

COUNT = 10


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount_tmpfs(mount, "6m")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk) -> None:
    """Write until the disk is full."""
    with contextlib.suppress(OSError), open(disk / "filler", "wb") as f:
        while True:
            f.write(b"\0" * 65536)
            f.flush()


def _run(emulator: Emulator, problems: list, home) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cpagent", "contest", "run", *map(str, problems), "--run", "r",
         "--model", "o4-mini", "--base-url", emulator.base_url, "--flow", "oneshot"],
        env={**os.environ, "CPAGENT_HOME": str(home), "CPAGENT_API_KEY": "x"},
        capture_output=True, text=True, timeout=600)


def _last_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    return done.stderr.strip().splitlines()[-1]


@pytest.mark.docker
def test_a_disk_full_mid_run_stops_it_and_a_resume_finishes_it(tmp_path, small_disk):
    problems = write_set(tmp_path / "set", COUNT)
    asked = []

    def answer_then_fill(request: dict) -> str:
        asked.append(request)
        if len(asked) == 4:
            fill(small_disk)  # the disk fills while the run is going
        return answer(request)

    with Emulator(openai_reasoning(think_tokens=300), answer_then_fill) as emulator:
        stopped = _run(emulator, problems, small_disk)
        last = _last_line(stopped)
        assert last.startswith("error: cannot ") and "disk is full" in last, last
        (small_disk / "filler").unlink()
        resumed = _run(emulator, problems, small_disk)
    assert resumed.returncode == 0, resumed.stderr
    with RunStore(small_disk / "runs.db") as store:
        attempts = store.attempts("r")
    assert len(attempts) == COUNT
    assert all(a.state == "done" and a.result["solved"] for a in attempts), attempts
    assert all(a.error is None for a in attempts)


@pytest.mark.docker
def test_a_disk_full_at_creation_says_so_in_one_line(tmp_path, small_disk):
    problems = write_set(tmp_path / "set", COUNT)
    fill(small_disk)
    with Emulator(openai_reasoning(), answer) as emulator:
        last = _last_line(_run(emulator, problems, small_disk))
    assert "disk is full" in last and "cannot rollback" not in last, last
    assert emulator.requests == []
