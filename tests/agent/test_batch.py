"""Batch runs: the SQLite run store, and `cpagent contest run` killed with SIGKILL half-way
and resumed, which must end with exactly the results of a run that was never interrupted.
The model is a scripted OpenAI-compatible server on loopback whose reply depends only on
the prompt, so both runs are asked the same and must decide the same."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from cpagent.agent.batch import RunSpec, RunStore, RunStoreError
from cpagent.agent.flow import FlowOptions
from cpagent.problems.formats.kattis import read_submissions
from cpagent.problems.load import load_problem
from tests.conftest import LIBRARY, ROOT, assert_one_line_error, cpagent
from tests.scripted_server import Reply, ScriptedServer

PROBLEMS = ["temperature-swing", "erase-one-digit", "ferry-crossings", "flood-level"]


def spec(**changes) -> RunSpec:
    return RunSpec(model="m", flow={"flow": "oneshot"}, samples=2).model_copy(update=changes)


def test_store_creates_resumes_and_refuses_other_settings(tmp_path):
    problems = [load_problem(LIBRARY / name) for name in PROBLEMS[:2]]
    with RunStore(tmp_path / "runs.db") as store:
        assert store.create_or_resume("r", spec(), problems) is False
        assert store.pending("r") == [(p.id, k) for k in (0, 1) for p in problems]
        store.start("r", problems[0].id, 0)
        store.finish("r", problems[0].id, 0, {"solved": True})
        store.start("r", problems[1].id, 0)  # the process "dies" here
    with RunStore(tmp_path / "runs.db") as store:
        assert store.create_or_resume("r", spec(), problems) is True
        states = {(a.problem, a.attempt): (a.state, a.starts) for a in store.attempts("r")}
        assert states[(problems[0].id, 0)] == ("done", 1)
        assert states[(problems[1].id, 0)] == ("pending", 1)  # back in the queue
        assert len(store.pending("r")) == 3
        with pytest.raises(RunStoreError, match="other settings"):
            store.create_or_resume("r", spec(samples=3), problems)
        with pytest.raises(RunStoreError, match="another problem set"):
            store.create_or_resume("r", spec(), problems[:1])
        with pytest.raises(RunStoreError, match="no run named"):
            store.spec("nope")
        assert [p.id for p in store.problems("r")] == [p.id for p in problems]


def test_problem_sets_are_stored_once_and_packed_and_an_older_store_is_upgraded(tmp_path):
    import sqlite3

    problems = [load_problem(LIBRARY / name) for name in PROBLEMS[:2]]
    with RunStore(tmp_path / "runs.db") as store:
        store.create_or_resume("old", spec(), problems)
    # Back to the layout m003 left: each problem's JSON once, as text, and m004 not applied.
    db = sqlite3.connect(tmp_path / "runs.db")
    rows = db.execute("SELECT p.hash, p.id FROM problems p WHERE run = 'old'").fetchall()
    db.execute("ALTER TABLE problem_texts DROP COLUMN packed")
    texts = {p.id: p.model_dump_json() for p in problems}
    for digest, problem_id in rows:
        db.execute("UPDATE problem_texts SET problem = ? WHERE hash = ?",
                   (texts[problem_id], digest))
    db.execute("DELETE FROM _migrations WHERE name = 'm004_packed_problem_texts'")
    db.commit()
    db.close()
    with RunStore(tmp_path / "runs.db") as store:  # m004 packs what m003 stored
        assert store.problems("old") == problems
        store.create_or_resume("new", spec(samples=1), problems)  # shares the texts
        assert store.problems("new") == problems
        count, text, packed = store._db.execute(
            "SELECT COUNT(*), SUM(LENGTH(problem)), SUM(LENGTH(packed)) FROM problem_texts"
        ).fetchone()
    assert (count, text) == (2, 0)
    assert packed < sum(map(len, texts.values())) / 2


def test_a_run_made_before_a_flow_option_existed_resumes_with_it_at_its_default(tmp_path):
    problems = [load_problem(LIBRARY / PROBLEMS[0])]
    today = FlowOptions(flow="oneshot").model_dump(exclude={"attempt"})
    older = {k: v for k, v in today.items() if k not in ("profile", "reflect")}
    with RunStore(tmp_path / "runs.db") as store:
        store.create_or_resume("r", RunSpec(model="m", flow=older), problems)
        assert store.create_or_resume("r", RunSpec(model="m", flow=today), problems)
        with pytest.raises(RunStoreError, match="other settings"):  # a real difference
            store.create_or_resume("r", RunSpec(model="m", flow={**today, "reflect": False}),
                                   problems)


def reply_for(request: dict) -> Reply:
    """Accepted code for two problems, a wrong program for the others; a short delay, so a
    kill lands while attempts are in flight."""
    prompt = request["messages"][-1]["content"]
    for name in PROBLEMS[:2]:
        title = load_problem(LIBRARY / name).title
        if title in prompt:
            code = read_submissions(LIBRARY / name)["accepted"][0].read_text()
            return Reply(f"```python\n{code}```", delay_s=0.3)
    return Reply("```python\nprint(0)\n```", delay_s=0.3)


def contest_run(server: ScriptedServer, home, run: str) -> list[str]:
    return [sys.executable, "-m", "cpagent", "contest", "run",
            *[str(LIBRARY / name) for name in PROBLEMS], "--run", run, "--model", "scripted",
            "--base-url", server.base_url, "--flow", "oneshot", "--samples", "2",
            "--parallel", "2"]


def env_for(home) -> dict:
    return {**os.environ, "CPAGENT_HOME": str(home),
            "OPENAI_API_KEY": "x"}


def outcomes(home, run: str) -> dict:
    with RunStore(home / "runs.db") as store:
        return {(a.problem, a.attempt): (a.state, a.result["solved"], a.result["verdict"],
                                         a.result["passed"], a.result["code"])
                for a in store.attempts(run)}


@pytest.mark.docker
def test_killed_and_resumed_run_equals_an_uninterrupted_one(tmp_path):
    with ScriptedServer([reply_for] * 200) as server:
        whole = tmp_path / "whole"
        done = subprocess.run(contest_run(server, whole, "r"), env=env_for(whole),
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        calls_whole = len(server.requests)

        broken = tmp_path / "broken"
        proc = subprocess.Popen(contest_run(server, broken, "r"), env=env_for(broken),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        finished_before = _kill_after_some_finish(proc, broken / "runs.db", at_least=3)
        calls_before_resume = len(server.requests)
        resumed = subprocess.run(contest_run(server, broken, "r"), env=env_for(broken),
                                 capture_output=True, text=True, timeout=600)
        assert resumed.returncode == 0, resumed.stderr
        assert "resumed" in resumed.stderr

    expected = outcomes(whole, "r")
    assert len(expected) == 2 * len(PROBLEMS)
    assert all(state == "done" for state, *_ in expected.values())
    assert sum(solved for _, solved, *_ in expected.values()) == 4  # two problems, twice each
    assert outcomes(broken, "r") == expected
    with RunStore(broken / "runs.db") as store:
        starts = {(a.problem, a.attempt): a.starts for a in store.attempts("r")}
    # Nothing done twice: what had finished before the kill was never started again.
    assert all(starts[key] == 1 for key in finished_before)
    # The resumed run asked the model only for what had not been answered (and logged)
    # before the kill: at most the two attempts that were in flight ask again.
    calls_resumed = len(server.requests) - calls_before_resume
    assert (calls_before_resume - calls_whole) + calls_resumed <= calls_whole + 2


def _kill_after_some_finish(proc: subprocess.Popen, db, at_least: int) -> set:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if db.exists():
            with RunStore(db) as store:
                done = {(a.problem, a.attempt) for a in store.attempts("r") if a.state == "done"}
            if len(done) >= at_least:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                with RunStore(db) as store:  # what was committed when the kill landed
                    return {(a.problem, a.attempt) for a in store.attempts("r")
                            if a.state == "done"}
        if proc.poll() is not None:
            pytest.fail("the run ended before it could be killed")
        time.sleep(0.05)
    proc.kill()
    pytest.fail("no attempt finished in time")


def test_resuming_with_other_settings_is_one_line_and_exit_2(tmp_path):
    problems = [load_problem(LIBRARY / PROBLEMS[0])]
    with RunStore(tmp_path / "runs.db") as store:
        store.create_or_resume("r", RunSpec(model="scripted", flow={"flow": "full"}), problems)
    done = cpagent("contest", "run", LIBRARY / PROBLEMS[0], "--run", "r", "--model",
                   "scripted", "--base-url", "http://127.0.0.1:9/v1", "--flow", "oneshot",
                   env={"CPAGENT_HOME": str(tmp_path), "OPENAI_API_KEY": "x"})
    assert_one_line_error(done, "exists with other settings")


def test_unknown_problem_and_unknown_run_are_one_line_and_exit_2(tmp_path):
    env = {"CPAGENT_HOME": str(tmp_path), "OPENAI_API_KEY": "x"}
    done = cpagent("contest", "run", LIBRARY / "no-such-problem", "--run", "r", env=env)
    assert_one_line_error(done, "no-such-problem")
    done = cpagent("contest", "status", "nope", env=env)
    assert_one_line_error(done, "no run store at")  # a reader creates no store
    RunStore(tmp_path / "runs.db").close()
    done = cpagent("contest", "status", "nope", env=env)
    assert_one_line_error(done, "no run named 'nope'")
    (tmp_path / "bad.jsonl").write_text(json.dumps({"id": "1_a_x", "name": "x"}) + "\n")
    done = cpagent("contest", "run", f"{tmp_path / 'bad.jsonl'}#1_b_missing", "--run", "r",
                   env=env)
    assert_one_line_error(done, "no record with id '1_b_missing'")


def finished_run(tmp_path, solved: dict[str, list[bool]], unfinished: tuple = ()) -> None:
    """A run whose attempts are already decided (the report reads only the store), but for
    the `unfinished` problems, never attempted."""
    problems = [load_problem(LIBRARY / name) for name in [*solved, *unfinished]]
    with RunStore(tmp_path / "runs.db") as store:
        store.create_or_resume("r", spec(samples=2), problems)
        for problem in problems:
            for k, ok in enumerate(solved.get(problem.id, [])):
                store.start("r", problem.id, k)
                store.finish("r", problem.id, k, {
                    "solved": ok, "verdict": "AC" if ok else "WA", "passed": 3 if ok else 1,
                    "tests": 3, "calls": 2, "tokens": 500, "seconds": 90.0,
                    "code": "print(1)\n"})


def test_report_estimates_places_and_draws(tmp_path):
    from cpagent.agent.rating import estimate_rating
    from cpagent.agent.report import Report

    solved = {"temperature-swing": [True, True], "erase-one-digit": [False, True],
              "ferry-crossings": [False, False], "flood-level": [False, False]}
    ratings = {"temperature-swing": 800, "erase-one-digit": 1200, "ferry-crossings": 1900,
               "flood-level": 2400}
    finished_run(tmp_path, solved, unfinished=("workshop-orders",))
    csv = tmp_path / "ratings.csv"
    csv.write_text("id,rating\nworkshop-orders,1500\n"
                   + "".join(f"{k},{v}\n" for k, v in ratings.items()))
    env = {"CPAGENT_HOME": str(tmp_path)}
    done = cpagent("contest", "report", "r", "--ratings", csv, "--out", tmp_path / "rep",
                   env=env)
    assert done.returncode == 0, done.stderr
    report = Report.model_validate_json((tmp_path / "rep" / "report.json").read_text())
    expected = estimate_rating([(ratings[p], any(s)) for p, s in solved.items()], seed=0)
    assert report.rating.estimate.rating == pytest.approx(expected.rating)
    assert report.rating.estimate.low < expected.rating < report.rating.estimate.high
    rows = {r.id: r for r in report.problems}
    assert "workshop-orders" not in rows and report.pending == 2  # not attempted: no outcome
    assert rows["erase-one-digit"].solved and rows["erase-one-digit"].rejections == 1
    assert not rows["flood-level"].solved and rows["flood-level"].verdicts == ["WA", "WA"]
    # Each library problem is a round of its own; solving one places above those who did not.
    places = {c.contest.name: c.standing for c in report.contests}
    assert places["temperature-swing"].place < places["flood-level"].place
    for name in ("solve_rate.png", "estimate.png", "spend.png", "verdicts.png"):
        assert (tmp_path / "rep" / name).stat().st_size > 5000
    markdown = (tmp_path / "rep" / "report.md").read_text()
    assert f"rating estimate: {expected.rating:.0f}**" in markdown
    assert "data:image/png;base64," in (tmp_path / "rep" / "report.html").read_text()


def test_report_without_ratings_is_one_line_and_exit_2(tmp_path):
    finished_run(tmp_path, {"temperature-swing": [True, False]})
    env = {"CPAGENT_HOME": str(tmp_path)}
    done = cpagent("contest", "report", "r", "--out", tmp_path / "rep", env=env)
    assert_one_line_error(done, "has no rating")
    done = cpagent("contest", "report", "r", "--out", tmp_path / "rep", "--skip-unrated",
                   env=env)
    assert done.returncode == 0, done.stderr
    assert "left out for want of a rating: temperature-swing" in (
        tmp_path / "rep" / "report.md").read_text()


FIXTURES = ROOT / "tests" / "fixtures" / "contest"


def round_9001_run(tmp_path) -> dict:
    """A run over two problems of the synthetic round 9001 (tests/fixtures/contest): A solved
    on the first attempt, B never; the env for `cpagent` to find it."""
    from cpagent.problems.sets import load_problem_set

    records = [{"id": f"9001_{i}_{name}_{n}", "name": f"9001_{i.upper()}. {name}",
                "tests": [{"input": "1\n", "output": "1\n"}]}
               for n, (i, name) in enumerate([("a", "first"), ("b", "second")])]
    source = tmp_path / "round.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records))
    problems = load_problem_set([source])
    with RunStore(tmp_path / "runs.db") as store:
        store.create_or_resume("r", spec(samples=1), problems)
        for problem, ok in zip(problems, (True, False), strict=True):
            store.start("r", problem.id, 0)
            store.finish("r", problem.id, 0, {"solved": ok, "verdict": "AC" if ok else "WA",
                                               "passed": 1, "tests": 1, "calls": 1,
                                               "tokens": 100, "seconds": 600.0, "code": "x"})
    (tmp_path / "ratings.csv").write_text("contest_id,index,rating\n9001,A,800\n9001,B,1300\n")
    return {"CPAGENT_HOME": str(tmp_path)}


def test_report_places_the_agent_in_a_real_round(tmp_path):
    from cpagent.agent.rating import computed_rating, performance
    from cpagent.agent.report import Report

    env = round_9001_run(tmp_path)
    pair = f"{FIXTURES / 'standings.json'},{FIXTURES / 'rating_changes.json'}"
    done = cpagent("contest", "report", "r", "--ratings", tmp_path / "ratings.csv", "--real",
                   pair, "--out", tmp_path / "rep", env=env)
    assert done.returncode == 0, done.stderr
    report = Report.model_validate_json((tmp_path / "rep" / "report.json").read_text())
    [real] = report.real_rounds
    standings = json.loads((FIXTURES / "standings.json").read_text())["result"]
    # Ratings as the update computes them (a newcomer's shown 0 competes as 1400).
    changes = {c["handle"]: computed_rating(c["oldRating"])
               for c in json.loads((FIXTURES / "rating_changes.json").read_text())}
    # A at minute 10 (600 s of work), worth 500 in the real round: 500 - 2 * 10 = 480.
    assert real.standing.score == 480
    # The field: single entrants who were rated in the round (teams and unrated rows drop).
    points = [row["points"] for row in standings["rows"] if len(row["party"]["members"]) == 1
              and row["party"]["members"][0]["handle"] in changes]
    assert real.standing.field_size == len(points)
    ahead = sum(p > 480 for p in points)
    tied = sum(p == 480 for p in points)
    assert real.standing.place == ahead + 1 + tied / 2
    assert real.standing.performance == pytest.approx(
        performance(real.standing.place, [changes[row["party"]["members"][0]["handle"]]
                                          for row in standings["rows"]
                                          if len(row["party"]["members"]) == 1
                                          and row["party"]["members"][0]["handle"] in changes]))
    assert "## Real rounds" in (tmp_path / "rep" / "report.md").read_text()


def test_bad_standings_are_one_line_and_exit_2(tmp_path):
    env = round_9001_run(tmp_path)
    ratings = tmp_path / "ratings.csv"
    bad = f"{FIXTURES / 'standings_malformed.json'},{FIXTURES / 'rating_changes.json'}"
    done = cpagent("contest", "report", "r", "--ratings", ratings, "--real", bad, env=env)
    assert_one_line_error(done, "standings_malformed.json")
    done = cpagent("contest", "report", "r", "--ratings", ratings, "--real", "only-one.json",
                   env=env)
    assert_one_line_error(done, "--real wants")
    other = tmp_path / "other.json"
    other.write_text((FIXTURES / "standings.json").read_text().replace("9001", "9002"))
    done = cpagent("contest", "report", "r", "--ratings", ratings, "--real",
                   f"{other},{other}", env=env)
    assert done.returncode == 2 and "Traceback" not in done.stderr


@pytest.mark.docker
def test_a_replayed_attempt_keeps_the_model_time_it_first_took(docker_sandbox, tmp_path):
    from cpagent.agent.batch import attempt_result
    from cpagent.agent.flow import FlowOptions, solve
    from cpagent.agent.llm import CallLog, ModelClient, ModelSettings

    problem = load_problem(LIBRARY / PROBLEMS[0])
    with ScriptedServer([reply_for]) as server:
        settings = ModelSettings(model="scripted", base_url=server.base_url, api_key="x")
        log = CallLog(tmp_path / "calls.db")
        first = solve(problem, ModelClient(settings, log=log), docker_sandbox,
                      FlowOptions(flow="oneshot"))
        again = solve(problem, ModelClient(settings, log=log), docker_sandbox,
                      FlowOptions(flow="oneshot"))
        assert len(server.requests) == 1
    assert attempt_result(first, log)["replayed_model_seconds"] == 0
    assert attempt_result(again, log)["replayed_model_seconds"] >= 0.3  # the scripted delay


@pytest.mark.docker
def test_attempts_spread_over_several_model_servers(docker_sandbox, tmp_path):
    """With a client per server (the local model's `--parallel`), an attempt takes whichever
    server is free: both serve, and every attempt's calls go to one of them."""
    from cpagent.agent.batch import execute
    from cpagent.agent.flow import FlowOptions
    from cpagent.agent.llm import ModelClient, ModelSettings

    problems = [load_problem(LIBRARY / name) for name in PROBLEMS]
    with ScriptedServer([reply_for] * 20) as one, ScriptedServer([reply_for] * 20) as two, \
            RunStore(tmp_path / "runs.db") as store:
        store.create_or_resume("r", spec(), problems)
        clients = [ModelClient(ModelSettings(model="scripted", base_url=s.base_url,
                                             api_key="x")) for s in (one, two)]
        progress = execute(store, "r", problems, clients, docker_sandbox,
                           FlowOptions(flow="oneshot"), workers=2)
        served = (len(one.requests), len(two.requests))
        results = {(a.problem, a.attempt): a.result for a in store.attempts("r")}
    assert progress.done == 2 * len(PROBLEMS) and progress.solved == 4
    assert sum(served) == 2 * len(PROBLEMS) and min(served) >= 1, served
    assert all(r is not None and r["calls"] == 1 for r in results.values())


@pytest.mark.docker
def test_ctrl_c_stops_at_once_and_the_run_resumes(tmp_path):
    """A model call can take minutes; Ctrl-C must not wait for it. The attempts in flight go
    back to pending, and the same command finishes the run."""
    home = tmp_path / "home"
    slow = [lambda request: Reply("```python\nprint(0)\n```", delay_s=300)] * 2
    with ScriptedServer(slow + [reply_for] * 40) as server:
        proc = subprocess.Popen(contest_run(server, home, "r"), env=env_for(home),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while len(server.requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)  # both workers are waiting on the model
        assert len(server.requests) == 2, "the run never reached the model"
        interrupted = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=150)
        took = time.monotonic() - interrupted
        assert proc.returncode == 130, err
        # Not the 300 s the model calls would take; closing the sandbox pool on a loaded
        # machine can take a while, so the bound is generous.
        assert took < 120, took
        assert "resumes run r" in out + err and "Traceback" not in err
        with RunStore(home / "runs.db") as store:
            states = {a.state for a in store.attempts("r")}
        assert states == {"pending"}, states
        resumed = subprocess.run(contest_run(server, home, "r"), env=env_for(home),
                                 capture_output=True, text=True, timeout=600)
        assert resumed.returncode == 0, resumed.stderr
    results = outcomes(home, "r")
    assert len(results) == 2 * len(PROBLEMS) and all(s == "done" for s, *_ in results.values())
    assert sum(solved for _, solved, *_ in results.values()) == 4
