"""What can go wrong when talking to a model, as a tree whose messages are always one line:

    ModelError
    ├── ModelSettingsError   bad config file, env value or override (also a ValueError)
    ├── ModelUnavailable     dead endpoint, auth failure, missing key, timeouts or 429/5xx
    │   │                    after the retries
    │   └── ModelQuotaExhausted  the account has no credit left: nothing to retry
    ├── ModelRequestError    the endpoint refused this request (400, 422, ...): not retried
    └── ModelReplyError      a reply we cannot use: not a chat completion, not the schema
        └── ModelTruncated   cut off by its token budget or a filter before any answer

The CLI prints `str(exc)` after "error: ", so a message must never span lines.
"""

from __future__ import annotations

__all__ = [
    "ModelError",
    "ModelQuotaExhausted",
    "ModelReplyError",
    "ModelRequestError",
    "ModelSettingsError",
    "ModelTruncated",
    "ModelUnavailable",
    "one_line",
]

MAX_MESSAGE = 400


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """Collapse whitespace (server error bodies are often multi-line JSON) and cap the length."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


class ModelError(Exception):
    """Base of every model-access error. `retryable` and `retry_after` steer the retry loop."""

    retryable: bool = False

    def __init__(self, message: str, *, retryable: bool | None = None,
                 retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(one_line(message))
        if retryable is not None:
            self.retryable = retryable
        self.retry_after = retry_after  # seconds the server asked us to wait, if it said
        self.status = status            # HTTP status when there was a response

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class ModelSettingsError(ModelError, ValueError):
    """A ValueError too, so callers that already treat ValueError as bad input (exit 2) do."""


class ModelUnavailable(ModelError):
    """The model cannot be used right now: nothing the prompt could change."""


class ModelRequestError(ModelError):
    """The endpoint rejected the request itself (bad parameter, context too long, ...)."""


class ModelReplyError(ModelError):
    """The model answered, but not in a shape we can use."""


class ModelQuotaExhausted(ModelUnavailable):
    """The provider says the account's quota or credit is spent (OpenAI's 429
    `insufficient_quota`): waiting will not help, so a run stops at once."""


class ModelTruncated(ModelReplyError):
    """The reply ended on `finish_reason` length or content_filter with no answer in it."""
