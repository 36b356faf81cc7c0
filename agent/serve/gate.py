"""The door: a bearer token (when the service has one) and a body-size limit, checked before
a request's body is read or parsed. Plain ASGI, so that a refused request costs nothing."""

from __future__ import annotations

import json
import secrets
from typing import Any

from starlette.exceptions import HTTPException

__all__ = ["OPEN_PATHS", "Gate"]

# Readable without the token: the pool's size, and the API's own description.
OPEN_PATHS = frozenset({"/health", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})


class Gate:
    def __init__(self, app: Any, *, token: str | None, max_body_bytes: int) -> None:
        self.app = app
        self.token = token
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        if self.token is not None and scope.get("path") not in OPEN_PATHS:
            scheme, _, given = headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not secrets.compare_digest(
                    given.strip().encode(), self.token.encode()):
                await _reply(send, 401, "missing or wrong bearer token (send the header "
                             "'Authorization: Bearer <token>')",
                             [(b"www-authenticate", b"Bearer")])
                return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_bytes:
            await _reply(send, 413, f"the body is {int(length)} bytes; the limit is "
                         f"{self.max_body_bytes}")
            return
        await self.app(scope, self._limited(receive), send)

    def _limited(self, receive: Any) -> Any:
        """`receive`, raising 413 once a body without a Content-Length passes the limit."""
        seen = 0

        async def limited() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    raise HTTPException(413, f"the body passed the limit of "
                                        f"{self.max_body_bytes} bytes")
            return message

        return limited


async def _reply(send: Any, status: int, detail: str,
                 extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *(extra or [])]})
    await send({"type": "http.response.body", "body": body})
