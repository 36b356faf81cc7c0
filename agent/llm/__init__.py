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
    ModelReplyError,
    ModelRequestError,
    ModelSettingsError,
    ModelUnavailable,
)
from .lenient import lenient_parse
from .log import CallLog, CallRecord, default_log_path
from .messages import ChatMessage, Completion, Spend, Usage
from .reasoning import split_reasoning
from .registry import LOCAL_MODEL, ModelEntry, get_entry, list_entries, register_model
from .retry import Backoff
from .settings import ModelSettings, default_config_path, resolve_settings

__all__ = [
    "LOCAL_MODEL",
    "Backoff",
    "CallLog",
    "CallRecord",
    "ChatMessage",
    "Completion",
    "ModelClient",
    "ModelEntry",
    "ModelError",
    "ModelReplyError",
    "ModelRequestError",
    "ModelSettings",
    "ModelSettingsError",
    "ModelUnavailable",
    "Spend",
    "Usage",
    "cache_key",
    "default_config_path",
    "default_log_path",
    "get_entry",
    "lenient_parse",
    "list_entries",
    "register_model",
    "resolve_settings",
    "split_reasoning",
]
