"""Which model, where, with which key: `ModelSettings` and the precedence that fills it.

Precedence, highest first, field by field:
  1. explicit arguments (CLI flags); `None` means "not given"
  2. environment: CPAGENT_MODEL, CPAGENT_BASE_URL, CPAGENT_API_KEY, then the provider's own key
     variable (OPENAI_API_KEY, DEEPSEEK_API_KEY), CPAGENT_TEMPERATURE, CPAGENT_MAX_TOKENS
  3. config file: $CPAGENT_CONFIG, else $XDG_CONFIG_HOME/cpagent/config.toml (default
     ~/.config/cpagent/config.toml); top-level keys and [models.<alias>] tables
  4. the built-in registry of aliases (registry.py)

Config file example:

    model = "fast"              # the default alias
    temperature = 0.3

    [models.fast]
    model = "gpt-4o-mini"       # the name the endpoint knows
    api_key_env = "OPENAI_API_KEY"

    [models.box]
    model = "qwen2.5-coder-7b"
    base_url = "http://gpu-box:8000/v1"
    json_mode = "object"
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ModelSettingsError
from .families import FAMILIES, GENERIC, Effort, ModelFamily, family_for
from .redact import redact_url
from .registry import LOCAL_MODEL, get_entry

__all__ = ["ModelSettings", "default_config_path", "load_config", "resolve_settings"]

KEYLESS = "not-needed"  # what we send to endpoints that want no key; the SDK insists on one
OPENAI_URL = "https://api.openai.com/v1"


class ModelSettings(BaseModel):
    """Which model, where, with which key, and how to call it. `resolve_settings` fills it
    from flags, the environment, the config file and the registry.

        ModelSettings(model="o4-mini", api_key="sk-...", effort="high")
    """

    model_config = ConfigDict(extra="forbid")

    model: str = Field(min_length=1)  # e.g. "gpt-4o-mini", "deepseek-chat", "local"
    base_url: str | None = None       # OpenAI-compatible endpoint; None = OpenAI's
    api_key: str | None = Field(default=None, repr=False)  # never in reprs or tracebacks
    temperature: float = Field(default=0.2, ge=0.0)
    # Tokens per call, reasoning included; None: the model family's budget (families.py).
    max_tokens: int | None = Field(default=None, ge=1)
    timeout_s: float = Field(default=300.0, gt=0.0)
    max_retries: int = Field(default=4, ge=0)
    # USD per million prompt and completion tokens. None: genai-prices' current price for
    # the model (prices.py), with cached and reasoning tokens priced as the provider does.
    price_in_per_mtok: float | None = Field(default=None, ge=0.0)
    price_out_per_mtok: float | None = Field(default=None, ge=0.0)
    # How to ask for structure; None: the family's way.
    json_mode: Literal["schema", "object", "none"] | None = None
    # Fields some servers take beyond the OpenAI API (llama.cpp's repeat_penalty, vLLM's
    # top_k), sent as they are with every request and part of the replay key.
    extra_body: dict[str, Any] = Field(default_factory=dict)
    # First retry waits about this long, doubling each time (with jitter); tests set it tiny.
    retry_backoff_s: float = Field(default=1.0, ge=0.0)
    # reasoning_effort for the models that take it (dropped where the family does not).
    effort: Effort | None = None
    # A family's name, for a model whose name does not say (a fine-tune, a proxy's alias).
    family: str | None = None
    # Set by the runtime for the embedded model's server only: its loopback port changes at
    # every start, so its replay key leaves the endpoint out (client.cache_key).
    embedded: bool = False

    @property
    def rules(self) -> ModelFamily:
        """What the model accepts: the named family, else the one its name matches."""
        if self.family is not None:
            return next(f for f in (*FAMILIES, GENERIC) if f.name == self.family)
        return family_for(self.model)

    @property
    def budget(self) -> int:
        return self.max_tokens if self.max_tokens is not None else self.rules.budget

    @property
    def structure(self) -> Literal["schema", "object", "none"]:
        return self.json_mode if self.json_mode is not None else self.rules.json_mode

    @property
    def endpoint(self) -> str:
        """The URL requests go to, for messages: OpenAI's when base_url is unset. Any
        credentials in it are masked (redact.py)."""
        return redact_url(self.base_url or OPENAI_URL)

    @field_validator("family")
    @classmethod
    def _known_family(cls, name: str | None) -> str | None:
        known = [f.name for f in (*FAMILIES, GENERIC)]
        if name is not None and name not in known:
            raise ValueError(f"unknown family {name!r} (known: {', '.join(known)})")
        return name


FIELDS = frozenset(ModelSettings.model_fields)
# What a config file may say: every field but the runtime's own flag.
CONFIG_KEYS = (FIELDS - {"embedded"}) | {"api_key_env"}
# Keys that describe one model rather than how to call any model: at the top level of a config
# file they belong to the top-level `model` only, so `--model other` does not inherit them.
MODEL_KEYS = frozenset({"base_url", "api_key", "api_key_env", "price_in_per_mtok",
                        "price_out_per_mtok", "json_mode", "extra_body", "family"})


def default_config_path() -> Path:
    if os.environ.get("CPAGENT_CONFIG"):
        return Path(os.environ["CPAGENT_CONFIG"]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "cpagent" / "config.toml"


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The parsed config file, {} if the default one is absent. A file named explicitly (by
    argument or $CPAGENT_CONFIG) must exist: a typo there should not silently mean defaults."""
    explicit = path is not None or bool(os.environ.get("CPAGENT_CONFIG"))
    path = Path(path).expanduser() if path is not None else default_config_path()
    if not path.is_file():
        if explicit:
            raise ModelSettingsError(f"config file not found: {path}")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ModelSettingsError(f"{path}: {exc}") from None
    _check_keys(data, CONFIG_KEYS | {"models"}, str(path))
    models = data.get("models", {})
    if not isinstance(models, dict):
        raise ModelSettingsError(f"{path}: 'models' must be a table of [models.<alias>] tables")
    for alias, table in models.items():
        if not isinstance(table, dict):
            raise ModelSettingsError(f"{path}: [models.{alias}] must be a table")
        _check_keys(table, CONFIG_KEYS, f"{path} [models.{alias}]")
    return data


