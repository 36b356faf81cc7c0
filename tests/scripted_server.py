"""A scripted OpenAI-compatible HTTP server on loopback, for tests that need a fixed reply.

    with ScriptedServer(["hello", {"answer": 42}, 429, Reply("late", delay_s=2)]) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="x")
        ...
        assert "42" in server.requests[1]["messages"][-1]["content"]

Each POST to /v1/chat/completions consumes the next step of the script:

- str: the assistant's reply text;
- dict: a reply whose text is that dict as JSON (what a structured call wants);
- Reply(...): full control: content, reasoning_content, usage (None omits it), finish_reason,
  a delay before answering;
- int or HttpError(...): an error response with that status; 429 and 503 given as a bare int
  carry `Retry-After: 0`, so client retries are instant;
- callable(request_json) -> any of the above, for replies that depend on the prompt.

GET /v1/models lists one model. Every chat request body is kept in `requests` (and its
headers in `headers`). An exhausted script answers 400 "script exhausted": never retried, so a
test that makes one call too many fails fast and says why.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["HttpError", "Reply", "ScriptedServer", "Step", "free_port"]


@dataclass
class Reply:
    content: str | None = ""
    reasoning_content: str | None = None
    # None: no `usage` in the reply at all; "auto": counted as ~4 characters per token.
    usage: dict[str, int] | str | None = "auto"
    finish_reason: str = "stop"
    delay_s: float = 0.0
    model: str | None = None


@dataclass
class HttpError:
    status: int
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None  # overrides the OpenAI-style {"error": {...}} body when given


Step = str | dict | int | Reply | HttpError | Callable[[dict], Any]


def free_port() -> int:
    """A loopback port nothing listens on (the OS just handed it out and we closed it)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4)


class ScriptedServer:
    def __init__(self, script: Iterable[Step] = (), *, model: str = "scripted") -> None:
        self.script: deque[Step] = deque(script)
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> ScriptedServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server._get(self)

            def do_POST(self) -> None:  # noqa: N802
                server._post(self)

            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False  # a delayed reply must not hold up the test's exit
        # A short poll interval: shutdown() waits up to one interval, once per test.
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,),
                                        daemon=True, name="scripted-openai-server")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "the server is not running"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def push(self, *steps: Step) -> None:
        with self._lock:
            self.script.extend(steps)

    @property
    def remaining(self) -> int:
        return len(self.script)

    # -- handling -------------------------------------------------------------------------

    def _get(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.path.rstrip("/").endswith("/models"):
            self._send(handler, 200, {"object": "list", "data": [
                {"id": self.model, "object": "model", "created": 0, "owned_by": "tests"}]})
        else:
            self._send(handler, 404, {"error": {"message": f"no route {handler.path}"}})

    def _post(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        if not handler.path.rstrip("/").endswith("/chat/completions"):
            self._send(handler, 404, {"error": {"message": f"no route {handler.path}"}})
            return
        try:
            request = json.loads(raw or b"{}")
        except ValueError:
            self._send(handler, 400, {"error": {"message": "body is not JSON"}})
            return
        with self._lock:
            self.requests.append(request)
            self.headers.append(dict(handler.headers.items()))
            step: Step | None = self.script.popleft() if self.script else None
        if step is None:
            self._send(handler, 400, {"error": {"message": "scripted server: script exhausted",
                                                "type": "invalid_request_error"}})
            return
        while callable(step) and not isinstance(step, Reply | HttpError):
            step = step(request)
        self._answer(handler, request, step)

    def _answer(self, handler: BaseHTTPRequestHandler, request: dict[str, Any],
                step: Any) -> None:
        if isinstance(step, bool) or not isinstance(step, int | str | dict | Reply | HttpError):
            raise TypeError(f"not a script step: {step!r}")
        if isinstance(step, int):
            headers = {"Retry-After": "0"} if step in (429, 503) else {}
            step = HttpError(step, headers=headers)
        if isinstance(step, HttpError):
            body = step.body if step.body is not None else {"error": {
                "message": step.message or f"scripted error {step.status}",
                "type": "scripted", "param": None, "code": None}}
            self._send(handler, step.status, body, step.headers)
            return
        if isinstance(step, str):
            step = Reply(content=step)
        elif isinstance(step, dict):
            step = Reply(content=json.dumps(step))
        if step.delay_s:
            time.sleep(step.delay_s)
        self._send(handler, 200, self._completion(request, step))

    def _completion(self, request: dict[str, Any], reply: Reply) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.content}
        if reply.reasoning_content is not None:
            message["reasoning_content"] = reply.reasoning_content
        body: dict[str, Any] = {
            "id": f"chatcmpl-scripted-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": reply.model or request.get("model") or self.model,
            "choices": [{"index": 0, "message": message, "finish_reason": reply.finish_reason,
                         "logprobs": None}],
        }
        if reply.usage == "auto":
            prompt = "".join(str(m.get("content", "")) for m in request.get("messages", []))
            completion = (reply.content or "") + (reply.reasoning_content or "")
            usage = {"prompt_tokens": _tokens(prompt), "completion_tokens": _tokens(completion)}
        else:
            usage = reply.usage  # type: ignore[assignment]
        if usage is not None:
            body["usage"] = {**usage, "total_tokens": sum(usage.values())}
        return body

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: Any,
              headers: dict[str, str] | None = None) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a time-out test): nothing to tell it
