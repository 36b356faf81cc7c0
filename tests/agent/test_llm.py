"""Model access (agent/llm) through the real `openai` client against a scripted
OpenAI-compatible server on loopback: retries, errors, structured replies, replay, reasoning,
settings precedence and the call log."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from cpagent.agent.llm import (
    CallLog,
    ChatMessage,
    ModelClient,
    ModelReplyError,
    ModelRequestError,
    ModelSettings,
    ModelSettingsError,
    ModelUnavailable,
    cache_key,
    default_log_path,
    lenient_parse,
    resolve_settings,
    split_reasoning,
)
from cpagent.agent.llm.lenient import ReplyInvalid, parse_strict
from cpagent.agent.llm.log import MIGRATIONS, migrate
from cpagent.agent.llm.messages import Usage
from cpagent.agent.llm.prices import call_cost
from cpagent.agent.llm.retry import Backoff, RateGate, call_with_retries
from tests.scripted_server import HttpError, Reply, ScriptedServer, free_port

ENV = ("CPAGENT_MODEL", "CPAGENT_BASE_URL", "CPAGENT_API_KEY", "CPAGENT_TEMPERATURE",
       "CPAGENT_MAX_TOKENS", "CPAGENT_CONFIG", "CPAGENT_HOME", "OPENAI_API_KEY",
       "OPENAI_BASE_URL", "DEEPSEEK_API_KEY", "XDG_CONFIG_HOME", "XDG_DATA_HOME")
ASK = [ChatMessage(role="system", content="You solve problems."),
       ChatMessage(role="user", content="Add two numbers.")]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No real keys, config files or logs from the machine running the tests."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def log(tmp_path):
    with CallLog(tmp_path / "logs.db") as call_log:
        yield call_log


def model_for(server: ScriptedServer, **overrides) -> ModelSettings:
    fields = {"model": "scripted", "base_url": server.base_url, "max_retries": 3,
              "retry_backoff_s": 0.001, "timeout_s": 5.0, "price_in_per_mtok": 1.0,
              "price_out_per_mtok": 2.0, **overrides}
    return ModelSettings(**fields)


def one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and text
    return text


class Plan(BaseModel):
    approach: str
    complexity: str
    steps: list[str] = []


class Case(BaseModel):
    x: int


class Answer(BaseModel):
    answer: int
    note: str = ""
    tests: list[Case] = []


PLAN = {"approach": "prefix sums", "complexity": "O(n)", "steps": ["read", "sum"]}


# -- plain completions, retries, failures -------------------------------------------------

def test_plain_completion_with_usage_and_cost(log):
    reply = Reply("hello", usage={"prompt_tokens": 11, "completion_tokens": 3})
    with ScriptedServer([reply]) as server:
        client = ModelClient(model_for(server), log=log)
        done = client.complete(ASK, step="reflect")
    assert done.text == "hello" and not done.cached and done.finish_reason == "stop"
    assert (done.usage.prompt_tokens, done.usage.completion_tokens) == (11, 3)
    assert not done.usage.estimated
    assert client.spend.calls == 1 and client.spend.cost_usd == pytest.approx(17e-6)
    sent = server.requests[0]
    assert sent["model"] == "scripted" and sent["messages"][1]["content"] == "Add two numbers."
    assert sent["temperature"] == 0.2 and sent["max_tokens"] == 2048
    assert "seed" not in sent and "response_format" not in sent
    row = log.get(done.call_id)
    assert row.reply == "hello" and row.step == "reflect" and row.error is None
    assert row.prompt_tokens == 11 and row.cost_usd == pytest.approx(17e-6)


def test_per_call_options_reach_the_server(log):
    with ScriptedServer(["a"]) as server:
        ModelClient(model_for(server), log=log).complete(
            ASK, max_tokens=64, temperature=0.9, sample=3, stop=["\n\n"])
    sent = server.requests[0]
    assert (sent["max_tokens"], sent["temperature"], sent["seed"]) == (64, 0.9, 3)
    assert sent["stop"] == ["\n\n"]


def test_429_then_500_then_success_is_retried_and_counted_once(log):
    with ScriptedServer([429, 500, "ok"]) as server:
        client = ModelClient(model_for(server), log=log)
        done = client.complete(ASK)
    assert done.text == "ok" and len(server.requests) == 3
    assert client.spend.calls == 1 and client.spend.errors == 2
    rows = log.recent(10)[::-1]
    assert [row.error is None for row in rows] == [False, False, True]
    assert "429" in rows[0].error and "500" in rows[1].error
    assert log.totals().calls == 1 and log.totals().errors == 2


def test_retry_after_is_honoured():
    with ScriptedServer([HttpError(429, headers={"Retry-After": "0.3"}), "ok"]) as server:
        client = ModelClient(model_for(server))
        started = time.monotonic()
        assert client.complete(ASK).text == "ok"
    assert time.monotonic() - started >= 0.3


def test_400_is_not_retried(log):
    with ScriptedServer([HttpError(400, "context\nlength exceeded"), "never"]) as server:
        with pytest.raises(ModelRequestError) as caught:
            ModelClient(model_for(server), log=log).complete(ASK)
    assert len(server.requests) == 1
    assert "context length exceeded" in one_line(caught.value)
    assert "(400)" in str(caught.value)
    assert log.totals().errors == 1


def test_auth_failure_is_unavailable_and_not_retried():
    with ScriptedServer([HttpError(401, "Incorrect API key"), "never"]) as server:
        with pytest.raises(ModelUnavailable, match="refused the API key"):
            ModelClient(model_for(server)).complete(ASK)
    assert len(server.requests) == 1


def test_5xx_until_the_retries_run_out():
    with ScriptedServer([503, 500, 502, "too late"]) as server:
        with pytest.raises(ModelUnavailable) as caught:
            ModelClient(model_for(server, max_retries=2)).complete(ASK)
    assert "(after 3 attempts)" in one_line(caught.value) and "(502)" in str(caught.value)
    assert server.remaining == 1


def test_dead_endpoint_is_unavailable_fast_and_in_one_line(log):
    url = f"http://127.0.0.1:{free_port()}/v1"
    settings_ = ModelSettings(model="m", base_url=url, max_retries=2, retry_backoff_s=0.01)
    started = time.monotonic()
    with pytest.raises(ModelUnavailable) as caught:
        ModelClient(settings_, log=log).complete(ASK)
    assert time.monotonic() - started < 3
    message = one_line(caught.value)
    assert message.startswith(f"cannot reach the model at {url}: ")
    assert "refused" in message.lower() and "after 3 attempts" in message
    assert log.totals().errors == 3


def test_timeouts_are_retried_then_unavailable():
    with ScriptedServer([Reply("late", delay_s=1.0), Reply("late", delay_s=1.0)]) as server:
        client = ModelClient(model_for(server, timeout_s=0.2, max_retries=1))
        with pytest.raises(ModelUnavailable, match=r"did not answer within 0.2s"):
            client.complete(ASK)
    assert len(server.requests) == 2


def test_no_key_and_no_local_server_are_unavailable_without_a_request():
    with pytest.raises(ModelUnavailable, match="OPENAI_API_KEY"):
        ModelClient(ModelSettings(model="gpt-4o-mini")).complete(ASK)
    with pytest.raises(ModelUnavailable, match="local model has no base_url"):
        ModelClient(resolve_settings()).complete(ASK)


def test_usage_is_estimated_when_the_server_sends_none():
    with ScriptedServer([Reply("x" * 40, usage=None)]) as server:
        client = ModelClient(model_for(server))
        done = client.complete(ASK)
    assert done.usage.estimated and done.usage.completion_tokens == 10
    assert done.usage.prompt_tokens > 0 and client.spend.completion_tokens == 10


def test_a_refused_max_tokens_is_resent_as_max_completion_tokens():
    refusal = HttpError(400, "Unsupported parameter: 'max_tokens' is not supported with this "
                             "model. Use 'max_completion_tokens' instead.")
    with ScriptedServer([refusal, "ok", "again"]) as server:
        client = ModelClient(model_for(server))
        assert client.complete(ASK).text == "ok"
        assert client.complete(ASK, sample=1).text == "again"
    assert "max_tokens" in server.requests[0]
    for later in server.requests[1:]:
        assert later["max_completion_tokens"] == 2048 and "max_tokens" not in later


def test_concurrent_calls_from_threads(log):
    with ScriptedServer([lambda request: f"seed {request['seed']}"] * 8) as server:
        client = ModelClient(model_for(server), log=log)
        results: list[str] = []
        threads = [threading.Thread(target=lambda i=i: results.append(
            client.complete(ASK, sample=i).text)) for i in range(1, 9)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(results) == sorted(f"seed {i}" for i in range(1, 9))
    assert client.spend.calls == 8 and log.totals().calls == 8


# -- structured replies -------------------------------------------------------------------

def test_structured_valid_on_first_try(log):
    with ScriptedServer([PLAN]) as server:
        plan, done = ModelClient(model_for(server), log=log).structured(ASK, Plan, step="plan")
    assert plan == Plan(**PLAN) and not done.partial
    sent = server.requests[0]
    fmt = sent["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == "Plan"
    assert fmt["json_schema"]["strict"] is False
    assert fmt["json_schema"]["schema"]["properties"]["approach"]["type"] == "string"
    # The schema also travels in the prompt, appended to the last user message.
    assert sent["messages"][1]["content"].startswith("Add two numbers.")
    assert '"approach"' in sent["messages"][1]["content"]
    assert log.get(done.call_id).request["schema"] == "Plan"


def test_structured_object_mode_sends_llama_cpp_style_schema():
    with ScriptedServer([PLAN]) as server:
        ModelClient(model_for(server, json_mode="object")).structured(ASK, Plan)
    fmt = server.requests[0]["response_format"]
    assert fmt["type"] == "json_object" and "approach" in fmt["schema"]["properties"]


def test_structured_reply_wrapped_in_prose_and_a_fence():
    reply = ("Sure! Here is the plan:\n```json\n" + json.dumps(PLAN, indent=2)
             + "\n```\nLet me know if you need anything else {really}.")
    with ScriptedServer([reply]) as server:
        plan, _ = ModelClient(model_for(server)).structured(ASK, Plan)
    assert plan == Plan(**PLAN) and len(server.requests) == 1


def test_invalid_reply_is_repaired_in_a_second_round(log):
    bad = '{"approach": "greedy", "complexity": 5}'
    with ScriptedServer([bad, PLAN]) as server:
        plan, done = ModelClient(model_for(server), log=log).structured(ASK, Plan, step="plan")
    assert plan == Plan(**PLAN) and not done.partial
    repair = server.requests[1]["messages"]
    assert repair[-2] == {"role": "assistant", "content": bad}
    assert "complexity" in repair[-1]["content"]
    assert "Input should be a valid string" in repair[-1]["content"]
    assert log.get(done.call_id).step == "plan:repair"


def test_still_invalid_after_repair_is_salvaged_partially():
    bad = '{"answer": 3, "note": 7, "tests": [{"x": 1}, {"x": "many"}], "extra": true}'
    with ScriptedServer([bad, bad]) as server:
        value, done = ModelClient(model_for(server)).structured(ASK, Answer)
    assert value == Answer(answer=3, note="", tests=[Case(x=1)])
    assert done.partial and len(server.requests) == 2


def test_still_invalid_after_repair_raises_one_line():
    with ScriptedServer(["no idea", "still no idea", "none", "nope"]) as server:
        client = ModelClient(model_for(server))
        with pytest.raises(ModelReplyError) as caught:
            client.structured(ASK, Answer, step="solve", partial=False)
        assert "does not fit Answer" in one_line(caught.value)
        # A required field that never validates cannot be salvaged either.
        with pytest.raises(ModelReplyError):
            client.structured(ASK, Answer, sample=1)


def test_rejected_response_format_falls_back_and_is_remembered():
    refusal = HttpError(400, "'response_format' of type 'json_schema' is not supported")
    with ScriptedServer([refusal, PLAN, PLAN]) as server:
        client = ModelClient(model_for(server))
        plan, _ = client.structured(ASK, Plan)
        assert plan == Plan(**PLAN) and client.json_mode == "none"
        client.structured(ASK, Plan, sample=1)
    assert "response_format" in server.requests[0]
    assert all("response_format" not in sent for sent in server.requests[1:])


def test_server_specific_fields_are_sent_logged_and_keyed(log):
    plain = ModelSettings(model="scripted", base_url="http://127.0.0.1:1/v1")
    tuned = plain.model_copy(update={"extra_body": {"repeat_penalty": 1.0}})
    params = {"temperature": 0.0, "max_tokens": 8, "stop": None, "sample": 0}
    assert cache_key(plain, ASK, params, None) != cache_key(tuned, ASK, params, None)
    with ScriptedServer(["a", "b"]) as server:
        done = ModelClient(model_for(server, extra_body={"repeat_penalty": 1.0}),
                           log=log).complete(ASK)
        assert server.requests[0]["repeat_penalty"] == 1.0
        assert "repeat_penalty" not in server.requests[0].get("extra_body", {})
        assert log.get(done.call_id).request["extra_body"] == {"repeat_penalty": 1.0}
        # Without the field the call is another call: no replay of the tuned one.
        assert not ModelClient(model_for(server), log=log).complete(ASK).cached
        assert "repeat_penalty" not in server.requests[1]


def test_extra_body_comes_from_a_config_table_for_that_model_only(tmp_path):
    config = write_config(tmp_path / "config.toml", """
