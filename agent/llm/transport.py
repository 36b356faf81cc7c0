"""One request through the `openai` SDK, and the translation of its failures into ours.

The SDK's own retries are off (max_retries=0): retry.py decides, so every attempt is logged and
the back-off is ours to tune. Everything the SDK raises leaves here as a one-line ModelError
(httpx-style: translate at the boundary, `from exc`, in one place).
"""

from __future__ import annotations

import contextlib
import email.utils
import time
from collections.abc import Iterator, Set
from typing import Any

import openai
from openai.types.chat import ChatCompletion

from .errors import (
    ModelError,
    ModelQuotaExhausted,
    ModelReplyError,
    ModelRequestError,
    ModelUnavailable,
    one_line,
)
from .redact import redact_text, url_secrets
from .registry import LOCAL_MODEL
from .settings import KEYLESS, ModelSettings

__all__ = ["adapt_request", "apply_adaptations", "make_client", "send", "translate_errors"]

RETRYABLE_STATUS = frozenset({408, 409, 429})  # plus every 5xx, as the SDK itself would


def make_client(settings: ModelSettings) -> openai.OpenAI:
    if settings.base_url is None and settings.model == LOCAL_MODEL:
        raise ModelUnavailable("the local model has no base_url: start the embedded model "
                               "server first, or choose a hosted model with --model")
    if settings.base_url is None and not settings.api_key:
        raise ModelUnavailable(f"no API key for {settings.model} at {settings.endpoint}: "
                               "set OPENAI_API_KEY or CPAGENT_API_KEY")
    # base_url is always explicit so that OPENAI_BASE_URL in the environment cannot redirect
    # us behind the settings' back; keyless endpoints still get a dummy key (the SDK wants one).
    return openai.OpenAI(api_key=settings.api_key or KEYLESS, base_url=settings.endpoint,
                         timeout=settings.timeout_s, max_retries=0)


def send(client: openai.OpenAI, body: dict[str, Any], settings: ModelSettings) -> ChatCompletion:
    with translate_errors(settings):
        return client.chat.completions.create(**body)


@contextlib.contextmanager
def translate_errors(settings: ModelSettings) -> Iterator[None]:
    """The SDK's failures as ours, with any credential the settings hold masked in them."""
    try:
        yield
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - every failure below becomes one ModelError
        error = _translate(exc, settings)
        if error is None:
            raise
        secrets = (settings.api_key, *url_secrets(settings.base_url))
        error.args = (redact_text(error.message, *secrets),)
        raise error from exc


def _translate(exc: Exception, settings: ModelSettings) -> ModelError | None:
    url = settings.endpoint
    if isinstance(exc, openai.APITimeoutError):
        return ModelUnavailable(f"the model at {url} did not answer within "
                                f"{settings.timeout_s:g}s", retryable=True)
    if isinstance(exc, openai.APIConnectionError):
        return ModelUnavailable(f"cannot reach the model at {url}: {_reason(exc)}",
                                retryable=True)
    if isinstance(exc, openai.APIStatusError):
        return _status_error(exc, settings)
    if isinstance(exc, openai.APIResponseValidationError | ValueError):
        # e.g. a 200 whose body is HTML from a proxy, not JSON: a server fault
        detail = exc.message if isinstance(exc, openai.OpenAIError) else str(exc)
        return ModelReplyError(f"the model at {url} sent a reply that is not a chat "
                               f"completion: {detail}", retryable=True)
    if isinstance(exc, openai.OpenAIError):
        return ModelError(f"model call to {url} failed: {exc}")
    return None


def _status_error(exc: openai.APIStatusError, settings: ModelSettings) -> ModelError:
    url, status, detail = settings.endpoint, exc.status_code, _detail(exc)
    retry_after = _retry_after(exc.response.headers)
    if status == 429 and _code(exc) == "insufficient_quota":
        return ModelQuotaExhausted(f"the account at {url} has no quota left (429 "
                                   f"insufficient_quota): {detail}", status=status)
    if status == 429:
        return ModelUnavailable(f"the model at {url} is rate-limited (429): {detail}",
                                retryable=True, retry_after=retry_after, status=status)
    if status >= 500 or status in RETRYABLE_STATUS:
        return ModelUnavailable(f"the model at {url} failed ({status}): {detail}",
                                retryable=True, retry_after=retry_after, status=status)
    if status in (401, 403):
        return ModelUnavailable(f"the model at {url} refused the API key ({status}): {detail}",
                                status=status)
    if status == 404:
        return ModelUnavailable(f"the model at {url} has no model {settings.model!r} or no chat "
                                f"endpoint (404): {detail}", status=status)
    return ModelRequestError(f"the model at {url} rejected the request ({status}): {detail}",
                             status=status)


def _code(exc: openai.APIStatusError) -> str | None:
    """OpenAI's machine-readable error code ({"error": {"code"}}), or its type."""
    inner = exc.body.get("error", exc.body) if isinstance(exc.body, dict) else None
    if isinstance(inner, dict):
        return str(inner.get("code") or inner.get("type") or "") or None
    return None


def _detail(exc: openai.APIStatusError) -> str:
    """The server's own words: OpenAI nests them in {"error": {"message"}}, others vary."""
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return one_line(str(inner["message"]), 240)
        if isinstance(inner, str):
            return one_line(inner, 240)
    if isinstance(body, str) and body.strip():
        return one_line(body, 240)
    return one_line(exc.message, 240)


def _reason(exc: BaseException) -> str:
    """The innermost cause of a connection error, e.g. "Connection refused" rather than the
    SDK's "Connection error."."""
    seen: set[int] = set()
    inner: BaseException = exc
    while id(inner) not in seen:
        seen.add(id(inner))
        nxt = inner.__cause__ or inner.__context__
        if nxt is None:
            break
        inner = nxt
    if isinstance(inner, OSError) and inner.strerror:
        return inner.strerror
    return one_line(str(inner) or type(inner).__name__, 200)


def _retry_after(headers: Any) -> float | None:
    """Seconds from `retry-after-ms` (OpenAI) or `Retry-After` (seconds or an HTTP date)."""
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000.0
    except ValueError:
        pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(raw) if raw else None
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


# Parameters an endpoint may refuse that we can do without (or spell differently):
# (adaptation, the parameter it concerns, words in the error that point at it). Once needed, an
# adaptation is remembered by the client and applied to every later request.
ADAPTATIONS = (
    ("no_response_format", "response_format",
     ("response_format", "json_schema", "json_object", "response format")),
    ("max_completion_tokens", "max_tokens", ("max_completion_tokens",)),
    ("no_temperature", "temperature", ("temperature",)),
    ("no_seed", "seed", ("seed",)),
)


def adapt_request(body: dict[str, Any], error: ModelRequestError) -> str | None:
    """Which adaptation answers this 400/422 refusal, if any."""
    if error.status not in (400, 422):
        return None
    text = error.message.lower()
    for name, param, words in ADAPTATIONS:
        if param in body and any(word in text for word in words):
            return name
    return None


def apply_adaptations(body: dict[str, Any], adaptations: Set[str]) -> dict[str, Any]:
    body = dict(body)
    if "no_response_format" in adaptations:
        body.pop("response_format", None)
    if "max_completion_tokens" in adaptations and "max_tokens" in body:
        body["max_completion_tokens"] = body.pop("max_tokens")
    if "no_temperature" in adaptations:
        body.pop("temperature", None)
    if "no_seed" in adaptations:
        body.pop("seed", None)
    return body
