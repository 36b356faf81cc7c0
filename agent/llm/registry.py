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
    # None: genai-prices' price (prices.py) and the family's way of asking for structure.
    price_in_per_mtok: float | None = None
    price_out_per_mtok: float | None = None
    json_mode: JsonMode | None = None


_REGISTRY: dict[str, ModelEntry] = {}


def register_model(alias: str, entry: ModelEntry) -> None:
    """Add or replace an alias. Later registrations win, so tests can shadow a built-in."""
    _REGISTRY[alias] = entry


def get_entry(alias: str) -> ModelEntry | None:
    return _REGISTRY.get(alias)


def list_entries() -> dict[str, ModelEntry]:
    return dict(_REGISTRY)


# Prices come from genai-prices and what each model accepts from its family (families.py):
# an entry says only where a model lives and which key it takes.
register_model("gpt-4o-mini", ModelEntry(model="gpt-4o-mini", api_key_env="OPENAI_API_KEY"))
register_model("gpt-4o", ModelEntry(model="gpt-4o", api_key_env="OPENAI_API_KEY"))
for _name in ("deepseek-chat", "deepseek-reasoner"):
    register_model(_name, ModelEntry(model=_name, base_url="https://api.deepseek.com",
                                     api_key_env="DEEPSEEK_API_KEY"))
# The embedded GGUF model behind llama-cpp-python's server. Whoever starts that server fills in
# base_url (it listens on a loopback port chosen at start); it needs no key and costs nothing.
# That server penalises tokens seen in the last 64 (repeat_penalty 1.1) unless a request says
# otherwise; a config table's extra_body = {repeat_penalty = 1.0} turns it off. It stays on:
# turning it off did no better (benchmarks/results/README.md).
register_model(LOCAL_MODEL, ModelEntry(model=LOCAL_MODEL, json_mode="object"))
