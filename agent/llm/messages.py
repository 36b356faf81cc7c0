"""The data that crosses the model boundary: prompts in, completions and spend out."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["ChatMessage", "Completion", "Spend", "Usage"]


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["system", "user", "assistant"]
    content: str


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0        # reasoning tokens included, as every provider bills them
    reasoning_tokens: int = 0         # of completion_tokens, spent thinking
    cached_tokens: int = 0            # of prompt_tokens, read from the provider's cache
    # True when the server sent no `usage` and we counted ~4 characters per token instead.
    estimated: bool = False


class Completion(BaseModel):
    text: str
    # Reasoning models' separate thinking: `reasoning_content` in the reply, or a leading
    # <think>...</think> split off the text, so `text` is only the answer.
    reasoning: str | None = None
    usage: Usage
    latency_s: float
    cached: bool = False          # replayed from the call log: no request was made
    model: str
    call_id: int | None = None    # row id in the call log
    finish_reason: str | None = None
    # `structured` only: the value was salvaged field by field from a reply that never fully
    # fitted the schema, so fields with defaults may hold the default rather than the answer.
    partial: bool = False


class Spend(BaseModel):
    calls: int = 0           # requests that got a reply
    cached_calls: int = 0    # replies replayed from the log, free
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reasoning_tokens: int = 0
    cached_tokens: int = 0
    cost_usd: float = 0.0
    errors: int = 0          # failed attempts (each retry counts), free but worth seeing
    unpriced_calls: int = 0  # calls of a model with no known price: cost_usd leaves them out

    def add(self, other: Spend) -> Spend:
        return Spend(**{name: getattr(self, name) + getattr(other, name)
                        for name in type(self).model_fields})
