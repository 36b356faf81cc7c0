"""Training data: `cpagent datagen run` against a scripted model and the real Docker sandbox,
then `cpagent datagen export`. Every exported file must validate against its schema, SFT
records must come from accepted attempts, preference pairs from one problem, generated
answers must be what the problem's reference program prints, and an export killed
part-way and run again must give the very files of one never interrupted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from cpagent.agent.batch import RunSpec, RunStore
from cpagent.agent.datagen import (
    Datasheet,
    ExportOptions,
    PreferenceRecord,
    SftRecord,
    SftSource,
    SuiteManifest,
    TrajectoryRecord,
    export_run,
)
from cpagent.agent.datagen.dedup import mark_duplicates, normalise
from cpagent.agent.flow import Step, Trajectory
from cpagent.agent.llm import CallLog
from cpagent.problems.formats.kattis import read_submissions
from cpagent.problems.load import load_problem
from cpagent.sandbox.model import Program
from tests.conftest import LIBRARY, assert_one_line_error, cpagent
from tests.scripted_server import Reply, ScriptedServer

PROBLEMS = ["temperature-swing", "erase-one-digit"]
SUITE_SIZE = 30


def submission(name: str, category: str) -> str:
    return read_submissions(LIBRARY / name)[category][0].read_text()


def reply_for(request: dict) -> Reply:
    """Attempt 0 writes the accepted program, attempt 1 a wrong one, attempt 2 the accepted
    one again in other clothes (a comment, another name): a near-duplicate. The attempt is
    in the request's seed (attempt * 1000 + the call's number)."""
    prompt = request["messages"][-1]["content"]
    name = next(n for n in PROBLEMS if load_problem(LIBRARY / n).title in prompt)
    attempt = request.get("seed", 0) // 1000
    if attempt == 1:
        return Reply(f"```python\n{submission(name, 'wrong_answer')}```")
    code = submission(name, "accepted")
    if attempt == 2:
        code = "# the same idea again\n" + code.replace("data", "tokens")
    return Reply(f"Read everything, then one pass.\n```python\n{code}```")


def env_for(home: Path) -> dict:
    return {**os.environ, "CPAGENT_HOME": str(home),
            "OPENAI_API_KEY": "x"}


def export_args(out: Path, *more: str) -> list[str]:
    return [sys.executable, "-m", "cpagent", "datagen", "export", "r", "--out", str(out),
            "--suite-size", str(SUITE_SIZE), *more]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """One scripted datagen run, K=3, and its uninterrupted export."""
    home = tmp_path_factory.mktemp("home")
    with ScriptedServer([reply_for] * 50) as server:
        done = subprocess.run(
            [sys.executable, "-m", "cpagent", "datagen", "run",
             *[str(LIBRARY / n) for n in PROBLEMS], "--run", "r", "--model", "scripted",
             "--base-url", server.base_url, "--flow", "oneshot", "--samples", "3",
             "--parallel", "2"], env=env_for(home), capture_output=True, text=True,
            timeout=600)
        assert done.returncode == 0, done.stderr
        requests = list(server.requests)
    out = home / "whole"
    done = subprocess.run(export_args(out), env=env_for(home), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    return home, out, requests


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.docker
def test_every_file_validates_against_its_schema(exported):
    _, out, _ = exported
    trajectories = [TrajectoryRecord.model_validate_json(x)
                    for x in lines(out / "trajectories.jsonl")]
    assert len(trajectories) == len(PROBLEMS) * 3
    for line in lines(out / "sft.jsonl"):
        SftRecord.model_validate_json(line)
        assert list(json.loads(line)) == ["messages"]  # OpenAI refuses any other key
    for line in lines(out / "sft.meta.jsonl"):
        SftSource.model_validate_json(line)
    for line in lines(out / "preferences.jsonl"):
        PreferenceRecord.model_validate_json(line)
    sheet = Datasheet.model_validate_json((out / "datasheet.json").read_text())
    assert sheet.status == "complete" and sheet.attempts == 6 and sheet.accepted == 4
    assert sheet.verdicts == {"AC": 4, "WA": 2}
    assert {s.license for s in sheet.sources} == {"cc by-sa"}  # read from problem.yaml
    suites = sorted((out / "tests").glob("*/suite.json"))
    assert len(suites) == len(PROBLEMS)
    for path in suites:
        SuiteManifest.model_validate_json(path.read_text())
        assert (path.parent / "problem.yaml").is_file()
    markdown = (out / "DATASHEET.md").read_text()
    assert "## Sources and licenses" in markdown and "cc by-sa" in markdown


@pytest.mark.docker
def test_trajectories_hold_the_messages_the_model_saw(exported):
    home, out, requests = exported
    records = [TrajectoryRecord.model_validate_json(x) for x in lines(out / "trajectories.jsonl")]
    asked = {json.dumps(r["messages"]) for r in requests}
    for record in records:
        assert record.model == "scripted" and record.settings["flow"] == "oneshot"
        assert record.settings["attempt"] == record.attempt and record.cpagent_version
        (call,) = record.calls
        sent = [m.model_dump() for m in call.messages[:-1]]
        assert json.dumps(sent) in asked
        assert record.code and record.code.strip() in call.messages[-1].content
        assert record.test_verdicts and all(t.verdict for t in record.test_verdicts)
        assert record.accepted == (record.attempt != 1)
        assert record.accepted == all(t.verdict == "AC" for t in record.test_verdicts)
    with RunStore(home / "runs.db") as store:  # the flow keeps each program in its step
        for attempt in store.attempts("r"):
            step = attempt.result["trajectory"]["steps"][0]
            assert step["name"] == "solution" and step["data"]["code"] == attempt.result["code"]
    # Attempt 2 is attempt 0 with a comment and a renamed variable.
    by_id = {r.id: r for r in records}
    for name in PROBLEMS:
        assert by_id[f"r/{name}/2"].duplicate_of == f"r/{name}/0"
        assert by_id[f"r/{name}/1"].duplicate_of is None


@pytest.mark.docker
def test_sft_records_are_accepted_attempts_and_pairs_share_a_problem(exported):
    _, out, _ = exported
    records = {r.id: r for r in map(TrajectoryRecord.model_validate_json,
                                    lines(out / "trajectories.jsonl"))}
    sft = [SftRecord.model_validate_json(x) for x in lines(out / "sft.jsonl")]
    meta = [SftSource.model_validate_json(x) for x in lines(out / "sft.meta.jsonl")]
    assert len(sft) == len(meta) == len(PROBLEMS)  # one each: attempt 2 is a duplicate
    for example, source in zip(sft, meta, strict=True):
        record = records[source.id]
        assert record.accepted and record.duplicate_of is None
        assert source.response == "reply"  # oneshot: the model's own reply to this prompt
        assert [m.role for m in example.messages] == ["system", "user", "assistant"]
        assert example.messages == record.calls[0].messages
    pairs = [PreferenceRecord.model_validate_json(x) for x in lines(out / "preferences.jsonl")]
    assert len(pairs) == len(PROBLEMS)
    for pair in pairs:
        chosen, rejected = records[pair.chosen_id], records[pair.rejected_id]
        assert chosen.problem == rejected.problem == pair.problem
        assert chosen.accepted and not rejected.accepted
        assert rejected.verdict == pair.rejected_verdict == "WA"
        assert pair.chosen[0].content == chosen.calls[0].messages[-1].content
        assert pair.rejected[0].content == rejected.calls[0].messages[-1].content
        assert pair.prompt == chosen.calls[0].messages[:-1] == rejected.calls[0].messages[:-1]


@pytest.mark.docker
def test_generated_answers_are_what_the_reference_prints(exported, docker_sandbox):
    _, out, _ = exported
    for name in PROBLEMS:
        secret = sorted((out / "tests" / name / "data" / "secret").glob("*.in"))
        assert len(secret) >= SUITE_SIZE - 5  # a few tiny inputs may come out twice
        assert {p.stem.split("-")[1] for p in secret} == {"tiny", "random", "max"}
        inputs = [p.read_text() for p in secret]
        runs = docker_sandbox.run(Program(source=submission(name, "accepted")), inputs,
                                  load_problem(LIBRARY / name).limits)
        for path, run in zip(secret, runs, strict=True):
            assert run.status == "ok"
            assert run.stdout.split() == path.with_suffix(".ans").read_text().split(), path


@pytest.mark.docker
def test_killed_export_resumes_to_the_same_files(exported):
    home, whole, _ = exported
    broken = home / "broken"
    proc = subprocess.Popen(export_args(broken), env=env_for(home),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first_suite = broken / "tests" / PROBLEMS[0] / "suite.json"
    deadline = time.monotonic() + 300
    while not first_suite.exists():
        assert proc.poll() is None, "the export ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (broken / "DATASHEET.md").exists()
    assert json.loads((broken / "datasheet.json").read_text())["status"] == "started"
    # What a kill at a worse moment leaves: a half-written file and a half-built suite.
    (broken / "sft.jsonl.tmp").write_text('{"messages": [')
    (broken / "tests" / f".partial-{PROBLEMS[1]}" / "data").mkdir(parents=True)
    done = subprocess.run(export_args(broken), env=env_for(home), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert tree(broken) == tree(whole)
    # Once every suite is in place, exporting again needs no sandbox at all.
    done = subprocess.run(export_args(broken, "--sandbox", "no-such-sandbox"),
                          env=env_for(home), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert tree(broken) == tree(whole)


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


# -- exports of runs made up in the store ---------------------------------------------------


def attempt_result(code: str | None, solved: bool, verdict: str, steps: list[Step],
                   problem: str) -> dict:
    trajectory = Trajectory(problem=problem, model="m", options={"flow": "full"}, steps=steps,
                            final_code=code, verdict=verdict, calls=1, tokens=100)
    return {"solved": solved, "verdict": verdict, "passed": 1, "tests": 3, "calls": 1,
            "tokens": 100, "seconds": 1.0, "lang": "python", "code": code, "report": None,
            "trajectory": trajectory.model_dump(mode="json")}


def made_up_run(db: Path, problems, results: dict[tuple[str, int], dict]) -> None:
    samples = 1 + max(k for _, k in results)
    with RunStore(db) as store:
        store.create_or_resume("r", RunSpec(kind="datagen", model="m", flow={"flow": "full"},
                                            samples=samples, version="test"), problems)
        for (problem, k), result in results.items():
            store.start("r", problem, k)
            store.finish("r", problem, k, result)


def no_sandbox():
    raise AssertionError("this export should need no sandbox")


class Borrowed:
    """The session's sandbox, lent to an export, which closes what it opened."""

    def __init__(self, box) -> None:
        self.box = box

    def run(self, *args, **kwargs):
        return self.box.run(*args, **kwargs)

    def close(self) -> None:
        pass


