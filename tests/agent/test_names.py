"""Names from outside never become paths outside the place meant for them: a problem id is
made a safe file name, and a run name that is not plain is refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpagent.agent.paths import MAX_NAME, check_run_name, safe_file_name
from tests.conftest import FIXTURES, assert_one_line_error, cpagent
from tests.scripted_server import ScriptedServer

PROGRAM = "a, b = map(int, input().split())\nprint(a + b)\n"


@given(st.text(max_size=300))
def test_a_safe_name_is_one_plain_component_of_bounded_length(name):
    safe = safe_file_name(name)
    assert safe and len(safe) <= MAX_NAME
    assert "/" not in safe and "\\" not in safe and "\0" not in safe
    assert not safe.startswith(".") and Path(safe).name == safe
    assert safe_file_name(name) == safe  # the same name, the same file


@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_two_names_that_clean_up_alike_stay_apart(a, b):
    if a != b:
        assert safe_file_name(a) != safe_file_name(b)


def test_plain_names_are_kept_as_they_are():
    assert safe_file_name("1041_e_tree_reconstruction_8858") == "1041_e_tree_reconstruction_8858"
    assert safe_file_name("../../evil_id").startswith("evil_id-")
    assert safe_file_name("/etc/passwd").startswith("etc_passwd-")
    assert safe_file_name("..") != safe_file_name(".")


@pytest.mark.parametrize("name", ["../x", "/abs/path", "", ".hidden", "a/b", "x" * 81, "a..b"])
def test_a_run_name_that_is_not_plain_is_refused(name):
    with pytest.raises(ValueError, match="is not a plain name"):
        check_run_name(name)


@pytest.mark.parametrize("name", ["../x", "/tmp/abs-run", ""])
def test_contest_run_refuses_a_path_for_a_run_name(tmp_path, name):
    done = cpagent("contest", "run", FIXTURES / "codecontests" / "two.jsonl", "--run", name,
                   "--model", "scripted", "--base-url", "http://127.0.0.1:9/v1",
                   cwd=tmp_path, env={"CPAGENT_HOME": str(tmp_path / "home"),
                                      "CPAGENT_API_KEY": "x"})
    assert_one_line_error(done, "is not a plain name")
    assert not (tmp_path / "x").exists() and not Path("/tmp/abs-run").exists()


def test_contest_report_refuses_a_path_for_a_run_name(tmp_path):
    done = cpagent("contest", "report", "../x", "--db", tmp_path / "runs.db", cwd=tmp_path)
    assert_one_line_error(done, "is not a plain name")


@pytest.mark.docker
def test_a_problem_id_that_is_a_path_is_written_inside_the_working_folder(tmp_path):
    record = json.loads((FIXTURES / "codecontests" / "two.jsonl").read_text().splitlines()[0])
    record["id"] = "../../evil_id"
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    (work / "evil.jsonl").write_text(json.dumps(record) + "\n")
    with ScriptedServer([f"```python\n{PROGRAM}```"]) as server:
        done = cpagent("solve", work / "evil.jsonl", "--model", "scripted", "--base-url",
                       server.base_url, "--flow", "oneshot", "--no-log", cwd=work,
                       env={"CPAGENT_API_KEY": "x"})
    assert done.returncode == 0, done.stdout + done.stderr
    written = [p.name for p in work.glob("*.py")]
    assert len(written) == 1 and written[0].startswith("evil_id-")
    assert not (tmp_path / "evil_id.py").exists()
