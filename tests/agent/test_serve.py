"""`cpagent serve`: a real server process over real HTTP on loopback, over the real Docker
pool.

Where a test builds a request or reads a response "as verl does", the shape comes from:
- SandboxFusion's server, `sandbox/server/sandbox_api.py` (RunCodeRequest, RunCodeResponse,
  RunStatus: Success | Failed | SandboxError) and `sandbox/runners/types.py`
  (CommandRunResult: status Finished | Error | TimeLimitExceeded, execution_time,
  return_code, stdout, stderr), in bytedance/SandboxFusion;
- verl's client, `verl/utils/reward_score/sandbox_fusion/utils.py` (`call_sandbox_api`: the
  JSON payload `compile_timeout, run_timeout, code, stdin, memory_limit_MB, language, files,
  fetch_files`; `_process_single_case`: how `status`, `compile_result` and `run_result` are
  read into True / False / -1 sandbox error / -2 runtime error / -3 timeout), in
  volcengine/verl.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from cpagent.agent.serve.process import ServerProcess, free_port, owned_containers
from tests.conftest import ROOT

pytestmark = pytest.mark.docker

ACCEPTED = sorted((ROOT / "problems/library/mirror-words/submissions/accepted").glob("*.py"))
ADD = "print(sum(map(int, input().split())))\n"


def serve_argv(*args: object) -> list[str]:
    return [sys.executable, "-m", "cpagent.agent.serve", *map(str, args)]


class Server(ServerProcess):
    def post(self, path: str, body: object, **kw: object) -> requests.Response:
        return requests.post(f"{self.url}{path}", json=body, timeout=60, **kw)

    def wait_for(self, predicate, seconds: float = 20) -> dict:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            health = self.health()
            if predicate(health):
                return health
            time.sleep(0.05)
        raise AssertionError(f"not reached in {seconds}s: {self.health()}")


@contextlib.contextmanager
def running_server(*args: object, env: dict | None = None) -> Iterator[Server]:
    """A `cpagent serve` process, ready; stopped afterwards, leaving no container behind."""
    with Server(*args, env=env, cwd=ROOT) as server:
        yield server
    assert "Traceback" not in server.stderr, server.stderr
    assert owned_containers(server.pid) == [], "the server left containers behind"


@pytest.fixture(scope="module")
def server(docker_sandbox) -> Iterator[Server]:
    with running_server("--pool", 2, "--queue", 1, "--max-body", 100_000, "--max-code",
                        20_000, "--max-tests", 40, "--max-run", 60) as srv:
        yield srv


def verl_payload(code: str, stdin: str, *, language: str = "python", timeout: int = 2) -> str:
    """The body exactly as verl's call_sandbox_api builds it (json.dumps of these keys)."""
    return json.dumps({"compile_timeout": timeout, "run_timeout": timeout, "code": code,
                       "stdin": stdin, "memory_limit_MB": 1024, "language": language,
                       "files": {}, "fetch_files": []})


def verl_reads(answer: dict, expected: str) -> object:
    """What verl's _process_single_case makes of a response: True, False or an error code."""
    status, run = answer.get("status"), answer.get("run_result")
    if status == "SandboxError":
        return -1
    if status == "Failed":
        if run and run.get("status") == "TimeLimitExceeded":
            return -3
        if run and (run.get("status") == "Error" or run.get("return_code") != 0):
            return -2
        return -1
    if status == "Success" and run and run.get("status") == "Finished":
        return str(run.get("stdout") or "").rstrip("\n") == expected.rstrip("\n")
    return -1


def post_as_verl(server: Server, payload: str) -> dict:
    reply = requests.post(f"{server.url}/run_code", data=payload, timeout=60,
                       headers={"Content-Type": "application/json",
                                "Accept": "application/json"})
    assert reply.status_code == 200, reply.text
    return reply.json()


def assert_one_line_refusal(reply: requests.Response, status: int, fragment: str) -> None:
    assert reply.status_code == status, reply.text
    detail = reply.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail and "Traceback" not in detail
    assert fragment in detail, detail


# -- SandboxFusion compatibility ----------------------------------------------------------