@pytest.mark.docker
def test_disagreements_are_dropped_and_brute_forces_vote(tmp_path, docker_sandbox):
    """Two programs the judge accepted, one of them wrong on inputs the known tests lack
    (all readings negative), and a brute force: the suite keeps only what all agree on."""
    name = "temperature-swing"
    right, wrong = submission(name, "accepted"), submission(name, "wrong_answer")
    brute = Step(name="brute", data={"code": submission(name, "brute_force"),
                                     "passes_samples": True})
    made_up_run(tmp_path / "runs.db", [load_problem(LIBRARY / name)], {
        (name, 0): attempt_result(right, True, "AC", [brute], name),
        (name, 1): attempt_result(wrong, True, "AC", [], name),
        (name, 2): attempt_result(None, False, "no code", [], name)})
    with RunStore(tmp_path / "runs.db") as store:
        sheet = export_run(store, "r", tmp_path / "out", ExportOptions(suite_size=SUITE_SIZE),
                           calls=lambda _id: None,
                           open_box=lambda: Borrowed(docker_sandbox))
    manifest = SuiteManifest.model_validate_json(
        (tmp_path / "out" / "tests" / name / "suite.json").read_text())
    assert [v.kind for v in manifest.voters] == ["solution", "solution", "brute_force"]
    assert manifest.dropped.disagreement > 0
    assert sheet.suites[0].dropped.disagreement == manifest.dropped.disagreement
    assert any(t.brute_forces == 1 for t in manifest.tests)  # it voted where it finished
    assert all(t.mode != "max" or t.brute_forces == 0 for t in manifest.tests)
    kept = [(tmp_path / "out" / "tests" / name / "data" / "secret" / t.name) for t in
            manifest.tests]
    runs = docker_sandbox.run(Program(source=right), [p.with_suffix(".in").read_text()
                                                      for p in kept],
                              load_problem(LIBRARY / name).limits)
    for path, run in zip(kept, runs, strict=True):
        assert run.stdout.split() == path.with_suffix(".ans").read_text().split()
    record = TrajectoryRecord.model_validate_json(
        lines(tmp_path / "out" / "trajectories.jsonl")[0])
    assert record.brute_force == submission(name, "brute_force")


