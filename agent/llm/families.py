"""What a model accepts, known before the first request: one `ModelFamily` per kind of model.

A family is matched by the model's name wherever it is served (OpenAI, a proxy, vLLM,
OpenRouter's `openai/o4-mini`, Ollama's `qwen3:32b`), so `--base-url` to a proxy still gets
o4-mini's rules. An unknown name gets `GENERIC`: today's request, with the refusal-driven
adaptations of transport.py as the fallback. Sources of each family's rules are named beside
it; docs/models.md says the same for users.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["FAMILIES", "GENERIC", "Effort", "ModelFamily", "family_for", "normalize_name"]

Effort = Literal["minimal", "low", "medium", "high"]
Profile = Literal["small", "reasoning"]


class ModelFamily(BaseModel):
    """How to ask one kind of model. Budgets are tokens per call, reasoning included."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    pattern: str = Field(description="regex on the normalized model name (re.fullmatch)")
    provider: str | None = Field(None, description="genai-prices provider id, for prices")
    reasoning: bool = False
    token_param: Literal["max_tokens", "max_completion_tokens"] = "max_tokens"
    temperature: bool = Field(True, description="takes a temperature other than its default")
    seed: bool = True
    n: bool = False
    system_role: Literal["system", "developer"] = "system"
    efforts: tuple[Effort, ...] = Field((), description="reasoning_effort values it takes")
    budget: int = Field(1536, ge=64, description="the default max tokens per call")
    max_output: int = Field(16384, ge=64, description="the most one call may ask for")
    min_budget: int = Field(64, ge=1, description="below this a reply is likely all thinking")
    json_mode: Literal["schema", "object", "none"] = "schema"
    profile: Profile = "small"

    def matches(self, model: str) -> bool:
        return re.fullmatch(self.pattern, normalize_name(model)) is not None


# Provider prefixes (OpenRouter, Together, Fireworks, Groq...), Ollama tags and dated
# snapshots do not change what a model accepts.
_PREFIX = re.compile(r"^(?:.*/)")
_TAG = re.compile(r":[\w.\-]+$")


def normalize_name(model: str) -> str:
    """`openai/o4-mini-2025-04-16` -> `o4-mini-2025-04-16`, `qwen3:32b` -> `qwen3`."""
    return _TAG.sub("", _PREFIX.sub("", model.strip().lower()))


# OpenAI's reasoning guide: reasoning tokens count inside max_completion_tokens, max_tokens
# is refused, only the default temperature (1) is taken, `developer` replaces `system`, and
# "reserve at least 25,000 tokens for reasoning and outputs" when starting out.
OPENAI_REASONING = ModelFamily(
    name="openai-reasoning", pattern=r"(o1|o3|o4)(-mini|-pro)?(-\d{4}-\d{2}-\d{2})?",
    provider="openai", reasoning=True, token_param="max_completion_tokens", temperature=False,
    seed=False, n=True, system_role="developer", efforts=("low", "medium", "high"),
    budget=32768, max_output=100000, min_budget=4096, profile="reasoning")
# gpt-5 also takes "minimal".
GPT5 = OPENAI_REASONING.model_copy(update={
    "name": "openai-gpt-5", "pattern": r"gpt-5.*", "efforts": ("minimal", "low", "medium", "high"),
    "max_output": 128000})
OPENAI_CHAT = ModelFamily(
    name="openai-chat", pattern=r"gpt-4o.*|gpt-4\.1.*|gpt-4.*|gpt-3\.5.*|chatgpt-4o.*",
    provider="openai", n=True, budget=4096, max_output=16384)
# DeepSeek's API docs: deepseek-chat outputs at most 8K tokens and speaks json_object only.
DEEPSEEK_CHAT = ModelFamily(
    name="deepseek-chat", pattern=r"deepseek-chat|deepseek-v3.*", provider="deepseek",
    budget=4096, max_output=8192, json_mode="object")
# DeepSeek's reasoning-model guide: max_tokens counts the chain of thought (default 32K, at
# most 64K); temperature is accepted and ignored; reasoning_content comes back beside content
# and must not be sent back (a 400).
DEEPSEEK_REASONER = ModelFamily(
    name="deepseek-reasoner", pattern=r"deepseek-reasoner|deepseek-r1.*", provider="deepseek",
    reasoning=True, temperature=False, seed=False, budget=32768, max_output=65536,
    min_budget=4096, json_mode="object", profile="reasoning")
# Qwen3 and QwQ in thinking mode, usually behind vLLM, SGLang, Ollama or llama.cpp: the
# reasoning comes inline as <think>...</think> or in `reasoning_content` from a reasoning
# parser; vLLM takes `n`. Qwen's model cards advise a 32K budget for thinking.
QWEN_THINKING = ModelFamily(
    name="qwen-thinking", pattern=r"qwen3(?!-coder).*|qwq.*", reasoning=True, n=True,
    budget=32768, max_output=38912, min_budget=4096, json_mode="object", profile="reasoning")
GENERIC = ModelFamily(name="generic", pattern=r".*", budget=2048)

# First match wins: the specific before the broad.
FAMILIES: tuple[ModelFamily, ...] = (
    GPT5, OPENAI_REASONING, OPENAI_CHAT, DEEPSEEK_REASONER, DEEPSEEK_CHAT, QWEN_THINKING,
)


def family_for(model: str) -> ModelFamily:
    """The family whose pattern matches `model`, else GENERIC."""
    return next((f for f in FAMILIES if f.matches(model)), GENERIC)