def test_a_verl_style_request_gets_a_sandboxfusion_shaped_answer(server):
    answer = post_as_verl(server, verl_payload(ADD, "2 3\n"))
    assert {"status", "message", "compile_result", "run_result", "files"} <= set(answer)
    assert answer["status"] == "Success" and answer["compile_result"] is None
    run = answer["run_result"]
    assert set(run) == {"status", "execution_time", "return_code", "stdout", "stderr"}
    assert (run["status"], run["return_code"], run["stdout"]) == ("Finished", 0, "5\n")
    assert isinstance(run["execution_time"], float) and run["execution_time"] > 0
    assert verl_reads(answer, "5") is True
    assert verl_reads(answer, "6") is False


def test_verl_reads_a_crash_as_a_runtime_error_and_a_loop_as_a_timeout(server):
    crash = post_as_verl(server, verl_payload("raise SystemExit(3)", ""))
    assert crash["status"] == "Failed" and crash["run_result"]["return_code"] == 3
    assert verl_reads(crash, "") == -2
    loop = post_as_verl(server, verl_payload("while True: pass", "", timeout=1))
    assert loop["status"] == "Failed"
    assert loop["run_result"]["status"] == "TimeLimitExceeded"
    assert verl_reads(loop, "") == -3


def test_a_language_cpagent_does_not_run_is_refused_in_sandboxfusions_own_shape(server):
    answer = post_as_verl(server, verl_payload("int main() {}", "", language="cpp"))
    assert answer["status"] == "SandboxError" and answer["run_result"] is None
    assert "cpp" in answer["message"]
    assert verl_reads(answer, "") == -1


def test_pypy_runs_when_the_image_has_it(server):
    if "pypy" not in server.health()["languages"]:
        pytest.skip("the sandbox image has no pypy")
    answer = post_as_verl(server, verl_payload(
        "import platform; print(platform.python_implementation())", "", language="pypy"))
    assert answer["run_result"]["stdout"].strip() == "PyPy"


# -- judging --------------------------------------------------------------------------------


def test_a_library_problem_named_by_reference_judges_an_accepted_program(server):
    code = ACCEPTED[0].read_text()
    reply = server.post("/judge", {"problem": "mirror-words", "code": code})
    assert reply.status_code == 200, reply.text
    result = reply.json()
    assert (result["verdict"], result["reward"]) == ("AC", 1.0)
    assert result["passed"] == result["total"] == len(result["tests"]) > 2


def test_inline_tests_with_a_float_checker_give_the_passed_fraction_on_request(server):
    body = {"tests": [{"input": "1\n", "output": "0.3333333\n"},
                      {"input": "2\n", "output": "0.5\n"}],
            "checker": {"kind": "float", "abs_tol": 1e-6},
            "code": "n = int(input())\nprint(1 / 3 if n == 1 else 0.75)",
            "reward": "fraction"}
    result = server.post("/judge", body).json()
    assert [t["verdict"] for t in result["tests"]] == ["AC", "WA"]
    assert (result["verdict"], result["reward"]) == ("WA", 0.5)


def test_a_batch_judges_accepted_wrong_and_crashing_programs_in_one_request(server):
    body = {"tests": [{"input": "2 3\n", "output": "5\n"}, {"input": "10 -4\n", "output": "6"}],
            "programs": [{"code": ADD}, {"code": "print(5)"}, {"code": "1/0"}]}
    results = server.post("/judge/batch", body).json()["results"]
    assert [(r["verdict"], r["reward"]) for r in results] == [
        ("AC", 1.0), ("WA", 0.0), ("RE", 0.0)]
    assert "ZeroDivisionError" in results[2]["tests"][0]["message"]


def test_expected_answers_never_reach_the_program(server):
    secret = f"ANSWER-{secrets.token_hex(8)}"
    hunter = f"""
import os
needle = {secret[:7]!r} + {secret[7:]!r}
found = needle in os.environ.get("X", "") + repr(dict(os.environ)) + input()
for top in ("/box", "/tmp", "/dev/shm", "/home", "/root", "/run"):
    for folder, _, files in os.walk(top):
        for name in files:
            try:
                with open(os.path.join(folder, name), errors="replace") as f:
                    found = found or needle in f.read()
            except OSError:
                pass
print("found" if found else "absent")
"""
    body = {"tests": [{"input": "go\n", "output": secret}], "code": hunter}
    [test] = server.post("/judge", body).json()["tests"]
    assert test["verdict"] == "WA" and "got 'absent'" in test["message"], test


# -- bad input: a 4xx with one line ---------------------------------------------------------