[models.local]
extra_body = {repeat_penalty = 1.0}
""")
    assert resolve_settings("local", config_file=config).extra_body == {"repeat_penalty": 1.0}
    assert resolve_settings("gpt-4o-mini", config_file=config).extra_body == {}


# -- replay -------------------------------------------------------------------------------

def test_identical_call_replays_from_the_log_and_a_new_sample_does_not(log):
    with ScriptedServer(["first", "second sample", "fresh"]) as server:
        first = ModelClient(model_for(server), log=log).complete(ASK)
        again = ModelClient(model_for(server), log=log)  # a rerun: a new client, same log
        replayed = again.complete(ASK)
        assert len(server.requests) == 1
        assert replayed.cached and replayed.text == "first" and replayed.usage == first.usage
        assert replayed.call_id != first.call_id
        assert log.get(replayed.call_id).replay_of == first.call_id
        assert (again.spend.calls, again.spend.cached_calls, again.spend.cost_usd) == (0, 1, 0)

        other = again.complete(ASK, sample=1)
        assert not other.cached and other.text == "second sample"
        assert server.requests[1]["seed"] == 1

        fresh = ModelClient(model_for(server), log=log, replay=False).complete(ASK)
        assert fresh.text == "fresh" and len(server.requests) == 3
    totals = log.totals()
    assert (totals.calls, totals.cached_calls) == (3, 1)


def test_replay_of_the_embedded_model_ignores_its_loopback_port(log):
    embedded = {"embedded": True}
    with ScriptedServer(["once"]) as server:
        ModelClient(model_for(server).model_copy(update=embedded), log=log).complete(ASK)
    with ScriptedServer([]) as moved:  # the local model restarted on another port
        assert ModelClient(model_for(moved).model_copy(update=embedded), log=log).complete(
            ASK).cached
    assert moved.requests == []


def test_two_servers_on_loopback_ports_do_not_share_replies(log):
    # vLLM on one port and Ollama on another may serve a model of the same name.
    with ScriptedServer(["from vllm"]) as vllm, ScriptedServer(["from ollama"]) as ollama:
        first = ModelClient(model_for(vllm), log=log).complete(ASK)
        second = ModelClient(model_for(ollama), log=log).complete(ASK)
    assert (first.text, second.text, second.cached) == ("from vllm", "from ollama", False)


def test_the_way_structure_is_asked_for_is_part_of_the_replay_key(log):
    with ScriptedServer([PLAN, PLAN]) as server:
        schema = model_for(server).model_copy(update={"json_mode": "schema"})
        ModelClient(schema, log=log).structured(ASK, Plan)
        plain = ModelClient(schema.model_copy(update={"json_mode": "object"}), log=log)
        assert not plain.structured(ASK, Plan)[1].cached
    assert len(server.requests) == 2


def test_structured_with_repair_replays_without_requests(log):
    with ScriptedServer(['{"approach": 1}', PLAN]) as server:
        ModelClient(model_for(server), log=log).structured(ASK, Plan)
        plan, done = ModelClient(model_for(server), log=log).structured(ASK, Plan)
    assert plan == Plan(**PLAN) and done.cached and len(server.requests) == 2


def test_failed_calls_are_not_replayed(log):
    with ScriptedServer([HttpError(400, "nope"), "ok"]) as server:
        with pytest.raises(ModelRequestError):
            ModelClient(model_for(server), log=log).complete(ASK)
        assert not ModelClient(model_for(server), log=log).complete(ASK).cached


# -- reasoning ----------------------------------------------------------------------------

def test_reasoning_is_split_from_think_tags_and_from_reasoning_content():
    replies = [Reply("<think>\nadd them\n</think>\n\n42"),
               Reply("42", reasoning_content="a + b"),
               Reply('<think>maybe {"approach": "wrong"}</think>' + json.dumps(PLAN))]
    with ScriptedServer(replies) as server:
        client = ModelClient(model_for(server))
        tagged = client.complete(ASK)
        separate = client.complete(ASK, sample=1)
        plan, done = client.structured(ASK, Plan)
    assert (tagged.text, tagged.reasoning) == ("42", "add them")
    assert (separate.text, separate.reasoning) == ("42", "a + b")
    assert plan == Plan(**PLAN) and done.reasoning == 'maybe {"approach": "wrong"}'


@pytest.mark.parametrize(("raw", "field", "expected"), [
    ("plain answer", None, ("plain answer", None)),
    ("  <think>cut off by max_tokens", None, ("", "cut off by max_tokens")),
    ("template opened it</think>answer", None, ("answer", "template opened it")),
    ("<THINK>a</THINK>b", "first", ("b", "first\n\na")),
    ("answer mentions </think> and <think>", None, ("answer mentions </think> and <think>", None)),
])
def test_split_reasoning(raw, field, expected):
    assert split_reasoning(raw, field) == expected


# -- lenient parsing ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    '{"answer": 4, "note": "ok",}',                          # trailing comma
    "{'answer': 4, 'note': 'ok'}",                           # single quotes
    '{"answer": 4, "note": "ok", "tests": [], "x": None}',   # Python literal
    '{"answer": 4, "note": "o\nk"}',                         # raw newline in a string
    '{answer: 4, note: "ok"} // keys unquoted, a comment',
    'The result is {"answer": 4, "note": "ok"}. Done.',
])
def test_syntax_slips_are_fixed_without_a_repair_round(text):
    value = parse_strict(text, Answer)
    assert value.answer == 4 and value.note.replace("\n", "") == "ok"


def test_unescaped_quotes_and_backslashes_in_code_strings():
    text = '{"answer": 1, "note": "print("hi") and re.compile("\\d+")"}'
    assert parse_strict(text, Answer).note == 'print("hi") and re.compile("\\d+")'


def test_truncated_reply_is_closed_only_when_salvaging():
    cut = '{"answer": 7, "tests": [{"x": 1}, {"x": 2'
    with pytest.raises(ReplyInvalid):
        parse_strict(cut, Answer)
    assert lenient_parse(cut, Answer) == Answer(answer=7, tests=[Case(x=1), Case(x=2)])
    assert lenient_parse('{"answer": 7, "no', Answer) == Answer(answer=7)


def test_lenient_parse_needs_the_required_fields():
    with pytest.raises(ModelReplyError, match="answer: Field required"):
        lenient_parse('{"note": "forgot the answer"}', Answer)


@settings(max_examples=60, deadline=None)
@given(st.builds(Plan), st.sampled_from(["{}", "```json\n{}\n```", "Here:\n{}\nThanks."]))
def test_any_plan_survives_wrapping(plan, wrapper):
    text = wrapper.replace("{}", plan.model_dump_json(indent=1))
    assert parse_strict(text, Plan) == plan


# -- settings -----------------------------------------------------------------------------

def write_config(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_default_is_local_without_any_key():
    found = resolve_settings()
    assert (found.model, found.base_url, found.api_key, found.json_mode) == (
        "local", None, None, "object")


def test_a_provider_key_picks_a_hosted_default(monkeypatch):
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-ds")
    found = resolve_settings()
    assert (found.model, found.base_url, found.api_key) == (
        "deepseek-chat", "https://api.deepseek.com", "sk-ds")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-oa")
    found = resolve_settings()
    assert (found.model, found.api_key, found.price_in_per_mtok) == ("gpt-4o-mini", "sk-oa", None)
    # no hand-kept price: genai-prices' (USD 0.15 per million input tokens when written)
    assert call_cost(found, Usage(prompt_tokens=1_000_000)) == pytest.approx(0.15)
    assert "sk-oa" not in repr(found)


def test_precedence_flags_over_env_over_config_over_registry(monkeypatch, tmp_path):
    config = write_config(tmp_path / "home" / ".config" / "cpagent" / "config.toml", """
