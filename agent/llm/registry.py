"""Built-in model aliases: what a bare `--model NAME` means before any config file speaks.

One registration path (as in simonw/llm): built-ins go through `register_model` like anything a
test or a config file adds, and `resolve_settings` is the only reader.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["LOCAL_MODEL", "ModelEntry", "get_entry", "list_entries", "register_model"]

JsonMode = Literal["schema", "object", "none"]

LOCAL_MODEL = "local"


class ModelEntry(BaseModel):
    """How to reach one model. `api_key_env` names the variable holding its key, if any."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str
    base_url: str | None = None
    api_key_env: str | None = None
    price_in_per_mtok: float = 0.0
    price_out_per_mtok: float = 0.0
    json_mode: JsonMode = "schema"


_REGISTRY: dict[str, ModelEntry] = {}


def register_model(alias: str, entry: ModelEntry) -> None:
    """Add or replace an alias. Later registrations win, so tests can shadow a built-in."""
    _REGISTRY[alias] = entry


def get_entry(alias: str) -> ModelEntry | None:
    return _REGISTRY.get(alias)


def list_entries() -> dict[str, ModelEntry]:
    return dict(_REGISTRY)


# List prices in USD per million tokens when this was written; they drift, so a config file's
# [models.<alias>] table may override them. They only feed the cost estimate.
register_model("gpt-4o-mini", ModelEntry(
    model="gpt-4o-mini", api_key_env="OPENAI_API_KEY",
    price_in_per_mtok=0.15, price_out_per_mtok=0.60))
register_model("gpt-4o", ModelEntry(
    model="gpt-4o", api_key_env="OPENAI_API_KEY",
    price_in_per_mtok=2.50, price_out_per_mtok=10.00))
# DeepSeek speaks json_object but not json_schema; the schema also travels in the prompt.
register_model("deepseek-chat", ModelEntry(
    model="deepseek-chat", base_url="https://api.deepseek.com", api_key_env="DEEPSEEK_API_KEY",
    price_in_per_mtok=0.28, price_out_per_mtok=0.42, json_mode="object"))
# The embedded GGUF model behind llama-cpp-python's server. Whoever starts that server fills in
# base_url (it listens on a loopback port chosen at start); it needs no key and costs nothing.
# That server penalises tokens seen in the last 64 (repeat_penalty 1.1) unless a request says
# otherwise. Turning it off (a config table's extra_body = {repeat_penalty = 1.0}) did no
# better: greedy answers solved 4 of 56 library and CodeContests A/B problems against 5 with
# it, and passed a smaller share of tests (experiment-repeat-penalty.txt), so it stays.
register_model(LOCAL_MODEL, ModelEntry(model=LOCAL_MODEL, json_mode="object"))
