"""Batch work on a real Ray cluster of three nodes on this machine: two that declare the
sandbox resource and one that does not. Attempts run as Ray tasks on the sandbox nodes,
judge through each node's warm pool, share one call log (so a rerun makes no model call)
and one rate-limit gate, and come back to the driver, the run store's only writer.

The model is the provider emulator on loopback, answering "Add K" problems: right for most
K, wrong for some and crashing for others, so that verdicts can differ."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from cpagent.agent.batch import RunSpec, RunStore, execute
from cpagent.agent.flow import FlowChoice
from cpagent.agent.llm import CallLog, ModelClient, ModelSettings
from cpagent.problems.load import load_problem
from tests.add_k import k_of, write_set
from tests.conftest import LIBRARY, ROOT, assert_one_line_error, cpagent
from tests.provider_emulator import Emulator, openai_reasoning

if os.environ.get("CPAGENT_REQUIRE_DOCKER"):
    import ray  # CI installs the extra: a missing Ray is a failure there, not a skip
else:
    ray = pytest.importorskip("ray")

from ray.cluster_utils import Cluster  # noqa: E402

from cpagent.agent.cluster import RESOURCE, connect, execute_on_ray  # noqa: E402

pytestmark = pytest.mark.docker
COUNT = 20


def mixed(request: dict) -> str:
    """Right for most K; wrong (off by one) for K = 1 mod 4, a crash for K = 2 mod 4."""
    k = k_of(request)
    body = {1: f"print(int(input()) + {k + 1})", 2: "raise SystemExit(3)"}.get(
        k % 4, f"print(int(input()) + {k})")
    return f"```python\n{body}\n```\n"


@pytest.fixture(scope="module")
def cluster():
    """Head and one worker that can sandbox (a slot each), and a node with more CPUs that
    declares nothing: the scheduler would like it, and must not use it."""
    made = Cluster(initialize_head=True, head_node_args={
        "num_cpus": 1, "resources": {RESOURCE: 1}, "include_dashboard": False})
    made.add_node(num_cpus=1, resources={RESOURCE: 1})
    plain = made.add_node(num_cpus=4)
    made.wait_for_nodes()
    made.plain_id = plain.node_id
    yield made
    made.shutdown()


def _settings(emulator: Emulator) -> ModelSettings:
    return ModelSettings(model="o4-mini", base_url=emulator.base_url, api_key="x",
                         max_retries=2, retry_backoff_s=0.01)


def _options(settings: ModelSettings):
    return FlowChoice(flow="oneshot").resolve(settings.rules)


def _verdicts(store: RunStore, run: str) -> dict[str, tuple[str, str | None]]:
    return {a.problem: (a.state, a.result and a.result["verdict"]) for a in store.attempts(run)}


def test_a_contest_run_on_the_cluster_gives_the_thread_executors_verdicts(
        cluster, docker_sandbox, tmp_path):
    problems = [load_problem(p) for p in write_set(tmp_path / "set", COUNT)]
    spec = RunSpec(model="o4-mini", flow={"flow": "oneshot"}, samples=1)
    with Emulator(openai_reasoning(think_tokens=100), mixed) as emulator, \
            RunStore(tmp_path / "runs.db") as store:
        settings = _settings(emulator)
        log = CallLog(tmp_path / "calls.db")
        store.create_or_resume("threads", spec, problems)
        execute(store, "threads", problems, ModelClient(settings, log=log), docker_sandbox,
                _options(settings), workers=4)
        asked = len(emulator.requests)
        store.create_or_resume("ray", spec, problems)
        with connect(cluster.address) as joined:
            progress = execute_on_ray(joined, store, "ray", problems, [settings],
                                      _options(settings), log_path=str(tmp_path / "calls.db"),
                                      parallel=8)
        threads, on_ray = _verdicts(store, "threads"), _verdicts(store, "ray")
    assert asked == COUNT and len(emulator.requests) == asked  # every call replayed
    assert on_ray == threads
    assert sorted(v for _, v in threads.values()).count("AC") == COUNT // 2
    assert {v for _, v in threads.values()} == {"AC", "WA", "RE"}
    assert progress.done == COUNT and progress.solved == COUNT // 2
    assert sum(progress.nodes.values()) == COUNT
    assert cluster.plain_id not in progress.nodes  # no attempt on the node without the resource


def test_model_calls_from_every_node_hold_on_one_rate_limit(cluster):
    """A 429 seen on one node closes the gate for all: a task elsewhere sees the wait."""
    from cpagent.agent.cluster.shared import GateService, RemoteGate

    with connect(cluster.address) as joined:
        actor = joined.remote(GateService).options(num_cpus=0).remote()
        RemoteGate(actor).hold(30.0)

        @joined.remote(num_cpus=0, resources={RESOURCE: 0.001})
        def remaining(handle) -> float:
            return RemoteGate(handle).remaining()

        seen = joined.get([remaining.remote(actor) for _ in range(4)])
    assert all(20.0 < s <= 30.0 for s in seen), seen


def test_a_node_removed_mid_run_loses_no_attempt(docker_sandbox, tmp_path):
    """A node of its own cluster, removed while its attempts wait on the model: Ray runs them
    again on the node that is left, and each attempt is stored once."""
    made = Cluster(initialize_head=True, head_node_args={
        "num_cpus": 1, "resources": {RESOURCE: 1}, "include_dashboard": False})
    doomed = made.add_node(num_cpus=1, resources={RESOURCE: 1})
    made.wait_for_nodes()
    problems = [load_problem(p) for p in write_set(tmp_path / "set", 12)]
    spec = RunSpec(model="o4-mini", flow={"flow": "oneshot"}, samples=1)
    try:
        with Emulator(openai_reasoning(think_tokens=100), mixed, latency_s=1.0) as emulator, \
                RunStore(tmp_path / "runs.db") as store, connect(made.address) as joined:
            store.create_or_resume("r", spec, problems)
            settings = _settings(emulator)

            def when_started() -> None:
                deadline = time.monotonic() + 120
                while len(emulator.requests) < 6 and time.monotonic() < deadline:
                    time.sleep(0.05)
                made.remove_node(doomed)

            remover = threading.Thread(target=when_started, daemon=True)
            remover.start()
            progress = execute_on_ray(joined, store, "r", problems, [settings],
                                      _options(settings), log_path=str(tmp_path / "calls.db"),
                                      parallel=6)
            remover.join()
            attempts = store.attempts("r")
    finally:
        made.shutdown()
    assert progress.done == len(problems)
    assert sorted(a.problem for a in attempts) == sorted(p.id for p in problems)
    assert all(a.state == "done" for a in attempts), [(a.problem, a.state) for a in attempts]
    solved = {a.problem for a in attempts if a.result["solved"]}
    assert solved == {p.id for p in problems if int(p.id[3:]) % 4 in (0, 3)}


def _contest_run(address: str, emulator: Emulator, tmp_path, *more: str) -> list[str]:
    problems = sorted(str(p) for p in (tmp_path / "set").glob("*.md"))
    return [sys.executable, "-m", "cpagent", "contest", "run", *problems, "--run", "c",
            "--model", "o4-mini", "--base-url", emulator.base_url, "--flow", "oneshot",
            "--parallel", "6", "--ray", address, *more]


def _env(tmp_path) -> dict[str, str]:
    config = tmp_path / "config.toml"
    config.write_text("max_retries = 2\nretry_backoff_s = 0.01\n")
    return {**os.environ, "CPAGENT_HOME": str(tmp_path / "home"), "CPAGENT_API_KEY": "x",
            "CPAGENT_CONFIG": str(config)}


def test_a_killed_driver_resumes_on_the_cluster_with_every_attempt_once(cluster, tmp_path):
    write_set(tmp_path / "set", COUNT)
    db = tmp_path / "home" / "runs.db"
    with Emulator(openai_reasoning(think_tokens=100), mixed, latency_s=0.5) as emulator:
        proc = subprocess.Popen(_contest_run(cluster.address, emulator, tmp_path),
                                env=_env(tmp_path), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        finished = _kill_after(proc, db, at_least=5)
        resumed = subprocess.run(_contest_run(cluster.address, emulator, tmp_path),
                                 env=_env(tmp_path), capture_output=True, text=True,
                                 timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed" in resumed.stderr and "accepted" in resumed.stderr  # the progress bar
    with RunStore(db) as store:
        attempts = {a.problem: a for a in store.attempts("c")}
    assert len(attempts) == COUNT and all(a.state == "done" for a in attempts.values())
    assert all(attempts[p].starts == 1 for p in finished)  # nothing finished ran again
    solved = sorted(int(p[3:]) for p, a in attempts.items() if a.result["solved"])
    assert solved == [k for k in range(COUNT) if k % 4 in (0, 3)]
    # each problem asked once, but for the attempts in flight at the kill (6 at most)
    assert len(emulator.requests) <= COUNT + 6
    assert {k_of(r) for r in emulator.requests} == set(range(COUNT))


def _kill_after(proc: subprocess.Popen, db, at_least: int) -> set[str]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if db.exists():
            with RunStore(db) as store:
                done = {a.problem for a in store.attempts("c") if a.state == "done"}
            if len(done) >= at_least:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return done
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("the run never got going")


def test_bulk_judging_on_the_cluster_matches_judging_here(cluster, tmp_path):
    # Slow submissions (time limit, brute force) left out: they only make the test slow.
    lines = [{"id": f"{name}/{f.stem}", "problem": str(LIBRARY / name), "solution": str(f)}
             for name in ("mirror-words", "temperature-swing", "erase-one-digit")
             for f in sorted((LIBRARY / name / "submissions").glob("*/*.py"))
             if f.parent.name not in ("time_limit_exceeded", "brute_force")]
    subs = tmp_path / "subs.jsonl"
    subs.write_text("".join(json.dumps(line) + "\n" for line in lines))
    here = cpagent("judge", subs, "--out", tmp_path / "here.jsonl", "-j", "2")
    there = cpagent("judge", subs, "--out", tmp_path / "there.jsonl", "--ray", cluster.address)
    assert here.returncode == 0 and there.returncode == 0, (here.stderr, there.stderr)

    def read(name: str) -> dict[str, tuple]:
        rows = [json.loads(x) for x in (tmp_path / name).read_text().splitlines()]
        return {r["id"]: (r["verdict"], r["passed"], r["total"]) for r in rows}

    assert read("here.jsonl") == read("there.jsonl")
    assert len(read("here.jsonl")) == len(lines)
    assert f"{len(lines)} judged" in there.stderr


def test_bad_cluster_input_is_one_line_with_exit_code_2(tmp_path, monkeypatch):
    subs = tmp_path / "subs.jsonl"
    sol = LIBRARY / "mirror-words" / "submissions" / "accepted"
    subs.write_text(json.dumps({"problem": str(LIBRARY / "mirror-words"),
                                "solution": str(next(sol.glob("*.py")))}) + "\n")
    unreachable = cpagent("judge", subs, "--ray", "127.0.0.1:9", timeout=120)
    assert_one_line_error(unreachable, "cannot reach a Ray cluster at 127.0.0.1:9")
    no_ray = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['ray'] = None; "
         "from cpagent.agent.cli import main; sys.argv = ['cpagent', 'judge', "
         f"{str(subs)!r}, '--ray', 'local']; main()"],
        capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert_one_line_error(no_ray, "pip install 'cpagent[ray]'")
    bad_line = tmp_path / "bad.jsonl"
    bad_line.write_text('{"problem": "x"}\n')
    assert_one_line_error(cpagent("judge", bad_line), "bad.jsonl:1")


def test_a_cluster_without_sandbox_nodes_is_refused_by_name(tmp_path):
    made = Cluster(initialize_head=True, head_node_args={"num_cpus": 1,
                                                         "include_dashboard": False})
    try:
        done = _judge_one_on(made, tmp_path)
    finally:
        made.shutdown()
    assert_one_line_error(done, "has no node that can sandbox")


def test_a_contest_run_with_ray_local_starts_its_own_cluster_and_shows_progress(tmp_path):
    write_set(tmp_path / "set", 4)
    with Emulator(openai_reasoning(think_tokens=100), mixed) as emulator:
        done = subprocess.run(_contest_run("local", emulator, tmp_path), env=_env(tmp_path),
                              capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "solving" in done.stderr and "4/4" in done.stderr  # the thread executor's bar
    assert "this session: 4 attempts, 2 accepted" in done.stderr
    with RunStore(tmp_path / "home" / "runs.db") as store:
        assert [a.state for a in store.attempts("c")] == ["done"] * 4


def test_a_node_without_the_sandbox_image_is_refused_by_name(tmp_path, monkeypatch):
    """A worker whose Docker lacks the image (its processes look for another one) stops the
    run before any work is sent, with one line naming the node."""
    made = Cluster(initialize_head=True, head_node_args={
        "num_cpus": 1, "resources": {RESOURCE: 1}, "include_dashboard": False})
    monkeypatch.setenv("CPAGENT_SANDBOX_IMAGE", "cpagent-sandbox:not-built")
    broken = made.add_node(num_cpus=1, resources={RESOURCE: 1})  # inherits the variable
    monkeypatch.delenv("CPAGENT_SANDBOX_IMAGE")
    made.wait_for_nodes()
    try:
        done = _judge_one_on(made, tmp_path)
    finally:
        made.shutdown()
    assert_one_line_error(done, f"({broken.node_id[:8]}) cannot sandbox")
    assert "cpagent-sandbox:not-built is missing" in done.stderr


def _judge_one_on(cluster: Cluster, tmp_path) -> subprocess.CompletedProcess:
    """`cpagent judge` of one inline submission on `cluster`."""
    subs = tmp_path / "subs.jsonl"
    subs.write_text(json.dumps({"problem": str(LIBRARY / "mirror-words"),
                                "code": "print(1)"}) + "\n")
    return cpagent("judge", subs, "--ray", cluster.address, timeout=180)
