"""A contest run against a provider that misbehaves on some problems: each fault concerns its
problem only (its attempt fails with the reason stored), transient ones are absorbed, and a
run killed with SIGKILL and resumed neither loses nor repeats an attempt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from cpagent.agent.batch import RunStore
from tests.add_k import answer, k_of, write_set
from tests.provider_emulator import (
    Emulator,
    Fault,
    content_policy_error,
    context_length_error,
    openai_reasoning,
    quota_exhausted,
    rate_limited,
)

COUNT = 30
# Faults that concern one problem, on every request for it: its attempt fails, the run goes on.
ALWAYS = {3: context_length_error(), 7: content_policy_error(), 11: Fault("html"),
          15: Fault("cut")}
# Faults on a problem's first request only: the retries absorb them.
ONCE = {19: rate_limited(80), 23: Fault("status", 503, {"error": {"message": "overloaded"}})}


class Faults:
    def __init__(self) -> None:
        self.seen: set[int] = set()

    def __call__(self, request: dict) -> Fault | None:
        k = k_of(request)
        if k in ALWAYS:
            return ALWAYS[k]
        if k in ONCE and k not in self.seen:
            self.seen.add(k)
            return ONCE[k]
        return None


def _run(emulator: Emulator, tmp_path, *more: str) -> list[str]:
    problems = sorted(str(p) for p in (tmp_path / "set").glob("*.md"))
    return [sys.executable, "-m", "cpagent", "contest", "run", *problems, "--run", "faults",
            "--model", "o4-mini", "--base-url", emulator.base_url, "--flow", "oneshot",
            "--parallel", "4", *more]


def _env(tmp_path) -> dict[str, str]:
    config = tmp_path / "config.toml"
    config.write_text("max_retries = 2\nretry_backoff_s = 0.01\n")
    return {**os.environ, "CPAGENT_HOME": str(tmp_path / "home"), "CPAGENT_API_KEY": "x",
            "CPAGENT_CONFIG": str(config)}


def _write_set(tmp_path) -> None:
    write_set(tmp_path / "set", COUNT)


@pytest.mark.docker
def test_a_faulty_provider_fails_only_its_problems_and_a_killed_run_resumes(tmp_path):
    _write_set(tmp_path)
    db = tmp_path / "home" / "runs.db"
    with Emulator(openai_reasoning(think_tokens=500), answer, latency_s=0.2,
                  fault=Faults()) as emulator:
        proc = subprocess.Popen(_run(emulator, tmp_path), env=_env(tmp_path),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        before = _kill_after(proc, db, at_least=8)
        resumed = subprocess.run(_run(emulator, tmp_path), env=_env(tmp_path),
                                 capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed" in resumed.stderr
    with RunStore(db) as store:
        attempts = {int(a.problem[3:]): a for a in store.attempts("faults")}
    assert sorted(attempts) == list(range(COUNT))
    assert all(attempts[k].starts == 1 for k in before)  # nothing finished was started again
    assert all(a.starts <= 2 for a in attempts.values())
    for k, a in attempts.items():
        if k in (3, 7):  # refused requests: the attempt failed with the provider's reason
            assert a.state == "error", (k, a)
            assert "rejected the request (400)" in a.error
            assert ("context length" in a.error) == (k == 3)
        elif k in (11, 15):  # nothing to use came back: no program, the cause kept
            assert a.state == "done" and not a.result["solved"], (k, a)
            causes = a.result["trajectory"]["failed_calls"]
            assert [c["kind"] for c in causes] == (["not_chat"] if k == 11 else ["cut_off"])
            assert ("not a chat completion" if k == 11 else "cut off") in causes[0]["cause"]
        else:
            assert a.state == "done" and a.result["solved"], (k, a)
            # o4-mini thinks (500 tokens, counted in the usage's reasoning_tokens) and has a
            # list price: both are kept per attempt for the report.
            assert a.result["reasoning_tokens"] >= 500 and a.result["cost_usd"] > 0, a.result
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("id,rating\n" + "".join(f"{a.problem},{800 + 100 * (k % 5)}\n"
                                                for k, a in attempts.items()))
    report = subprocess.run([sys.executable, "-m", "cpagent", "contest", "report", "faults",
                             "--out", str(tmp_path / "report"), "--ratings", str(ratings)],
                            env=_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert report.returncode == 0, report.stderr
    summary = (tmp_path / "report" / "report.md").read_text()
    assert "of them reasoning" in summary and "at list prices" in summary, summary[:2000]
    # every fault was seen, and nothing was asked more than retries and the kill explain
    assert {"400", "html", "cut", "429", "503"} <= set(emulator.faults)
    healthy = [r for r in emulator.requests if k_of(r) not in ALWAYS]
    assert len(healthy) <= COUNT - len(ALWAYS) + len(ONCE) + 4  # 4: in flight at the kill


@pytest.mark.docker
def test_a_spent_quota_stops_the_run_at_once_with_one_line(tmp_path):
    _write_set(tmp_path)
    with Emulator(openai_reasoning(), answer, fault=lambda r: quota_exhausted()) as emulator:
        done = subprocess.run(_run(emulator, tmp_path), env=_env(tmp_path),
                              capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]  # after the run's own progress lines
    assert last.startswith("error: ") and "no quota left (429 insufficient_quota)" in last
    assert len(emulator.requests) <= 4  # the attempts in flight; none retried
    with RunStore(tmp_path / "home" / "runs.db") as store:
        states = [a.state for a in store.attempts("faults")]
    assert states.count("pending") == COUNT  # nothing lost: a resume starts them all


def _kill_after(proc: subprocess.Popen, db, at_least: int) -> set[int]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if db.exists():
            with RunStore(db) as store:
                done = [a for a in store.attempts("faults") if a.state in ("done", "error")]
            if len(done) >= at_least:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                with RunStore(db) as store:
                    return {int(a.problem[3:]) for a in store.attempts("faults")
                            if a.state in ("done", "error")}
        if proc.poll() is not None:
            pytest.fail("the run ended before it could be killed")
        time.sleep(0.05)
    proc.kill()
    pytest.fail("too few attempts finished in time")
