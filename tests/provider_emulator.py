"""A loopback server that answers as a real provider would, rules and quirks included.

Each `Provider` enforces what its documentation says a request may carry and shapes its
reply, reasoning included, the way that provider does. The model behind it is a function
(the request -> the answer's text); its thinking takes `think_tokens` tokens, counted where
the provider counts them. The sources, rule by rule:

- OpenAI, reasoning models (o1, o3, o4-mini, gpt-5): the Chat Completions API reference
  (`max_tokens` "is not compatible with o-series models", use `max_completion_tokens`,
  which bounds "visible output tokens and reasoning tokens") and the reasoning guide
  (reasoning tokens are billed as output and reported in
  `usage.completion_tokens_details.reasoning_tokens`; the reasoning itself is not returned;
  a budget spent on reasoning ends with `finish_reason: "length"` and no content). The
  refusals' wording and shape (`invalid_request_error`, `unsupported_parameter`,
  `unsupported_value`: "Only the default (1) value is supported") are the API's own.
- DeepSeek, deepseek-reasoner: the reasoning-model guide (`max_tokens` includes the chain
  of thought, default 32K, at most 64K; `reasoning_content` beside `content`; temperature
  and top_p accepted without effect; logprobs refused; `reasoning_content` sent back in the
  messages is a 400) and the JSON Output guide (`json_object` only). Usage reports
  `prompt_cache_hit_tokens` and `prompt_cache_miss_tokens`.
- vLLM serving Qwen3: the OpenAI-compatible server's docs (`n` honoured, errors as
  `{"object": "error", "message", "type": "BadRequestError", "code": 400}`, a request whose
  `max_tokens` passes the context length refused) and Qwen3's model card (thinking inline as
  `<think>...</think>` before the answer, or in `reasoning_content` with a reasoning parser).
- OpenRouter: the API reference (`max_tokens` in [1, context_length), model ids as
  `vendor/model`) and the reasoning-tokens guide (a `reasoning` object with `effort` or
  `max_tokens`, "one of the following, not both", and `exclude`; `reasoning_effort` taken
  as well; the reasoning returned in the message's `reasoning` field; reasoning tokens are
  output tokens, charged as such). Errors are `{"error": {"code", "message"}}`.
- Ollama: the OpenAI-compatibility page (the request fields it supports: `max_tokens`,
  `seed`, `temperature`, `response_format`, `reasoning_effort` and `reasoning.effort`
  among them, and neither `n` nor `max_completion_tokens`, which it ignores as it ignores
  any field it does not know: one choice comes back whatever `n` asks). A thinking model's
  reasoning is in the message's `reasoning` field.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Emulator", "Fault", "Provider", "content_policy_error", "context_length_error",
           "deepseek_reasoner", "ollama", "openai_reasoning", "openrouter", "quota_exhausted",
           "rate_limited", "vllm_qwen3"]

Answer = Callable[[dict[str, Any]], str]


@dataclass
class Fault:
    """What the server does instead of answering: an error status with a body and headers,
    a 200 whose body is an HTML page (`html`), or a reply cut off with no answer (`cut`)."""

    kind: str  # "status", "html" or "cut"
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def context_length_error(tokens: int = 250000) -> Fault:
    """OpenAI's answer to a prompt over the context window (its error code
    `context_length_exceeded`)."""
    return Fault("status", 400, {"error": {
        "message": f"This model's maximum context length is 200000 tokens. However, your "
                   f"messages resulted in {tokens} tokens.", "type": "invalid_request_error",
        "param": "messages", "code": "context_length_exceeded"}})


def content_policy_error() -> Fault:
    return Fault("status", 400, {"error": {
        "message": "Invalid prompt: your prompt was flagged as potentially violating our "
                   "usage policy.", "type": "invalid_request_error", "param": None,
        "code": "invalid_prompt"}})


def rate_limited(wait_ms: int = 50) -> Fault:
    """A 429 with OpenAI's `retry-after-ms` header."""
    return Fault("status", 429, {"error": {
        "message": "Rate limit reached for requests per min. Please try again shortly.",
        "type": "requests", "param": None, "code": "rate_limit_exceeded"}},
        {"retry-after-ms": str(wait_ms)})


