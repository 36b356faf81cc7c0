"""A run is owned by one process at a time: a second `contest run` of the same run is
refused in one line while the first goes on undisturbed, and a run whose owner was killed
resumes at once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from cpagent.agent.batch import RunStore, RunStoreError
from cpagent.sandbox.owner import _start_time, owner_tag
from tests.add_k import answer, write_set
from tests.provider_emulator import Emulator, openai_reasoning

COUNT = 12


def _command(emulator: Emulator, problems: list, run: str = "r") -> list[str]:
    return [sys.executable, "-m", "cpagent", "contest", "run", *map(str, problems), "--run",
            run, "--model", "o4-mini", "--base-url", emulator.base_url, "--flow", "oneshot",
            "--parallel", "2"]


def _env(home) -> dict[str, str]:
    return {**os.environ, "CPAGENT_HOME": str(home), "CPAGENT_API_KEY": "x"}


def _wait_for_lease(db, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if db.exists():
            with RunStore(db) as store:
                if any(a.state != "pending" for a in _attempts(store)):
                    return
        assert proc.poll() is None, "the first run ended too soon"
        time.sleep(0.05)
    pytest.fail("the first run never started an attempt")


def _attempts(store: RunStore) -> list:
    try:
        return store.attempts("r")
    except RunStoreError:
        return []


def _start_first(emulator: Emulator, problems: list, home) -> subprocess.Popen:
    """The first process of a run, once it is under way (it holds the run)."""
    first = subprocess.Popen(_command(emulator, problems), env=_env(home),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _wait_for_lease(home / "runs.db", first)
    return first


@pytest.fixture
def slow_model(tmp_path):
    """The problem set, the home folder, and a model that takes half a second a call."""
    with Emulator(openai_reasoning(think_tokens=300), answer, latency_s=0.5) as emulator:
        yield write_set(tmp_path / "set", COUNT), tmp_path / "home", emulator


@pytest.mark.docker
def test_a_second_process_on_the_same_run_is_refused_and_the_first_is_undisturbed(slow_model):
    problems, home, emulator = slow_model
    first = _start_first(emulator, problems, home)
    second = subprocess.run(_command(emulator, problems), env=_env(home),
                            capture_output=True, text=True, timeout=120)
    assert first.wait(timeout=600) == 0, first.stderr.read()
    assert second.returncode == 2
    assert second.stderr.strip().splitlines()[-1].startswith(
        f"error: run r is being run by process {first.pid}")
    with RunStore(home / "runs.db") as store:
        attempts = store.attempts("r")
    assert all(a.state == "done" and a.starts == 1 for a in attempts)
    assert len(emulator.requests) == COUNT  # nobody asked twice


@pytest.mark.docker
def test_a_run_whose_owner_was_killed_resumes_at_once(slow_model):
    problems, home, emulator = slow_model
    first = _start_first(emulator, problems, home)
    first.send_signal(signal.SIGKILL)
    first.wait()
    resumed = subprocess.run(_command(emulator, problems), env=_env(home),
                             capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed" in resumed.stderr
    with RunStore(home / "runs.db") as store:
        assert all(a.state == "done" for a in store.attempts("r"))


def test_a_live_holders_lease_refuses_and_a_dead_ones_is_taken_over(tmp_path):
    host = socket.gethostname()
    with RunStore(tmp_path / "runs.db") as store:
        # pid 1 (init) is alive: its lease holds
        store._db.execute("INSERT INTO leases VALUES ('r', ?, 'earlier')",
                          (f"{host}:1:{_start_time(1)}",))
        with pytest.raises(RunStoreError, match="is being run by process 1"), \
                store.owning("r"):
            pass
        # a pid that no longer runs (or runs with another start time): taken over at once
        store._db.execute("UPDATE leases SET owner = ? WHERE run = 'r'", (f"{host}:1:0",))
        with store.owning("r"):
            row = store._db.execute("SELECT owner FROM leases WHERE run = 'r'").fetchone()
            assert row["owner"] == owner_tag()
        assert store._db.execute("SELECT COUNT(*) FROM leases").fetchone()[0] == 0