@pytest.mark.parametrize(("body", "status", "fragment"), [
    ({"language": "python"}, 422, "code: Field required"),
    ({"code": ADD, "language": "python", "run_timeout": -1}, 422, "run_timeout"),
    ({"code": ADD, "language": "python", "memory_limit_MB": 100_000}, 422, "memory limit"),
    ({"code": ADD, "language": "python", "run_timeout": 1000}, 413, "60s"),
    ({"code": "#" * 30_000, "language": "python"}, 413, "the code is 30000 bytes"),
])
def test_bad_run_code_requests_get_a_4xx_with_one_line(server, body, status, fragment):
    assert_one_line_refusal(server.post("/run_code", body), status, fragment)


@pytest.mark.parametrize(("body", "status", "fragment"), [
    ({"code": ADD}, 422, "either `problem` or `tests`"),
    ({"code": ADD, "problem": "mirror-words", "tests": [{"input": "", "output": ""}]}, 422,
     "not both"),
    ({"code": ADD, "problem": "../../../etc"}, 422, "outside the server's problems folder"),
    ({"code": ADD, "problem": "no-such-problem"}, 422, "no such file"),
    ({"code": ADD, "language": "cpp", "tests": [{"input": "", "output": ""}]}, 422,
     "language"),
    ({"code": ADD, "tests": [{"input": "1", "output": "1"}] * 41}, 413, "41 test runs"),
    ({"programs": [], "tests": [{"input": "", "output": ""}]}, 422, "programs"),
])
def test_bad_judge_requests_get_a_4xx_with_one_line(server, body, status, fragment):
    path = "/judge/batch" if "programs" in body else "/judge"
    assert_one_line_refusal(server.post(path, body), status, fragment)


def test_malformed_json_and_oversize_bodies_are_refused_in_one_line(server):
    bad = requests.post(f"{server.url}/run_code", data=b"{not json",
                     headers={"Content-Type": "application/json"}, timeout=10)
    assert_one_line_refusal(bad, 422, "JSON")
    big = server.post("/run_code", {"code": ADD, "language": "python",
                                    "stdin": "x" * 200_000})
    assert_one_line_refusal(big, 413, "the limit is 100000")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server counts as it reads
        yield b'{"code": "print(1)", "language": "python", "stdin": "'
        for _ in range(30):
            yield b"y" * 10_000
        yield b'"}'

    streamed = requests.post(f"{server.url}/run_code", data=chunks(), timeout=10,
                          headers={"Content-Type": "application/json"})
    assert_one_line_refusal(streamed, 413, "passed the limit of 100000")


# -- hostile programs -----------------------------------------------------------------------

