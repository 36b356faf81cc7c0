"""Credentials never leave through a URL or an error message.

A key may sit in a base_url (`https://user:KEY@host/v1`, `...?api-key=KEY`, Azure's and some
proxies' habit) and servers echo request URLs and headers in their error bodies. Everything
that is logged, stored, traced or printed passes through here first.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

__all__ = ["MASK", "redact_text", "redact_url", "url_secrets"]

MASK = "***"
# Query parameters that carry a secret, by the names providers and proxies use.
_SECRET_PARAMS = re.compile(r"(api[-_]?key|key|token|access[-_]?token|secret|sig|signature|"
                            r"password|auth)", re.IGNORECASE)
# A bearer token or an OpenAI/DeepSeek-style key quoted in free text.
_SECRET_TEXT = re.compile(r"(Bearer\s+)[\w.\-~+/]{8,}|\bsk-[\w\-]{8,}", re.IGNORECASE)


def redact_url(url: str) -> str:
    """The URL with its user info and secret query values masked."""
    parts = urlparse(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{MASK}@{netloc.rsplit('@', 1)[1]}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, MASK if _SECRET_PARAMS.fullmatch(k) else v) for k, v in pairs],
                          safe="*")
    return urlunparse(parts._replace(netloc=netloc, query=query))


def redact_text(text: str, *secrets: str | None) -> str:
    """`text` with each of `secrets` (a key, a raw URL's secret parts) and anything shaped
    like a bearer token or an `sk-` key masked."""
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return _SECRET_TEXT.sub(lambda m: (m.group(1) or "") + MASK, text)


def url_secrets(url: str | None) -> list[str]:
    """The secret parts of a URL, for `redact_text`: its password, user and secret values."""
    if not url:
        return []
    parts = urlparse(url)
    found = [parts.password, parts.username]
    found += [v for k, v in parse_qsl(parts.query) if _SECRET_PARAMS.fullmatch(k)]
    return [s for s in found if s]