def test_a_fix_from_a_debug_round_is_trained_on_as_code(tmp_path):
    """The accepted program came out of a debug prompt: the SFT example pairs the plain
    solution prompt with the program, not with a reply to a prompt it does not show."""
    name = "temperature-swing"
    problem = load_problem(LIBRARY / name)
    right, wrong = submission(name, "accepted"), submission(name, "wrong_answer")
    with CallLog(tmp_path / "logs.db") as log:
        asked = [{"role": "user", "content": "solve it"}]
        first = log.record(model="m", base_url=None, step="solution", key="a",
                           request={"messages": asked}, reply=f"```python\n{wrong}```",
                           reasoning="Let me think.")
        fix = log.record(model="m", base_url=None, step="debug", key="b",
                         request={"messages": asked}, reply=f"Fixed.\n```python\n{right}```")
        steps = [Step(name="solution", candidate=0, calls=[first]),
                 Step(name="debug", candidate=0, calls=[fix])]
        made_up_run(tmp_path / "runs.db", [problem], {
            (name, 0): attempt_result(right, True, "AC", steps, name)})
        with RunStore(tmp_path / "runs.db") as store:
            export_run(store, "r", tmp_path / "out", ExportOptions(suite_size=0),
                       calls=log.get, open_box=no_sandbox)
    (record,) = [TrajectoryRecord.model_validate_json(x)
                 for x in lines(tmp_path / "out" / "trajectories.jsonl")]
    assert [c.step for c in record.calls] == ["solution", "debug"]
    assert record.reasoning == "Let me think."
    (example,) = [SftRecord.model_validate_json(x) for x in lines(tmp_path / "out" / "sft.jsonl")]
    (source,) = [SftSource.model_validate_json(x)
                 for x in lines(tmp_path / "out" / "sft.meta.jsonl")]
    assert source.response == "code" and source.call == fix
    assert example.messages[-1].content == f"```python\n{right}```"
    assert problem.title in example.messages[1].content


