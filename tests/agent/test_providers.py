"""Reasoning models work on the first request: `cpagent solve` against emulated providers
(tests/provider_emulator.py names the document behind each rule), with the real openai
client and the real sandbox; and the faults a provider can throw, each a one-line failure."""

from __future__ import annotations

import json

import pytest
from genai_prices import Usage as PriceUsage
from genai_prices import calc_price

from cpagent.agent.batch import RunStore
from cpagent.agent.llm import (
    CallLog,
    ChatMessage,
    ModelClient,
    ModelQuotaExhausted,
    ModelRequestError,
    ModelTruncated,
    family_for,
    resolve_settings,
)
from cpagent.agent.llm.redact import redact_url
from tests.add_k import answer as add_k_answer
from tests.add_k import write_set
from tests.conftest import LIBRARY, assert_one_line_error, cpagent
from tests.provider_emulator import (
    Emulator,
    Fault,
    deepseek_reasoner,
    ollama,
    openai_reasoning,
    openrouter,
    vllm_qwen3,
)
from tests.scripted_server import HttpError, ScriptedServer

PROBLEM = LIBRARY / "mirror-words"
PROGRAM = (PROBLEM / "submissions" / "accepted" / "lower_and_reverse.py").read_text()
ASK = [ChatMessage(role="system", content="You solve problems."),
       ChatMessage(role="user", content="Add two numbers.")]


def fenced(_request: dict) -> str:
    return f"Here it is.\n\n```python\n{PROGRAM}```\n"


def _solve(emulator: Emulator, tmp_path, *more: str):
    return cpagent("solve", PROBLEM, "--model", emulator.provider.model, "--base-url",
                   emulator.base_url, "--flow", "oneshot", "-o", tmp_path / "out.py", *more,
                   cwd=tmp_path, env={"CPAGENT_API_KEY": "sk-test", "CPAGENT_HOME":
                                      str(tmp_path / "home")})


@pytest.mark.parametrize("provider", [openai_reasoning(), deepseek_reasoner(), vllm_qwen3(),
                                      openrouter(), ollama()], ids=lambda p: p.name)
