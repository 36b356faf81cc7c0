"""Errors of the embedded model.

    LocalModelError              anything the embedded model cannot do; the CLI maps it to exit 2
    ├── ModelDownloadError       `pull` could not produce a verified model file
    └── LocalServerError         the llama.cpp server is missing, will not start, or died
"""

from __future__ import annotations

__all__ = ["LocalModelError", "LocalServerError", "ModelDownloadError"]


class LocalModelError(Exception):
    """Base class: every message is one line a user can act on."""


class ModelDownloadError(LocalModelError):
    """No source gave a file of the expected size and sha256."""


class LocalServerError(LocalModelError):
    """The local OpenAI-compatible server could not be started or reached."""
