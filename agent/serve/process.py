"""`cpagent serve` in a child process, started and ready, then stopped: for the benchmarks,
the tests, and anyone who wants a judge service for the length of a `with`."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

__all__ = ["ServerProcess", "free_port", "owned_containers"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def owned_containers(pid: int) -> list[str]:
    """Ids of the sandbox containers the process `pid` on this host owns (by their label):
    after a server stops, there should be none."""
    from cpagent.sandbox.docker_backend import OWNER, connect, labelled_containers

    client = connect()
    try:
        mine = f"{socket.gethostname()}:{pid}:"
        return [c.id for c in labelled_containers(client)
                if (c.attrs.get("Labels") or {}).get(OWNER, "").startswith(mine)]
    finally:
        client.close()


class ServerProcess:
    """`with ServerProcess("--pool", 2) as server: server.url` -- a server on loopback,
    ready when the block starts (its /health answers), stopped with SIGTERM when it ends;
    `stderr` then holds what it printed."""

    def __init__(self, *args: object, env: dict | None = None, cwd: Path | None = None,
                 startup_s: float = 180.0) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.argv = [sys.executable, "-m", "cpagent.agent.serve", "--port", str(self.port),
                     *map(str, args)]
        self.env = {**os.environ, **(env or {})}
        self.cwd = cwd
        self.startup_s = startup_s
        self.proc: subprocess.Popen | None = None
        self.stderr = ""

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def health(self) -> dict:
        return requests.get(f"{self.url}/health", timeout=10).json()

    def __enter__(self) -> ServerProcess:
        self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True)
        deadline = time.monotonic() + self.startup_s
        while True:
            if self.proc.poll() is not None:
                self.stderr = self.proc.stderr.read() if self.proc.stderr else ""
                raise RuntimeError(f"the server stopped: {self.stderr.strip()}")
            with contextlib.suppress(requests.RequestException, ValueError):
                if self.health().get("status") == "ok":
                    return self
            if time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"the server did not answer in {self.startup_s:g}s")
            time.sleep(0.2)

    def __exit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            _, self.stderr = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, self.stderr = self.proc.communicate()
