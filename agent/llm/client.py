"""`ModelClient`: one model, every call logged, identical calls replayed, spend counted.

A call goes: cache key -> replay from the log if allowed and present -> request with retries
(every failed attempt logged) -> adapt and resend once if the endpoint refused a parameter we
can drop (response_format, ...) -> split reasoning from answer -> log, count, return.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import threading
import time
from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import urlparse, urlunparse

import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from .errors import ModelError, ModelReplyError, ModelRequestError, ModelTruncated
from .lenient import ReplyInvalid, lenient_parse, parse_strict
from .log import CallLog, CallRecord
from .messages import ChatMessage, Completion, Spend, Usage
from .prices import call_cost
from .reasoning import split_reasoning
from .redact import redact_url
from .registry import LOCAL_MODEL
from .retry import Backoff, RateGate, call_with_retries
from .settings import ModelSettings
from .structured import (
    repair_messages,
    response_format,
    schema_name,
    schema_of,
    with_schema_instruction,
)
from .transport import adapt_request, apply_adaptations, make_client, send

__all__ = ["ModelClient", "cache_key"]

T = TypeVar("T", bound=BaseModel)

_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})


def _keyed_url(settings: ModelSettings) -> str | None:
    """The endpoint as the cache sees it. The embedded model's server listens on a port
    picked at start, so there the port must not change the key, or no rerun would replay;
    any other endpoint is keyed whole (vLLM on :8000 and Ollama on :11434 may serve models of
    the same name), with credentials masked."""
    if not settings.base_url:
        return None
    parts = urlparse(settings.base_url.rstrip("/"))
    if settings.embedded or (parts.hostname in _LOOPBACK and settings.model == LOCAL_MODEL):
        return urlunparse(parts._replace(netloc="loopback"))
    return redact_url(parts.geturl())


def cache_key(settings: ModelSettings, messages: list[ChatMessage], params: dict[str, Any],
              schema: type[BaseModel] | None, json_mode: str | None = None) -> str:
    """sha256 of what determines a reply: model, endpoint, messages, sampling parameters, the
    sample index, the schema (its full JSON schema, so editing the model invalidates), how
    structure was asked for, the reasoning effort, and any server-specific fields. Fields
    added after the first replays were recorded enter the key only when they say something
    (the embedded model's structure mode never varies), so those replays still hold."""
    payload = {
        "model": settings.model,
        "base_url": _keyed_url(settings),
        "messages": [message.model_dump() for message in messages],
        "temperature": params["temperature"],
        "max_tokens": params["max_tokens"],
        "stop": params["stop"],
        "sample": params["sample"],
        "schema": schema_of(schema) if schema is not None else None,
    }
    if settings.extra_body:
        payload["extra_body"] = settings.extra_body
    if schema is not None and not settings.embedded:
        payload["json_mode"] = json_mode or settings.structure
    if settings.effort is not None and settings.rules.efforts:
        payload["effort"] = settings.effort
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / 4)  # the usual rule of thumb for English and code


