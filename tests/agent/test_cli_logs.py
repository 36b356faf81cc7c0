"""`cpagent logs` reads a call log written by the real client (through the `openai` SDK,
against a scripted server on loopback): the list and its filters, one call in full, the
spend per model; a missing or broken log is one line and exit code 2."""

from __future__ import annotations

import json

import pytest

from cpagent.agent.llm import CallLog, ChatMessage, ModelClient, ModelSettings
from cpagent.agent.llm.errors import ModelError
from tests.conftest import assert_one_line_error, cpagent
from tests.scripted_server import Reply, ScriptedServer

ASK = [ChatMessage(role="system", content="You write Python."),
       ChatMessage(role="user", content="Print the sum of two integers.")]
OTHER = [ChatMessage(role="user", content="Restate: count lamps that are on.")]


@pytest.fixture(scope="module")
def log_path(tmp_path_factory):
    """Four rows: a solution (id 1), the same call replayed (2), a reflection with reasoning
    from another model (3), and a failed call (4)."""
    path = tmp_path_factory.mktemp("logs") / "logs.db"
    script = [Reply("```python\nprint(sum(map(int, input().split())))\n```",
                    usage={"prompt_tokens": 30, "completion_tokens": 12}),
              Reply('{"restatement": "lamps"}', reasoning_content="Toggle parity.",
                    usage={"prompt_tokens": 20, "completion_tokens": 8}),
              500]
    with ScriptedServer(script) as server, CallLog(path) as log:
        def client(model: str) -> ModelClient:
            return ModelClient(ModelSettings(model=model, base_url=server.base_url,
                                             api_key="x", max_retries=0), log=log)
        client("coder").complete(ASK, step="solution")
        assert client("coder").complete(ASK, step="solution").cached
        client("thinker").complete(OTHER, step="reflect")
        with pytest.raises(ModelError):
            client("thinker").complete(ASK + OTHER, step="debug")
        assert len(server.requests) == 3
    return path


def logs(*args, log_path):
    return cpagent("logs", *args, "--log", log_path, env={"COLUMNS": "200"})


def rows(done) -> list[list[str]]:
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].split()[:2] == ["id", "created"]
    return [line.split() for line in lines[1:]]


def test_the_list_is_newest_first_with_how_each_call_ended(log_path):
    done = logs(log_path=log_path)
    assert done.stdout.split()[:8] == ["id", "created", "model", "step", "tokens", "seconds",
                                       "ended", "reply"]
    listed = rows(done)
    assert [r[0] for r in listed] == ["4", "3", "2", "1"]
    by_id = {r[0]: r for r in listed}
    assert by_id["1"][3:6] == ["coder", "solution", "30+12"] and "stop" in by_id["1"]
    assert by_id["1"][-1] == "```python"  # the reply's first line
    assert "replay" in by_id["2"] and "#1" in by_id["2"]
    assert by_id["4"][4] == "debug" and "error:" in by_id["4"]


def test_filters_narrow_the_list(log_path):
    assert [r[0] for r in rows(logs("-n", "2", log_path=log_path))] == ["4", "3"]
    assert [r[0] for r in rows(logs("--model", "coder", log_path=log_path))] == ["2", "1"]
    reflections = logs("--step", "reflect", log_path=log_path)
    assert "model" not in reflections.stdout.splitlines()[0]  # one model: no column for it
    assert [r[0] for r in rows(reflections)] == ["3"]
    assert [r[0] for r in rows(logs("--errors", log_path=log_path))] == ["4"]
    # Text is found in prompts (a quoted string, escaped in the stored request) and replies.
    assert [r[0] for r in rows(logs("-q", "count lamps", log_path=log_path))] == ["4", "3"]
    assert [r[0] for r in rows(logs("-q", '"restatement"', log_path=log_path))] == ["3"]
    done = logs("--step", "brute", log_path=log_path)
    assert done.returncode == 0 and done.stdout.strip() == "no calls match"


def test_json_list_holds_the_whole_records(log_path):
    done = logs("--json", "--model", "thinker", log_path=log_path)
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert [r["id"] for r in records] == [4, 3]
    assert records[1]["reasoning"] == "Toggle parity."
    assert records[1]["request"]["messages"][0]["content"] == OTHER[0].content
    assert records[0]["error"] and records[0]["reply"] is None


def test_show_prints_prompt_reasoning_and_reply(log_path):
    done = logs("show", "3", log_path=log_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("call 3 · ") and "thinker" in out and "step reflect" in out
    assert "tokens 20 in, 8 out" in out
    assert "## user\nRestate: count lamps that are on." in out
    assert "## reasoning\nToggle parity." in out
    assert out.rstrip().endswith('## reply\n{"restatement": "lamps"}')
    replay = logs("show", "2", "--json", log_path=log_path)
    assert json.loads(replay.stdout)["replay_of"] == 1


def test_totals_count_requests_apart_from_free_replays(log_path):
    done = logs("totals", "--json", log_path=log_path)
    assert done.returncode == 0, done.stderr
    spend = json.loads(done.stdout)
    assert list(spend) == ["coder", "thinker"] or list(spend) == ["thinker", "coder"]
    assert (spend["coder"]["calls"], spend["coder"]["cached_calls"]) == (1, 1)
    assert spend["coder"]["prompt_tokens"] == 30  # the replay costs nothing
    assert (spend["thinker"]["calls"], spend["thinker"]["errors"]) == (1, 1)
    table = logs("totals", log_path=log_path).stdout
    assert any(line.split()[:3] == ["coder", "1", "1"] for line in table.splitlines())


def test_a_missing_call_or_log_is_one_line_and_exit_2(log_path, tmp_path):
    assert_one_line_error(logs("show", "99", log_path=log_path), "no call 99")
    missing = tmp_path / "none" / "logs.db"
    assert_one_line_error(logs(log_path=missing), "no call log at")
    assert not missing.parent.exists()  # reading did not create one
    broken = tmp_path / "broken.db"
    broken.write_text("not a database\n" * 100)
    assert_one_line_error(logs("totals", log_path=broken), "cannot open the call log")
    assert broken.read_text() == "not a database\n" * 100
