"""Model access: any OpenAI-compatible endpoint through the `openai` SDK, with retries,
structured (pydantic) replies, token and cost accounting, and every call logged to SQLite,
where identical calls are replayed from.

    settings = resolve_settings("deepseek-chat")          # flags > env > config > registry
    with ModelClient(settings, log=CallLog(default_log_path())) as model:
        plan, completion = model.structured(messages, Plan, step="reflect")
        print(model.spend.cost_usd)
"""

from .client import ModelClient, cache_key
from .errors import (
    ModelError,
    ModelQuotaExhausted,
    ModelReplyError,
    ModelRequestError,
    ModelSettingsError,
    ModelTruncated,
    ModelUnavailable,
)
from .families import FAMILIES, GENERIC, ModelFamily, family_for
from .lenient import lenient_parse
from .log import CallLog, CallRecord, default_log_path
from .messages import ChatMessage, Completion, Spend, Usage
from .reasoning import split_reasoning
from .registry import LOCAL_MODEL, ModelEntry, get_entry, list_entries, register_model
from .retry import Backoff
from .settings import ModelSettings, default_config_path, resolve_settings

__all__ = [
    "FAMILIES",
    "GENERIC",
    "LOCAL_MODEL",
    "Backoff",
    "CallLog",
    "CallRecord",
    "ChatMessage",
    "Completion",
    "ModelClient",
    "ModelEntry",
    "ModelError",
    "ModelFamily",
    "ModelQuotaExhausted",
    "ModelReplyError",
    "ModelRequestError",
    "ModelSettings",
    "ModelSettingsError",
    "ModelTruncated",
    "ModelUnavailable",
    "Spend",
    "Usage",
    "cache_key",
    "default_config_path",
    "default_log_path",
    "family_for",
    "get_entry",
    "lenient_parse",
    "list_entries",
    "register_model",
    "resolve_settings",
    "split_reasoning",
]
