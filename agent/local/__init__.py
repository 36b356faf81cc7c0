"""The embedded default model: a small GGUF code model, fetched by `pull` and served on loopback
by llama-cpp-python's OpenAI-compatible server, so the agent talks to it like any endpoint."""

from cpagent.agent.local.errors import LocalModelError, LocalServerError, ModelDownloadError
from cpagent.agent.local.model import (
    DEFAULT_MODEL,
    ModelFile,
    PullEvent,
    cache_dir,
    is_present,
    is_verified,
    model_path,
    pull,
)
from cpagent.agent.local.server import ENV_URL, LocalServer, llama_cpp_available

__all__ = [
    "DEFAULT_MODEL", "ENV_URL", "LocalModelError", "LocalServer", "LocalServerError",
    "ModelDownloadError", "ModelFile", "PullEvent", "cache_dir", "is_present", "is_verified",
    "llama_cpp_available", "model_path", "pull",
]