HOSTILE = {
    "fork bomb": ("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n"
                  "        pass\n", {"tle", "re"}),
    "memory hog": ("x = []\nwhile True:\n    x.append(bytearray(1 << 24))\n", {"mle"}),
    "output flood": ("import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n",
                     {"ole"}),
    "network": ("import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)\n",
                {"re"}),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_programs_over_http_are_contained(server, name):
    code, statuses = HOSTILE[name]
    answer = server.post("/run_code", {"code": code, "language": "python", "run_timeout": 1,
                                       "memory_limit_MB": 128}).json()
    assert answer["status"] == "Failed", answer["cpagent"]
    assert answer["cpagent"]["status"] in statuses, answer["cpagent"]
    assert verl_reads(post_as_verl(server, verl_payload(ADD, "2 3")), "5") is True
    assert server.health()["busy"] == 0


# -- admission and disconnects --------------------------------------------------------------


def slow(mark: object, seconds: float = 2.5) -> dict:
    """A request that holds its container for a while; each `mark` a different program."""
    return {"code": f"# {mark}\nimport time\ntime.sleep({seconds})\nprint('done')",
            "language": "python", "run_timeout": 2}


def occupy(server: Server, mark: str, seconds: float) -> list[threading.Thread]:
    """Both containers of the pool busy for `seconds`; the threads to join."""
    blockers = [threading.Thread(target=server.post, args=("/run_code",
                                                           slow(f"{mark}{i}", seconds)))
                for i in range(2)]
    for thread in blockers:
        thread.start()
    server.wait_for(lambda h: h["busy"] == 2)
    return blockers


def test_when_the_pool_is_full_requests_queue_and_then_get_429_with_retry_after(server):
    answers: list[dict] = []

    def send(i: int) -> None:
        answers.append(server.post("/run_code", slow(i)).json())

    threads = [threading.Thread(target=send, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    server.wait_for(lambda h: h["busy"] == 2 and h["queued"] == 1)
    refused = server.post("/run_code", slow("late"))
    assert_one_line_refusal(refused, 429, "busy")
    assert int(refused.headers["Retry-After"]) >= 1
    for thread in threads:
        thread.join()
    assert [a["run_result"]["stdout"] for a in answers] == ["done\n"] * 3


def test_requests_for_one_program_that_wait_together_run_as_one_batch(server):
    """How verl's sandbox_fusion judges: one request per test case, all at once."""
    blockers = occupy(server, "b", 2)
    before = server.health()["run_code_coalesced"]
    answers: dict[int, dict] = {}

    def send(i: int) -> None:
        answers[i] = post_as_verl(server, verl_payload(ADD, f"{i} {i}\n"))

    cases = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for thread in cases:
        thread.start()
    for thread in [*blockers, *cases]:
        thread.join()
    assert {i: verl_reads(a, str(2 * i)) for i, a in answers.items()} == {
        i: True for i in range(8)}
    # All eight came while both containers were busy: they waited as one group (a ninth
    # arriving after the group started would make another).
    assert server.health()["run_code_coalesced"] - before >= 6


def test_a_client_that_disconnects_has_its_run_killed_and_leaks_no_container(server):
    before = set(owned_containers(server.pid))
    assert len(before) == 2
    spin = {"code": "while True: pass", "language": "python", "run_timeout": 30}
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(f"{server.url}/run_code", json=spin, timeout=1.5)
    started = time.monotonic()
    server.wait_for(lambda h: h["busy"] == 0, seconds=10)
    assert time.monotonic() - started < 10  # far sooner than the 30 s the run could take
    after = set(owned_containers(server.pid))
    assert len(after) == 1 and after < before  # the one that ran it is gone
    assert verl_reads(post_as_verl(server, verl_payload(ADD, "1 1")), "2") is True
    assert len(owned_containers(server.pid)) <= 2


def test_a_request_whose_client_left_while_queued_is_not_run(server):
    blockers = occupy(server, "q", 4)
    deadline = time.monotonic() + 3  # a busy slot may still be starting its container
    while len(containers := set(owned_containers(server.pid))) < 2:
        assert time.monotonic() < deadline, containers
    # Both exist now, and neither may go.
    with pytest.raises(requests.exceptions.Timeout):
        requests.post(f"{server.url}/run_code", json=slow("gone", 5), timeout=0.5)
    assert server.health()["busy"] == 2  # it left before its turn came
    for thread in blockers:
        thread.join()
    server.wait_for(lambda h: h["busy"] == 0 and h["queued"] == 0)
    # Had it started, its run would have been killed with its container.
    assert set(owned_containers(server.pid)) == containers


# -- the token ------------------------------------------------------------------------------


def test_a_server_with_a_token_refuses_requests_without_it():
    token = secrets.token_urlsafe(16)
    with running_server("--pool", 1, env={"CPAGENT_SERVE_TOKEN": token}) as srv:
        body = {"code": ADD, "language": "python", "stdin": "1 2"}
        assert_one_line_refusal(srv.post("/run_code", body), 401, "bearer token")
        wrong = srv.post("/run_code", body, headers={"Authorization": "Bearer nope"})
        assert_one_line_refusal(wrong, 401, "bearer token")
        right = srv.post("/run_code", body, headers={"Authorization": f"Bearer {token}"})
        assert right.json()["run_result"]["stdout"] == "3\n"
        assert srv.health()["pool_size"] == 1  # health stays open: it reveals no code
        docs = requests.get(f"{srv.url}/openapi.json", timeout=10).json()
        assert {"/run_code", "/judge", "/judge/batch", "/health"} <= set(docs["paths"])
        page = requests.get(f"{srv.url}/docs", timeout=10)
        assert page.status_code == 200 and "swagger" in page.text.lower()


@pytest.mark.parametrize(("args", "fragment"), [
    (("--host", "0.0.0.0"), "needs a token"),
    (("--problems", "/nonexistent/problems"), "no such directory"),
    (("--sandbox", "local", "--host", "0.0.0.0", "--token", "t"), "loopback only"),
    (("--port", "taken"), "Address already in use"),
    (("--max-run", "nan"), "--max-run must be between"),
])
def test_unsafe_or_impossible_settings_refuse_to_start_in_one_line(args, fragment):
    env = {k: v for k, v in os.environ.items() if k != "CPAGENT_SERVE_TOKEN"}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1] if "taken" in args else free_port()
        argv = [a for a in args if a not in ("--port", "taken")]
        done = subprocess.run(serve_argv("--port", port, *argv), env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], lines
