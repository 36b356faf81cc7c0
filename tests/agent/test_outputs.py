"""Outputs are checked before the work that fills them: a solve whose --out cannot be written
fails before the model is asked anything, and every failure to write is one line, exit 2."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import LIBRARY, assert_one_line_error, cpagent
from tests.scripted_server import ScriptedServer

PROBLEM = LIBRARY / "temperature-swing"
ACCEPTED = PROBLEM / "submissions" / "accepted" / "min_max.py"


@pytest.mark.parametrize("where", ["folder", "proc", "missing", "trace"])
def test_solve_checks_its_outputs_before_any_model_call(tmp_path, where):
    (tmp_path / "folder").mkdir()
    option = {"folder": ("--out", tmp_path / "folder"), "proc": ("--out", "/proc/x.py"),
              "missing": ("--out", tmp_path / "no" / "such" / "x.py"),
              "trace": ("--trace", "/proc/trace.json")}[where]
    with ScriptedServer([]) as server:
        done = cpagent("solve", PROBLEM, "--model", "scripted", "--base-url", server.base_url,
                       "--flow", "oneshot", "--no-log", *option, cwd=tmp_path,
                       env={"CPAGENT_API_KEY": "x"})
        assert server.requests == []  # nothing was paid for
    assert_one_line_error(done, option[0])


def test_gen_into_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    done = cpagent("gen", PROBLEM, "-n", "2", "--out", tmp_path / "file")
    assert_one_line_error(done, "is a file, not a folder")


def test_contest_report_into_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    done = cpagent("contest", "report", "r", "--db", tmp_path / "runs.db", "--out",
                   tmp_path / "file")
    assert_one_line_error(done, "is a file, not a folder")


def test_datagen_export_under_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    done = cpagent("datagen", "export", "r", "--db", tmp_path / "runs.db", "--out",
                   tmp_path / "file" / "sub")
    assert_one_line_error(done, "is a file, not a folder")


@pytest.mark.docker
def test_sigterm_during_stress_is_an_interruption_not_a_traceback(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "cpagent", "stress", str(ACCEPTED),
                             str(PROBLEM), "-r", str(ACCEPTED), "--budget", "300"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(6)  # well into the search
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode in (1, 130), (out, err)
    assert "Traceback" not in out + err and "ExceptionGroup" not in out + err