def test_a_reasoning_model_solves_on_its_first_request(provider, tmp_path):
    with Emulator(provider, fenced) as emulator:
        done = _solve(emulator, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert emulator.refused == [] and emulator.cut_off == 0
    assert len(emulator.requests) == 1
    assert (tmp_path / "out.py").read_text() == PROGRAM
    assert "reasoning profile" in done.stdout


def test_the_o_series_request_follows_openais_rules():
    with Emulator(openai_reasoning(), fenced) as emulator:
        settings = resolve_settings("o4-mini", base_url=emulator.base_url, api_key="x",
                                    effort="high")
        ModelClient(settings).complete(ASK, temperature=0.7)
    sent = emulator.requests[0]
    assert "max_tokens" not in sent and "temperature" not in sent and "seed" not in sent
    assert sent["max_completion_tokens"] == family_for("o4-mini").budget == 32768
    assert sent["reasoning_effort"] == "high"
    assert [m["role"] for m in sent["messages"]] == ["developer", "user"]


def test_a_budget_spent_on_reasoning_is_a_failed_call_with_its_cause_never_a_reply(tmp_path):
    with Emulator(openai_reasoning(think_tokens=3000), fenced) as emulator:
        done = _solve(emulator, tmp_path, "--max-tokens", "1536")
        again = _solve(emulator, tmp_path, "--max-tokens", "1536")
    assert done.returncode == 1
    out = " ".join(done.stdout.split())
    assert "below what a openai-reasoning model needs to think (at least 4096)" in out
    assert "cut off after 1536 tokens (all spent reasoning) with no answer" in out
    assert "raise --max-tokens" in out
    # nothing was stored as a reply: the rerun asked again rather than replaying
    assert again.returncode == 1 and len(emulator.requests) == 2
    with CallLog(tmp_path / "home" / "logs.db") as log:
        rows = log.recent(5)
    assert [r.error is not None and r.reasoning_tokens == 1536 for r in rows] == [True, True]


def test_an_unknown_effort_or_profile_is_bad_input(tmp_path):
    with Emulator(openai_reasoning(), fenced) as emulator:
        assert_one_line_error(_solve(emulator, tmp_path, "--effort", "extreme"),
                              "unknown --effort 'extreme'")
        assert_one_line_error(_solve(emulator, tmp_path, "--profile", "huge"),
                              "unknown --profile 'huge'")
        assert emulator.requests == []


def test_costs_in_the_log_are_the_emulators_usage_priced_by_genai_prices(tmp_path):
    with Emulator(deepseek_reasoner(think_tokens=800), fenced) as emulator:
        settings = resolve_settings("deepseek-reasoner", base_url=emulator.base_url,
                                    api_key="x")
        client = ModelClient(settings, log=CallLog(tmp_path / "logs.db"))
        for sample in range(3):
            client.complete(ASK, sample=sample)
    expected = sum(float(calc_price(PriceUsage(input_tokens=u["prompt_tokens"],
                                               output_tokens=u["completion_tokens"]),
                                    "deepseek-reasoner", provider_id="deepseek").total_price)
                   for u in emulator.usage)
    assert expected > 0
    assert client.spend.cost_usd == pytest.approx(expected)
    assert client.log.totals().cost_usd == pytest.approx(expected)
    assert client.spend.reasoning_tokens == 3 * 800 and client.spend.unpriced_calls == 0


def test_a_spent_quota_stops_at_once_without_retries():
    quota = HttpError(429, "You exceeded your current quota, please check your plan.",
                      body={"error": {"message": "You exceeded your current quota.",
                                      "type": "insufficient_quota", "param": None,
                                      "code": "insufficient_quota"}})
    with ScriptedServer([quota, "never asked"]) as server:
        settings = resolve_settings("scripted", base_url=server.base_url, api_key="x",
                                    retry_backoff_s=0.0)
        with pytest.raises(ModelQuotaExhausted, match="no quota left"):
            ModelClient(settings).complete(ASK)
        assert len(server.requests) == 1


def test_credentials_in_the_url_or_echoed_in_an_error_reach_neither_log_nor_message(tmp_path):
    key = "sk-verysecretkey123"
    echo = HttpError(400, f"bad request to /v1/chat/completions?api-key={key} with Bearer {key}")
    with ScriptedServer([echo]) as server:
        url = server.base_url.replace("http://", f"http://user:{key}@")
        settings = resolve_settings("scripted", base_url=url, api_key=key)
        client = ModelClient(settings, log=CallLog(tmp_path / "logs.db"))
        with pytest.raises(ModelRequestError) as caught:
            client.complete(ASK)
    assert key not in str(caught.value) and "***" in str(caught.value)
    row = client.log.recent(1)[0]
    assert key not in (row.base_url or "") + (row.error or "") and "***" in row.base_url


def test_a_cut_off_reply_is_a_truncation_error_in_the_api():
    with Emulator(vllm_qwen3(think_tokens=5000), fenced) as emulator:
        settings = resolve_settings(emulator.provider.model, base_url=emulator.base_url,
                                    api_key="x")
        with pytest.raises(ModelTruncated, match="cut off after 4096 tokens"):
            ModelClient(settings).complete(ASK, max_tokens=4096)


def test_a_url_loses_its_user_info_and_secret_query_values():
    url = "https://me:sk-abcdefgh1234@proxy.example/v1?api-key=sk-abcdefgh1234&region=eu"
    assert redact_url(url) == "https://***@proxy.example/v1?api-key=***&region=eu"


def test_the_full_flow_takes_the_reasoning_profile_for_a_reasoning_model(tmp_path):
    with Emulator(openai_reasoning(), fenced) as emulator:
        done = cpagent("solve", PROBLEM, "--model", "o4-mini", "--base-url", emulator.base_url,
                       "-o", tmp_path / "out.py", "--trace", tmp_path / "trace.json",
                       cwd=tmp_path, env={"CPAGENT_API_KEY": "x",
                                          "CPAGENT_HOME": str(tmp_path / "home")})
    assert done.returncode == 0, done.stdout + done.stderr
    assert emulator.refused == [] and emulator.cut_off == 0
    trace = json.loads((tmp_path / "trace.json").read_text())
    assert trace["options"]["profile"] == "reasoning" and not trace["options"]["reflect"]
    assert trace["options"]["max_tokens"] == 32768 and trace["options"]["debug_samples"]
    assert "reflect" not in [step["name"] for step in trace["steps"]]
    assert all(r["max_completion_tokens"] == 32768 for r in emulator.requests)


def test_an_endpoint_that_is_not_openai_compatible_is_bad_setup(tmp_path):
    (tmp_path / "config.toml").write_text("max_retries = 1\nretry_backoff_s = 0.01\n")
    with Emulator(openai_reasoning(), fenced, fault=lambda r: Fault("html")) as emulator:
        done = cpagent("solve", PROBLEM, "--model", "o4-mini", "--base-url", emulator.base_url,
                       "--flow", "oneshot", "--no-log", cwd=tmp_path,
                       env={"CPAGENT_API_KEY": "x",
                            "CPAGENT_CONFIG": str(tmp_path / "config.toml")})
    assert_one_line_error(done, "sent a reply that is not a chat completion")
    assert len(emulator.requests) == 2  # retried once as a server fault, then given up


def test_samples_asked_ahead_come_in_one_request_and_replay_later(tmp_path):
    with Emulator(vllm_qwen3(think_tokens=200), fenced) as emulator:
        settings = resolve_settings(emulator.provider.model, base_url=emulator.base_url,
                                    api_key="x")
        client = ModelClient(settings, log=CallLog(tmp_path / "logs.db"))
        first = client.complete(ASK, sample=1, also=[1001, 2001])
        later = [client.complete(ASK, sample=s) for s in (1001, 2001)]
    assert len(emulator.requests) == 1 and emulator.requests[0]["n"] == 3
    assert not first.cached and all(c.cached for c in later)
    rows = client.log.recent(10)
    asked = [r for r in rows if not r.cached]
    assert len(asked) == 3  # one row per choice, each under its own sample
    reported = emulator.usage[0]
    assert sum(r.prompt_tokens for r in asked) == reported["prompt_tokens"]
    assert sum(r.completion_tokens for r in asked) == reported["completion_tokens"]


def test_a_model_without_n_is_asked_one_sample_at_a_time():
    with Emulator(openai_reasoning(), fenced) as emulator:
        settings = resolve_settings("o4-mini", base_url=emulator.base_url, api_key="x")
        settings = settings.model_copy(update={"family": "deepseek-reasoner"})  # takes no n
        client = ModelClient(settings)
        client.complete(ASK, sample=1, also=[1001])
    assert "n" not in emulator.requests[0]


@pytest.mark.docker
def test_a_oneshot_run_with_k_samples_asks_once_per_problem_where_n_is_taken(tmp_path):
    problems = write_set(tmp_path / "set", 4)
    with Emulator(vllm_qwen3(think_tokens=200), add_k_answer) as emulator:
        done = cpagent("contest", "run", *problems, "--run", "k3", "--model",
                       emulator.provider.model, "--base-url", emulator.base_url, "--flow",
                       "oneshot", "--samples", "3", cwd=tmp_path,
                       env={"CPAGENT_API_KEY": "x", "CPAGENT_HOME": str(tmp_path / "home")})
    assert done.returncode == 0, done.stderr
    assert len(emulator.requests) == 4 and all(r["n"] == 3 for r in emulator.requests)
    with RunStore(tmp_path / "home" / "runs.db") as store:
        attempts = store.attempts("k3")
    assert len(attempts) == 12 and all(a.result["solved"] for a in attempts)


@pytest.mark.docker
def test_samples_asked_of_a_server_that_ignores_n_are_asked_again(tmp_path):
    """Ollama ignores `n` and answers one choice: the samples it did not give are asked for
    one by one, and every attempt still gets its own answer."""
    problems = write_set(tmp_path / "set", 2)
    with Emulator(ollama(think_tokens=200), add_k_answer) as emulator:
        done = cpagent("contest", "run", *problems, "--run", "k2", "--model",
                       emulator.provider.model, "--base-url", emulator.base_url, "--flow",
                       "oneshot", "--samples", "2", cwd=tmp_path,
                       env={"CPAGENT_API_KEY": "x", "CPAGENT_HOME": str(tmp_path / "home")})
    assert done.returncode == 0, done.stderr
    with RunStore(tmp_path / "home" / "runs.db") as store:
        attempts = store.attempts("k2")
    assert len(attempts) == 4 and all(a.result["solved"] for a in attempts), attempts
    assert len(emulator.requests) == 4  # two problems, two samples each, one at a time


def test_openrouter_reasoning_is_read_from_its_own_field(tmp_path):
    with Emulator(openrouter(think_tokens=400), fenced) as emulator:
        settings = resolve_settings("deepseek/deepseek-r1", base_url=emulator.base_url,
                                    api_key="x")
        reply = ModelClient(settings, log=CallLog(tmp_path / "calls.db")).complete(ASK)
    assert reply.text.startswith("Here it is.") and "Let me think." in reply.reasoning
    assert reply.usage.reasoning_tokens == 400
    sent = emulator.requests[0]
    assert 1 <= sent["max_tokens"] < 163840 and "max_completion_tokens" not in sent