def quota_exhausted() -> Fault:
    return Fault("status", 429, {"error": {
        "message": "You exceeded your current quota, please check your plan and billing "
                   "details.", "type": "insufficient_quota", "param": None,
        "code": "insufficient_quota"}})


def _tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4)


class Refusal(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status)
        self.status, self.body = status, body


def _openai_error(message: str, param: str | None, code: str, status: int = 400) -> Refusal:
    return Refusal(status, {"error": {"message": message, "type": "invalid_request_error",
                                      "param": param, "code": code}})


@dataclass
class Provider:
    """One provider's rules. `check` refuses a request as the provider would; `reply` builds
    the body of a successful answer."""

    name: str
    model: str
    think_tokens: int = 3000
    check: Callable[[dict[str, Any]], None] = lambda request: None
    reply: Callable[[Provider, dict[str, Any], str], dict[str, Any]] = field(
        default=lambda provider, request, answer: {})


def _check_openai_reasoning(request: dict[str, Any]) -> None:
    if "max_tokens" in request:
        raise _openai_error("Unsupported parameter: 'max_tokens' is not supported with this "
                            "model. Use 'max_completion_tokens' instead.", "max_tokens",
                            "unsupported_parameter")
    if "temperature" in request and request["temperature"] != 1:
        raise _openai_error(f"Unsupported value: 'temperature' does not support "
                            f"{request['temperature']} with this model. Only the default (1) "
                            "value is supported.", "temperature", "unsupported_value")
    effort = request.get("reasoning_effort")
    if effort is not None and effort not in ("low", "medium", "high"):
        raise _openai_error(f"Invalid value: '{effort}'. Supported values are: 'low', "
                            "'medium', and 'high'.", "reasoning_effort", "invalid_value")


def _reply_openai_reasoning(provider: Provider, request: dict[str, Any],
                            answer: str) -> dict[str, Any]:
    budget = request.get("max_completion_tokens") or 100000
    thinking = {"low": provider.think_tokens // 4, "high": provider.think_tokens * 2}.get(
        request.get("reasoning_effort") or "medium", provider.think_tokens)
    return _body(request, provider.model, answer, thinking, budget, shown_reasoning=None,
                 prompt_details=True)


def _check_deepseek_reasoner(request: dict[str, Any]) -> None:
    if request.get("logprobs") or request.get("top_logprobs"):
        raise _openai_error("logprobs is not supported by deepseek-reasoner", "logprobs",
                            "invalid_request_error")
    if any("reasoning_content" in m for m in request.get("messages", [])):
        raise _openai_error("The reasoning_content is an intermediate result; remove it from "
                            "the input messages", "messages", "invalid_request_error")
    fmt = (request.get("response_format") or {}).get("type")
    if fmt not in (None, "text", "json_object"):
        raise _openai_error("This response_format type is unavailable now", "response_format",
                            "invalid_request_error")
    if (request.get("max_tokens") or 0) > 65536:
        raise _openai_error("Invalid max_tokens value, the valid range of max_tokens is "
                            "[1, 65536]", "max_tokens", "invalid_request_error")


def _reply_deepseek_reasoner(provider: Provider, request: dict[str, Any],
                             answer: str) -> dict[str, Any]:
    budget = request.get("max_tokens") or 32768
    return _body(request, provider.model, answer, provider.think_tokens, budget,
                 shown_reasoning="reasoning_content", deepseek_cache=True)