class ModelClient:
    """Calls to one model. Thread-safe: flows may sample candidates from several threads.

    `log` defaults to an in-memory CallLog, so replay and the spend view behave the same with
    and without a file; pass `CallLog(default_log_path())` to keep calls across runs.
    `replay=False` still logs but always asks the model.
    """

    def __init__(self, settings: ModelSettings, *, log: CallLog | None = None,
                 replay: bool = True, backoff: Backoff | None = None,
                 gate: RateGate | None = None) -> None:
        self.settings = settings
        self.log = log if log is not None else CallLog(":memory:")
        self.replay = replay
        self.spend = Spend()
        self._backoff = backoff or Backoff(base_s=settings.retry_backoff_s)
        # Every thread of this client pauses on one 429; on a cluster, every node's client
        # shares one gate (agent/cluster/shared.py).
        self._gate = gate or RateGate()
        self._adaptations: set[str] = set()  # parameters this endpoint refused, see transport
        self._openai: openai.OpenAI | None = None
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"ModelClient({self.settings.model!r} at {self.settings.endpoint})"

    @property
    def json_mode(self) -> str:
        """How structure is asked for now: "none" once the endpoint refused response_format."""
        return "none" if "no_response_format" in self._adaptations else self.settings.structure

    def close(self) -> None:
        with self._lock:
            if self._openai is not None:
                self._openai.close()
                self._openai = None

    def __enter__(self) -> ModelClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public calls ----------------------------------------------------------------------

    def complete(self, messages: list[ChatMessage], *, step: str = "",
                 max_tokens: int | None = None, temperature: float | None = None,
                 sample: int = 0, stop: list[str] | None = None,
                 also: Sequence[int] = ()) -> Completion:
        """One reply. `sample` tells independent samples of the same prompt apart: it is part
        of the cache key and is sent as `seed` (when > 0) to servers that take one.

        `also` names more samples of the same prompt that will be wanted later: where the
        model takes `n`, they come in the same request, each logged under its own sample,
        so that asking for one later replays it."""
        params = self._params(max_tokens, temperature, sample, stop)
        later = [self._params(max_tokens, temperature, s, stop) for s in also]
        return self._call(messages, step=step, params=params, schema=None, later=later)

    def structured(self, messages: list[ChatMessage], schema: type[T], *, step: str = "",
                   max_tokens: int | None = None, temperature: float | None = None,
                   sample: int = 0, partial: bool = True) -> tuple[T, Completion]:
        """A reply parsed into `schema`. Invalid replies get one repair round (the reply and
        its validation errors go back to the model); then, with `partial`, the best partial
        value (Completion.partial is True); else ModelReplyError."""
        params = self._params(max_tokens, temperature, sample, None)
        prompt = with_schema_instruction(messages, schema)
        first = self._call(prompt, step=step, params=params, schema=schema)
        try:
            return parse_strict(first.text, schema), first
        except ReplyInvalid as exc:
            problems = exc.problems
        second = self._call(repair_messages(prompt, first.text, problems),
                            step=f"{step}:repair" if step else "repair", params=params,
                            schema=schema)
        try:
            return parse_strict(second.text, schema), second
        except ReplyInvalid as exc:
            final = exc
        if partial:
            for done in (second, first):
                try:
                    value = lenient_parse(done.text, schema)
                except ModelReplyError:
                    continue
                return value, done.model_copy(update={"partial": True})
        where = f" to {step}" if step else ""
        raise ModelReplyError(f"the reply{where} does not fit {schema.__name__} even after a "
                              f"repair round: {final.problems[0]}")

    # -- the call --------------------------------------------------------------------------

    def _params(self, max_tokens: int | None, temperature: float | None, sample: int,
                stop: list[str] | None) -> dict[str, Any]:
        return {"temperature": self.settings.temperature if temperature is None else temperature,
                "max_tokens": self.settings.budget if max_tokens is None else max_tokens,
                "stop": list(stop) if stop else None, "sample": sample}

    def _call(self, messages: list[ChatMessage], *, step: str, params: dict[str, Any],
              schema: type[BaseModel] | None,
              later: Sequence[dict[str, Any]] = ()) -> Completion:
        key = cache_key(self.settings, messages, params, schema, self.json_mode)
        request = {"messages": [m.model_dump() for m in messages], "params": params,
                   "schema": schema_name(schema) if schema is not None else None}
        if self.settings.extra_body:
            request["extra_body"] = self.settings.extra_body
        if self.replay:
            hit = self.log.lookup(key)
            if hit is not None:
                return self._replayed(hit, step=step, key=key, request=request)
        ahead = self._not_yet_asked(messages, later, schema)
        while True:
            with self._lock:  # another thread may be adding an adaptation
                adaptations = frozenset(self._adaptations)
            body = apply_adaptations(self._body(messages, params, schema), adaptations)
            if ahead:
                body["n"] = 1 + len(ahead)
            mode = "none" if "no_response_format" in adaptations else self.settings.structure
            logged = {**request, "json_mode": mode if schema else None,
                      "adaptations": sorted(adaptations)}
            try:
                attempt = functools.partial(self._attempt, body, messages, step=step, key=key,
                                            request=logged)
                replies, latency = call_with_retries(
                    attempt, retries=self.settings.max_retries, backoff=self._backoff,
                    gate=self._gate)
                break
            except ModelRequestError as exc:
                # A refused parameter we can do without: drop it for good and resend. Each
                # adaptation happens once per client, so this loop ends.
                adaptation = adapt_request(body, exc)
                if adaptation is None or adaptation in adaptations:
                    raise
                with self._lock:
                    self._adaptations.add(adaptation)
        for (extra, extra_key), done in zip(ahead, replies[1:], strict=False):
            self._keep_ahead(done, latency, step=step, key=extra_key,
                             request={**logged, "params": extra, "n": len(ahead) + 1})
        return self._succeeded(replies[0], latency, step=step, key=key, request=logged)

    def _not_yet_asked(self, messages: list[ChatMessage], later: Sequence[dict[str, Any]],
                       schema: type[BaseModel] | None) -> list[tuple[dict[str, Any], str]]:
        """The later samples worth asking for now: where the model takes `n`, those the
        log cannot replay already."""
        if not later or not self.settings.rules.n:
            return []
        keyed = [(p, cache_key(self.settings, messages, p, schema, self.json_mode))
                 for p in later]
        return [(p, k) for p, k in keyed if not (self.replay and self.log.lookup(k))]

    def _keep_ahead(self, completion: Completion, latency: float, *, step: str, key: str,
                    request: dict[str, Any]) -> None:
        """Log a sample asked for ahead of its time: a reply to replay later, or, cut off
        with no answer, a failure that will not be replayed."""
        try:
            _raise_if_cut_off(completion, {"max_tokens": request["params"]["max_tokens"]})
        except ModelTruncated as exc:
            cost = call_cost(self.settings, completion.usage)
            self.log.record(model=self.settings.model, base_url=self._logged_url, step=step,
                            key=key, request=request, reasoning=completion.reasoning,
                            usage=completion.usage, latency_s=latency, cost_usd=cost or 0.0,
                            error=exc.message, finish_reason=completion.finish_reason)
            self._count(completion.usage, cost, errors=1)
            return
        self._succeeded(completion, latency, step=step, key=key, request=request)

    def _body(self, messages: list[ChatMessage], params: dict[str, Any],
              schema: type[BaseModel] | None) -> dict[str, Any]:
        """The request, as this model's family takes it (families.py): the token parameter's
        name, a temperature and seed only where accepted, `developer` for `system` where
        that is the role, and the reasoning effort where there is one."""
        rules = self.settings.rules
        role = {"system": rules.system_role}
        body: dict[str, Any] = {
            "model": self.settings.model,
            "messages": [{**m.model_dump(), "role": role.get(m.role, m.role)} for m in messages],
        }
        if rules.temperature:
            body["temperature"] = params["temperature"]
        body[rules.token_param] = params["max_tokens"]
        if params["stop"]:
            body["stop"] = params["stop"]
        if params["sample"] and rules.seed:
            body["seed"] = params["sample"]
        if self.settings.effort is not None and self.settings.effort in rules.efforts:
            body["reasoning_effort"] = self.settings.effort
        if self.settings.extra_body:
            body["extra_body"] = dict(self.settings.extra_body)
        if schema is not None:
            fmt = response_format(schema, self.settings.structure)
            if fmt is not None:
                body["response_format"] = fmt
        return body

    def _client(self) -> openai.OpenAI:
        with self._lock:
            if self._openai is None:
                self._openai = make_client(self.settings)
            return self._openai

    def _attempt(self, body: dict[str, Any], messages: list[ChatMessage], *, step: str,
                 key: str, request: dict[str, Any]) -> tuple[list[Completion], float]:
        """One request, its choices in order; a failure is logged (and counted) before it
        propagates. A first choice cut off with no answer was paid for, so it is logged with
        its usage, never as a reply."""
        started = time.monotonic()
        try:
            reply = send(self._client(), body, self.settings)
            choices = self._completions(reply, messages)
            completion = choices[0]
            _raise_if_cut_off(completion, body)
            return choices, time.monotonic() - started
        except ModelTruncated as exc:
            usage = completion.usage
            cost = call_cost(self.settings, usage)
            self.log.record(model=self.settings.model, base_url=self._logged_url, step=step,
                            key=key, request=request, reasoning=completion.reasoning,
                            usage=usage, latency_s=time.monotonic() - started,
                            cost_usd=cost or 0.0, error=exc.message,
                            finish_reason=completion.finish_reason)
            self._count(usage, cost, errors=1)
            raise
        except ModelError as exc:
            self.log.record(model=self.settings.model, base_url=self._logged_url,
                            step=step, key=key, request=request,
                            latency_s=time.monotonic() - started, error=exc.message)
            with self._lock:
                self.spend.errors += 1
            raise

    @property
    def _logged_url(self) -> str | None:
        return redact_url(self.settings.base_url) if self.settings.base_url else None

    def _count(self, usage: Usage, cost: float | None, *, calls: int = 0,
               errors: int = 0) -> None:
        with self._lock:
            spend = self.spend
            spend.calls += calls
            spend.errors += errors
            spend.prompt_tokens += usage.prompt_tokens
            spend.completion_tokens += usage.completion_tokens
            spend.reasoning_tokens += usage.reasoning_tokens
            spend.cached_tokens += usage.cached_tokens
            spend.cost_usd += cost or 0.0
            spend.unpriced_calls += int(cost is None)

    def _completions(self, reply: ChatCompletion,
                     messages: list[ChatMessage]) -> list[Completion]:
        if not isinstance(reply, ChatCompletion):
            # The SDK hands back the body as text when it is not JSON (an HTML page from a
            # proxy or a load balancer): a server fault, worth a retry.
            raise ModelReplyError(f"the model at {self.settings.endpoint} sent a reply that is "
                                  f"not a chat completion: {str(reply)[:120]!r}", retryable=True)
        if not reply.choices:
            raise ModelReplyError(f"the model at {self.settings.endpoint} sent no choices")
        choices = sorted(reply.choices, key=lambda c: c.index)
        shares = _shares(_usage(reply.usage), len(choices)) if reply.usage is not None else None
        done = []
        for i, choice in enumerate(choices):
            message = choice.message
            extra = message.model_extra or {}
            field = extra.get("reasoning_content") or extra.get("reasoning")
            field = field if isinstance(field, str) else None  # some send structured data
            raw = message.content or ""
            text, reasoning = split_reasoning(raw, field)
            if shares is not None:
                usage = shares[i]
            else:
                prompt = _estimate_tokens("".join(m.content for m in messages)) if i == 0 else 0
                usage = Usage(prompt_tokens=prompt,
                              completion_tokens=_estimate_tokens(raw + (field or "")),
                              estimated=True)
            done.append(Completion(text=text, reasoning=reasoning, usage=usage, latency_s=0.0,
                                   model=self.settings.model, finish_reason=choice.finish_reason))
        return done

    def _succeeded(self, completion: Completion, latency: float, *, step: str, key: str,
                   request: dict[str, Any]) -> Completion:
        cost = call_cost(self.settings, completion.usage)
        call_id = self.log.record(
            model=self.settings.model, base_url=self._logged_url, step=step, key=key,
            request=request, reply=completion.text, reasoning=completion.reasoning,
            usage=completion.usage, latency_s=latency, cost_usd=cost or 0.0,
            finish_reason=completion.finish_reason)
        self._count(completion.usage, cost, calls=1)
        return completion.model_copy(update={"latency_s": latency, "call_id": call_id})

    def _replayed(self, hit: CallRecord, *, step: str, key: str,
                  request: dict[str, Any]) -> Completion:
        started = time.monotonic()
        call_id = self.log.record(
            model=self.settings.model, base_url=self._logged_url, step=step, key=key,
            request=request, reply=hit.reply, reasoning=hit.reasoning, usage=hit.usage,
            cached=True, finish_reason=hit.finish_reason, replay_of=hit.replay_of or hit.id)
        with self._lock:
            self.spend.cached_calls += 1
        return Completion(text=hit.reply or "", reasoning=hit.reasoning, usage=hit.usage,
                          latency_s=time.monotonic() - started, cached=True,
                          model=self.settings.model, call_id=call_id,
                          finish_reason=hit.finish_reason)