model = "fast"
temperature = 0.5
max_tokens = 1000

[models.fast]
model = "gpt-4o-mini"
price_out_per_mtok = 0.7

[models.box]
model = "qwen-coder"
base_url = "http://gpu-box:8000/v1"
json_mode = "object"
""")
    found = resolve_settings()  # the default config path under $HOME
    assert (found.model, found.temperature, found.max_tokens) == ("gpt-4o-mini", 0.5, 1000)
    assert (found.price_in_per_mtok, found.price_out_per_mtok) == (None, 0.7)  # file

    monkeypatch.setenv("CPAGENT_TEMPERATURE", "0.9")
    monkeypatch.setenv("CPAGENT_MODEL", "box")
    found = resolve_settings(config_file=config)
    assert (found.model, found.base_url, found.temperature) == (
        "qwen-coder", "http://gpu-box:8000/v1", 0.9)

    found = resolve_settings("deepseek-chat", temperature=0.0, max_tokens=None)
    assert (found.model, found.base_url) == ("deepseek-chat", "https://api.deepseek.com")
    assert (found.temperature, found.max_tokens) == (0.0, 1000)  # None is "not given"


def test_keys_go_only_to_their_own_provider(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-oa")
    monkeypatch.setenv("CPAGENT_BASE_URL", "http://gpu-box:8000/v1")
    assert resolve_settings("gpt-4o").api_key is None
    monkeypatch.setenv("CPAGENT_API_KEY", "sk-mine")
    assert resolve_settings("gpt-4o").api_key == "sk-mine"
    assert resolve_settings("gpt-4o", api_key="sk-flag").api_key == "sk-flag"


def test_config_key_env_and_unknown_alias(monkeypatch, tmp_path):
    config = write_config(tmp_path / "c.toml", """