def _check_keys(table: dict[str, Any], allowed: frozenset[str] | set[str], where: str) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise ModelSettingsError(f"{where}: unknown key {unknown[0]!r} "
                                 f"(known: {', '.join(sorted(allowed))})")


def _env_settings() -> dict[str, Any]:
    env: dict[str, Any] = {}
    for var, name, kind in (("CPAGENT_MODEL", "model", str), ("CPAGENT_BASE_URL", "base_url", str),
                            ("CPAGENT_API_KEY", "api_key", str),
                            ("CPAGENT_TEMPERATURE", "temperature", float),
                            ("CPAGENT_MAX_TOKENS", "max_tokens", int)):
        raw = os.environ.get(var, "").strip()
        if not raw:
            continue
        try:
            env[name] = kind(raw)
        except ValueError:
            raise ModelSettingsError(f"{var}={raw!r} is not a valid {kind.__name__}") from None
    return env


def _key_env_for(base_url: str | None) -> str | None:
    """Which provider key may go to this endpoint. Only to the provider's own host: sending an
    OpenAI key to an arbitrary base_url would leak it."""
    host = urlparse(base_url).hostname if base_url else "api.openai.com"
    if host == "api.openai.com":
        return "OPENAI_API_KEY"
    if host and (host == "deepseek.com" or host.endswith(".deepseek.com")):
        return "DEEPSEEK_API_KEY"
    return None


def _default_alias(config: dict[str, Any]) -> str:
    """No model named anywhere: a hosted model if there is a key for one, else the local one."""
    if os.environ.get("CPAGENT_API_KEY") or os.environ.get("OPENAI_API_KEY"):
        return "gpt-4o-mini"
    if os.environ.get("DEEPSEEK_API_KEY"):
        return "deepseek-chat"
    key_env = config.get("api_key_env")
    if config.get("api_key") or (key_env and os.environ.get(key_env)):
        return "gpt-4o-mini"
    return LOCAL_MODEL


def resolve_settings(model: str | None = None, *, config_file: Path | None = None,
                     **overrides: Any) -> ModelSettings:
    """Settings for `model` (an alias or a plain model name). Overrides are ModelSettings fields;
    None values are ignored, so CLI options can be passed straight through."""
    _check_keys(overrides, FIELDS - {"model"}, "resolve_settings")
    given = {name: value for name, value in overrides.items() if value is not None}
    env = _env_settings()
    config = load_config(config_file)

    top_model = config.get("model")
    alias = model or env.get("model") or top_model or _default_alias(config)
    table: dict[str, Any] = dict(config.get("models", {}).get(alias, {}))
    top = {k: v for k, v in config.items() if k in FIELDS - {"model"} or k == "api_key_env"}
    if top_model not in (None, alias):
        top = {k: v for k, v in top.items() if k not in MODEL_KEYS}

    name = table.get("model", alias)
    entry = get_entry(name) or get_entry(alias)
    merged: dict[str, Any] = {}
    if entry is not None:
        merged.update(entry.model_dump(exclude={"api_key_env"}, exclude_none=True))
    merged.update(top)
    merged.update(table)
    merged.update({k: v for k, v in env.items() if k != "model"})
    merged.update(given)
    merged["model"] = name
    key_env = merged.pop("api_key_env", None)

    # The key: explicit > CPAGENT_API_KEY (both already merged) > the provider's variable >
    # a key written in the config file (already merged below env, so only fill when absent).
    if "api_key" not in given and "api_key" not in env:
        if key_env is None:
            declared = entry.base_url if entry is not None else None
            same_place = merged.get("base_url") == declared
            key_env = entry.api_key_env if entry is not None and same_place else None
            key_env = key_env or _key_env_for(merged.get("base_url"))
        if key_env and os.environ.get(key_env):
            merged["api_key"] = os.environ[key_env]
    try:
        return ModelSettings(**merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ModelSettingsError(f"model settings: {where}: {first['msg']}") from None