def test_decontamination_by_date_leaves_out_late_and_undated_problems(tmp_path):
    names = ["temperature-swing", "erase-one-digit", "flood-level"]
    days = [date(2020, 5, 1), date(2024, 3, 1), None]
    problems = [load_problem(LIBRARY / n).model_copy(update={"contest_date": d})
                for n, d in zip(names, days, strict=True)]
    made_up_run(tmp_path / "runs.db", problems, {
        (n, 0): attempt_result("print(1)\n", True, "AC", [], n) for n in names})
    with RunStore(tmp_path / "runs.db") as store:
        early = export_run(store, "r", tmp_path / "early",
                           ExportOptions(before=date(2024, 1, 1), suite_size=0),
                           calls=lambda _id: None, open_box=no_sandbox)
        late = export_run(store, "r", tmp_path / "late",
                          ExportOptions(after=date(2024, 3, 1), suite_size=0),
                          calls=lambda _id: None, open_box=no_sandbox)
        everything = export_run(store, "r", tmp_path / "all", ExportOptions(suite_size=0),
                                calls=lambda _id: None, open_box=no_sandbox)
    assert [r.problem for r in early.problems] == ["temperature-swing"]
    assert early.excluded_by_date == ["erase-one-digit"]
    assert early.excluded_undated == ["flood-level"]
    assert [r.problem for r in late.problems] == ["erase-one-digit"]  # the day itself counts
    assert everything.problems_exported == 3 and not everything.excluded_undated
    exported = {TrajectoryRecord.model_validate_json(x).problem
                for x in lines(tmp_path / "early" / "trajectories.jsonl")}
    assert exported == {"temperature-swing"}
    assert "1 for want of a date" in (tmp_path / "early" / "DATASHEET.md").read_text()


