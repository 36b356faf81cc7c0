"""A client for a running `cpagent serve`: judge programs over HTTP, waiting out 429s as the
server's Retry-After says. Used by cpagent.rewards and the benchmarks."""

from __future__ import annotations

import threading
import time
from typing import Any

import requests  # the docker SDK's own dependency: nothing new to install

__all__ = ["JudgeClient", "ServeError"]


class ServeError(RuntimeError):
    """The service refused a request or could not be reached. The message is one line."""


class JudgeClient:
    def __init__(self, url: str, *, token: str | None = None, timeout_s: float = 900.0,
                 patience_s: float = 600.0) -> None:
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.url = url.rstrip("/")
        self.timeout_s = timeout_s
        self.patience_s = patience_s
        self._local = threading.local()  # a session per thread: kept-alive connections

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.headers.update(self.headers)
        return session

    def post(self, path: str, body: dict) -> Any:
        """POST `body` as JSON and return the JSON answer. A 429 is retried after the
        server's Retry-After, for up to `patience_s`; anything else not 2xx raises."""
        give_up = time.monotonic() + self.patience_s
        while True:
            try:
                reply = self._session().post(self.url + path, json=body,
                                             timeout=self.timeout_s)
            except requests.RequestException as exc:
                raise ServeError(f"{self.url}{path}: {type(exc).__name__}: {exc}") from exc
            if reply.status_code == 429 and time.monotonic() < give_up:
                time.sleep(float(reply.headers.get("Retry-After", "1")))
                continue
            if reply.status_code >= 400:
                try:
                    detail = reply.json().get("detail", reply.text)
                except ValueError:
                    detail = reply.text
                raise ServeError(f"{self.url}{path}: {reply.status_code} {detail}"[:500])
            return reply.json()

    def judge_batch(self, problem: dict, codes: list[str], *, language: str = "python",
                    reward: str = "binary") -> list[dict]:
        """Judge `codes` on `problem` ({"problem": ref} or {"tests": [...], ...})."""
        body = {**problem, "reward": reward,
                "programs": [{"code": code, "language": language} for code in codes]}
        return self.post("/judge/batch", body)["results"]

    def close(self) -> None:
        session = getattr(self._local, "session", None)
        if session is not None:
            session.close()