def _usage(reported: Any) -> Usage:
    """Token counts as the server reported them: OpenAI's `completion_tokens_details` and
    `prompt_tokens_details`, or DeepSeek's `prompt_cache_hit_tokens`."""
    details = getattr(reported, "completion_tokens_details", None)
    prompt_details = getattr(reported, "prompt_tokens_details", None)
    extra = getattr(reported, "model_extra", None) or {}
    cached = getattr(prompt_details, "cached_tokens", None) or extra.get("prompt_cache_hit_tokens")
    return Usage(prompt_tokens=reported.prompt_tokens or 0,
                 completion_tokens=reported.completion_tokens or 0,
                 reasoning_tokens=getattr(details, "reasoning_tokens", None) or 0,
                 cached_tokens=int(cached or 0))


def _shares(total: Usage, n: int) -> list[Usage]:
    """One request's usage split over its `n` choices: the prompt (and its cached part) on
    the first, the completion tokens evenly (the remainder on the first), so that the calls
    logged add up to what the request cost."""
    def part(value: int, i: int) -> int:
        return value // n + (value % n if i == 0 else 0)

    return [Usage(prompt_tokens=total.prompt_tokens if i == 0 else 0,
                  cached_tokens=total.cached_tokens if i == 0 else 0,
                  completion_tokens=part(total.completion_tokens, i),
                  reasoning_tokens=part(total.reasoning_tokens, i)) for i in range(n)]


def _raise_if_cut_off(completion: Completion, body: dict[str, Any]) -> None:
    """A reply stopped by its budget or a filter before any answer is a failed call, with
    the one-line cause a user can act on."""
    if completion.text.strip() or completion.finish_reason not in ("length", "content_filter"):
        return
    if completion.finish_reason == "content_filter":
        raise ModelTruncated("the provider's content filter stopped the reply before any answer")
    budget = body.get("max_completion_tokens") or body.get("max_tokens")
    used = completion.usage.completion_tokens
    thinking = completion.usage.reasoning_tokens or (used if completion.reasoning else 0)
    spent = "all spent reasoning" if thinking and thinking >= used else f"{thinking} reasoning"
    raise ModelTruncated(f"the reply was cut off after {used} tokens ({spent}) with no answer: "
                         f"raise --max-tokens (now {budget})")
