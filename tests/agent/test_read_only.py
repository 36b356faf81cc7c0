"""Commands that only read open their databases read-only: they create nothing, write no
schema into an empty file, and work on a read-only mount."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cpagent.agent.batch import RunSpec, RunStore
from cpagent.agent.llm import CallLog
from cpagent.problems.load import load_problem
from tests.conftest import LIBRARY, assert_one_line_error, cpagent, mount_tmpfs


def test_listing_runs_of_a_missing_store_creates_nothing(tmp_path):
    for args in (("contest", "list"), ("contest", "status", "r"), ("contest", "report", "r")):
        done = cpagent(*args, "--db", tmp_path / "nope.db", cwd=tmp_path)
        assert_one_line_error(done, "no run store at")
    assert list(tmp_path.iterdir()) == []


def test_reading_an_empty_file_as_a_log_leaves_it_empty(tmp_path):
    (tmp_path / "empty.db").write_bytes(b"")
    done = cpagent("logs", "--log", tmp_path / "empty.db")
    assert_one_line_error(done, "the file is empty")
    assert (tmp_path / "empty.db").read_bytes() == b""


@pytest.fixture
def read_only_mount(tmp_path):
    """A tmpfs holding a run store and a call log, remounted read-only."""
    mount = tmp_path / "ro"
    mount_tmpfs(mount, "8m")
    try:
        problem = load_problem(LIBRARY / "temperature-swing")
        with RunStore(tmp_path / "runs.db") as store:
            store.create_or_resume("r", RunSpec(model="m", flow={"flow": "oneshot"}), [problem])
        with CallLog(tmp_path / "logs.db") as log:
            log.record(model="m", base_url=None, step="s", key="k", request={}, reply="hi")
        for name in ("runs.db", "logs.db"):
            shutil.copy(tmp_path / name, mount / name)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_read_only_commands_work_on_a_read_only_mount(read_only_mount):
    for args in (("contest", "list"), ("contest", "status", "r")):
        done = cpagent(*args, "--db", read_only_mount / "runs.db")
        assert done.returncode == 0, done.stderr
        assert "r" in done.stdout
    for args, shown in (((), "hi"), (("totals",), "m ")):
        done = cpagent("logs", *args, "--log", read_only_mount / "logs.db")
        assert done.returncode == 0, done.stderr
        assert shown in done.stdout