def _check_vllm(request: dict[str, Any]) -> None:
    prompt = sum(_tokens(m.get("content") or "") for m in request.get("messages", []))
    if (request.get("max_tokens") or 0) + prompt > 40960:
        raise Refusal(400, {"object": "error", "type": "BadRequestError", "param": None,
                            "code": 400, "message": "This model's maximum context length is "
                            f"40960 tokens. However, you requested {request['max_tokens']} "
                            f"tokens in the completion and {prompt} in the messages."})


def _reply_vllm_qwen3(provider: Provider, request: dict[str, Any],
                      answer: str) -> dict[str, Any]:
    budget = request.get("max_tokens") or 16
    return _body(request, provider.model, answer, provider.think_tokens, budget,
                 shown_reasoning="inline", n=int(request.get("n") or 1))


def _check_openrouter(request: dict[str, Any]) -> None:
    def refuse(message: str) -> Refusal:
        return Refusal(400, {"error": {"code": 400, "message": message}})

    reasoning = request.get("reasoning") or {}
    if "effort" in reasoning and "max_tokens" in reasoning:
        raise refuse("Only one of reasoning.effort and reasoning.max_tokens may be given")
    limit = request.get("max_tokens")
    if limit is not None and not 1 <= limit < 163840:
        raise refuse(f"max_tokens {limit} is outside [1, 163840) for this model")


def _reply_openrouter(provider: Provider, request: dict[str, Any],
                      answer: str) -> dict[str, Any]:
    reasoning = request.get("reasoning") or {}
    thinking = min(provider.think_tokens, reasoning.get("max_tokens") or provider.think_tokens)
    body = _body(request, provider.model, answer, thinking, request.get("max_tokens") or 32768,
                 shown_reasoning=None if reasoning.get("exclude") else "reasoning")
    body["provider"] = "DeepSeek"
    return body


def _reply_ollama(provider: Provider, request: dict[str, Any], answer: str) -> dict[str, Any]:
    return _body(request, provider.model, answer, provider.think_tokens,
                 request.get("max_tokens") or 32768, shown_reasoning="reasoning")