[models.team]
model = "team-model"
base_url = "https://llm.example.com/v1"
api_key_env = "TEAM_KEY"
""")
    monkeypatch.setenv("CPAGENT_CONFIG", str(config))
    monkeypatch.setenv("TEAM_KEY", "sk-team")
    found = resolve_settings("team")
    assert (found.model, found.api_key) == ("team-model", "sk-team")
    plain = resolve_settings("o-something-new")  # not an alias: a model name for OpenAI
    assert (plain.model, plain.base_url, plain.api_key) == ("o-something-new", None, None)


def test_bad_settings_are_one_line_errors(monkeypatch, tmp_path):
    with pytest.raises(ModelSettingsError, match="config file not found"):
        resolve_settings(config_file=tmp_path / "missing.toml")
    bad = write_config(tmp_path / "bad.toml", 'model = "x"\ntemprature = 0.3\n')
    with pytest.raises(ModelSettingsError, match="unknown key 'temprature'"):
        resolve_settings(config_file=bad)
    broken = write_config(tmp_path / "broken.toml", "model = \n")
    with pytest.raises(ModelSettingsError) as caught:
        resolve_settings(config_file=broken)
    one_line(caught.value)
    monkeypatch.setenv("CPAGENT_MAX_TOKENS", "lots")
    with pytest.raises(ValueError, match="CPAGENT_MAX_TOKENS"):
        resolve_settings()
    monkeypatch.delenv("CPAGENT_MAX_TOKENS")
    with pytest.raises(ModelSettingsError, match="temperature"):
        resolve_settings(temperature=-1)


# -- the call log -------------------------------------------------------------------------

def test_migrations_are_idempotent_and_upgrade_old_logs(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    assert migrate(db, MIGRATIONS[:1]) == ["m001_calls"]  # a log written by an old version
    db.execute("INSERT INTO calls (created, model, step, key, request, reply) "
               "VALUES ('then', 'm', '', 'k', '{}', 'kept')")
    db.close()
    with CallLog(path) as first:
        names = first.migrations()
        assert names == [fn.__name__ for fn in MIGRATIONS] and len(names) >= 3
        assert first.lookup("k").reply == "kept"
    with CallLog(path) as second:
        assert second.migrations() == names
        mode = second._db.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_totals_sum_calls_replays_and_errors():
    with CallLog(":memory:") as calls:
        base = {"model": "m", "base_url": None, "step": "s", "request": {}}
        from cpagent.agent.llm import Usage
        calls.record(key="a", reply="x", usage=Usage(prompt_tokens=10, completion_tokens=5),
                     cost_usd=0.5, **base)
        calls.record(key="b", reply="y", usage=Usage(prompt_tokens=1, completion_tokens=2),
                     cost_usd=0.25, **base)
        calls.record(key="a", reply="x", usage=Usage(prompt_tokens=10, completion_tokens=5),
                     cached=True, **base)
        calls.record(key="c", error="boom", **base)
        totals = calls.totals()
        assert (totals.calls, totals.cached_calls, totals.errors) == (2, 1, 1)
        assert (totals.prompt_tokens, totals.completion_tokens) == (11, 7)
        assert totals.cost_usd == pytest.approx(0.75)
        assert calls.totals(model="other").calls == 0
        assert [row.key for row in calls.recent(2)] == ["c", "a"]
        assert calls.lookup("c") is None


def test_default_log_path(monkeypatch, tmp_path):
    assert default_log_path() == tmp_path / "home" / ".local" / "share" / "cpagent" / "logs.db"
    monkeypatch.setenv("CPAGENT_HOME", str(tmp_path / "cp"))
    assert default_log_path() == tmp_path / "cp" / "logs.db"


def test_a_429_pauses_every_caller_of_the_client_not_only_the_one_that_got_it():
    clock = [0.0]
    gate = RateGate(clock=lambda: clock[0])
    seen: dict[str, list[float]] = {"first": [], "second": []}

    def attempt(name: str):
        def once() -> str:
            seen[name].append(clock[0])
            if name == "first" and len(seen[name]) == 1:
                raise ModelUnavailable("rate-limited (429)", retryable=True, retry_after=2.0,
                                       status=429)
            return name
        return once

    def second_caller_sleep(seconds: float) -> None:
        clock[0] += seconds

    def first_caller_sleep(seconds: float) -> None:
        # While the first caller waits out its 429, a second caller of the same client starts.
        if not seen["second"]:
            assert call_with_retries(attempt("second"), retries=0, backoff=Backoff(),
                                     sleep=second_caller_sleep, gate=gate) == "second"
        clock[0] = max(clock[0], 2.0)

    assert call_with_retries(attempt("first"), retries=2, backoff=Backoff(),
                             sleep=first_caller_sleep, gate=gate) == "first"
    assert seen["first"][0] == 0.0 and seen["second"] == [2.0]  # it waited for the gate
    assert seen["first"][1] >= 2.0