def test_near_duplicates_ignore_layout_comments_and_names_but_not_outcomes():
    a = ("import sys\n\ndef f(x):\n    '''Doc.'''\n    return x.split()  # words\n\n"
         "print(f(input()))\n")
    b = "import sys\ndef g(line):\n  return line.split()\nprint(g(input()))\n"
    c = "import sys\nn = int(input())\nprint(sum(range(n)) * 2 - n)\n"
    assert normalise(a) == normalise(b)
    assert normalise(a) != normalise(c)
    records = [TrajectoryRecord(
        id=f"r/p/{k}", run="r", problem="p", attempt=k, state="done", accepted=ok,
        verdict="AC" if ok else "WA", passed=1, tests=1, lang="python", code=code,
        test_verdicts=[], counterexamples=[], calls=[], steps=[], tokens=0, n_calls=0,
        seconds=0.0, model="m", settings={}, cpagent_version="", started=None, finished=None)
        for k, (code, ok) in enumerate([(a, True), (b, True), (b, False), (c, True)])]
    marked = [r.duplicate_of for r in mark_duplicates(records)]
    assert marked == [None, "r/p/0", None, None]  # the same program rejected is no duplicate


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    env = {"CPAGENT_HOME": str(tmp_path), "OPENAI_API_KEY": "x"}
    done = cpagent("datagen", "export", "nope", "--out", tmp_path / "out", env=env)
    assert_one_line_error(done, "no run store at")  # a reader creates no store
    RunStore(tmp_path / "runs.db").close()
    done = cpagent("datagen", "export", "nope", "--out", tmp_path / "out", env=env)
    assert_one_line_error(done, "no run named 'nope'")
    done = cpagent("datagen", "export", "nope", "--out", tmp_path / "out", "--before",
                   "2024-13-01", env=env)
    assert_one_line_error(done, "--before '2024-13-01' is not a date")
    made_up_run(tmp_path / "runs.db", [load_problem(LIBRARY / PROBLEMS[0])], {
        (PROBLEMS[0], 0): attempt_result("print(1)\n", True, "AC", [], PROBLEMS[0])})
    done = cpagent("datagen", "export", "r", "--out", tmp_path / "out", "--log",
                   tmp_path / "missing.db", env=env)
    assert_one_line_error(done, "no call log at")
    done = cpagent("datagen", "run", LIBRARY / "no-such-problem", "--run", "r", env=env)
    assert_one_line_error(done, "no-such-problem")