def _body(request: dict[str, Any], model: str, answer: str, thinking: int, budget: int, *,
          shown_reasoning: str | None, prompt_details: bool = False,
          deepseek_cache: bool = False, n: int = 1) -> dict[str, Any]:
    """A chat completion: `thinking` tokens of reasoning, then the answer, all within
    `budget`; what does not fit is cut off with finish_reason "length"."""
    answer_tokens = _tokens(answer)
    thought = min(thinking, budget)
    room = budget - thought
    if room >= answer_tokens:
        content, finish, written = answer, "stop", answer_tokens
    else:
        content, finish, written = answer[: room * 4], "length", room
    reasoning_text = "Let me think. " * (thought // 4)
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if shown_reasoning in ("reasoning_content", "reasoning"):
        message[shown_reasoning] = reasoning_text
    elif shown_reasoning == "inline":
        closing = "</think>\n\n" if finish == "stop" or room > 0 else ""
        message["content"] = f"<think>\n{reasoning_text}\n{closing}" + content
    prompt = sum(_tokens(m.get("content") or "") for m in request.get("messages", []))
    usage: dict[str, Any] = {"prompt_tokens": prompt, "completion_tokens": thought + written,
                             "total_tokens": prompt + thought + written,
                             "completion_tokens_details": {"reasoning_tokens": thought}}
    if prompt_details:
        usage["prompt_tokens_details"] = {"cached_tokens": 0}
    if deepseek_cache:
        usage["prompt_cache_hit_tokens"], usage["prompt_cache_miss_tokens"] = 0, prompt
    return {"id": f"chatcmpl-emu-{time.monotonic_ns()}", "object": "chat.completion",
            "created": int(time.time()), "model": model, "usage": usage,
            "choices": [{"index": i, "message": message, "finish_reason": finish,
                         "logprobs": None} for i in range(n)]}


def openai_reasoning(model: str = "o4-mini", think_tokens: int = 3000) -> Provider:
    return Provider("openai", model, think_tokens, _check_openai_reasoning,
                    _reply_openai_reasoning)


def deepseek_reasoner(think_tokens: int = 3000) -> Provider:
    return Provider("deepseek", "deepseek-reasoner", think_tokens, _check_deepseek_reasoner,
                    _reply_deepseek_reasoner)


def vllm_qwen3(model: str = "Qwen/Qwen3-32B", think_tokens: int = 3000) -> Provider:
    return Provider("vllm", model, think_tokens, _check_vllm, _reply_vllm_qwen3)


def openrouter(model: str = "deepseek/deepseek-r1", think_tokens: int = 3000) -> Provider:
    return Provider("openrouter", model, think_tokens, _check_openrouter, _reply_openrouter)


def ollama(model: str = "qwen3:8b", think_tokens: int = 3000) -> Provider:
    return Provider("ollama", model, think_tokens, reply=_reply_ollama)


class Emulator:
    """The server. `refused` counts 4xx answers, `cut_off` replies ended by the budget;
    `requests` keeps every body."""

    def __init__(self, provider: Provider, answer: Answer, *, latency_s: float = 0.0,
                 fault: Callable[[dict[str, Any]], Fault | None] = lambda request: None) -> None:
        self.provider, self.answer, self.latency_s = provider, answer, latency_s
        self.fault = fault
        self.faults: list[str] = []
        self.requests: list[dict[str, Any]] = []
        self.refused: list[str] = []
        self.cut_off = 0
        self.usage: list[dict[str, Any]] = []
        # (monotonic time, calls in flight after it): every arrival and every answer
        self.in_flight: list[tuple[float, int]] = []
        self._flying = 0
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    def __enter__(self) -> Emulator:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                emulator._post(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._httpd is not None
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def base_url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def _post(self, handler: BaseHTTPRequestHandler) -> None:
        request = json.loads(handler.rfile.read(int(handler.headers["Content-Length"])))
        with self._lock:
            self.requests.append(request)
            self._flying += 1
            self.in_flight.append((time.monotonic(), self._flying))
        try:
            self._answer(handler, request)
        finally:
            with self._lock:
                self._flying -= 1
                self.in_flight.append((time.monotonic(), self._flying))

    def _answer(self, handler: BaseHTTPRequestHandler, request: dict[str, Any]) -> None:
        time.sleep(self.latency_s)
        fault = self.fault(request)
        if fault is not None:
            with self._lock:
                self.faults.append(fault.kind if fault.kind != "status" else str(fault.status))
            if fault.kind == "status":
                self._send(handler, fault.status, fault.body, fault.headers)
                return
            if fault.kind == "html":
                self._send_raw(handler, 200, b"<html><body>502 Bad Gateway</body></html>",
                               "text/html")
                return
            body = self.provider.reply(self.provider, request, "")
            body["choices"][0].update(finish_reason="length")
            body["choices"][0]["message"]["content"] = ""
            self._send(handler, 200, body)
            return
        try:
            if request.get("model") != self.provider.model:
                raise _openai_error(f"The model `{request.get('model')}` does not exist",
                                    "model", "model_not_found", 404)
            self.provider.check(request)
            body = self.provider.reply(self.provider, request, self.answer(request))
        except Refusal as refusal:
            with self._lock:
                self.refused.append(json.dumps(refusal.body)[:200])
            self._send(handler, refusal.status, refusal.body)
            return
        with self._lock:
            self.cut_off += body["choices"][0]["finish_reason"] == "length"
            self.usage.append(body["usage"])
        self._send(handler, 200, body)

    @classmethod
    def _send(cls, handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any],
              headers: dict[str, str] | None = None) -> None:
        cls._send_raw(handler, status, json.dumps(body).encode(), "application/json", headers)

    @staticmethod
    def _send_raw(handler: BaseHTTPRequestHandler, status: int, data: bytes, kind: str,
                  headers: dict[str, str] | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)
