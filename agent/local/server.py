"""llama-cpp-python's OpenAI-compatible server on loopback, started and stopped by cpagent.

No server may outlive cpagent: `stop()` runs on context exit and at interpreter exit, and on
Linux the kernel kills the server if cpagent itself is killed (where atexit never runs).
With $CPAGENT_LOCAL_URL set, an already-running server is used and nothing is started.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from cpagent.agent.local.errors import LocalServerError
from cpagent.agent.local.model import DEFAULT_MODEL, cache_dir
from cpagent.agent.local.model import model_path as default_model_path

__all__ = ["ENV_URL", "LocalServer", "llama_cpp_available"]

ENV_URL = "CPAGENT_LOCAL_URL"
HOST = "127.0.0.1"
MISSING = "the local model needs llama-cpp-python: pip install 'cpagent[local]'"
# What `python -m llama_cpp.server` imports besides llama_cpp (its [server] extra).
SERVER_MODULES = ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context",
                  "pydantic_settings")
PR_SET_PDEATHSIG = 1
LOG_MAX_AGE = 24 * 3600


def llama_cpp_available() -> bool:
    """llama-cpp-python and its server extra are installed (checked without importing them)."""
    return all(importlib.util.find_spec(name) is not None for name in SERVER_MODULES)


class LocalServer:
    """A running OpenAI-compatible endpoint: `base_url` ends in /v1, `model` is the name to ask
    for. Use as a context manager, or call `stop()`."""

    def __init__(self, base_url: str, model: str, process: subprocess.Popen[bytes] | None = None,
                 log_path: Path | None = None, log_file: IO[bytes] | None = None) -> None:
        self.base_url = base_url
        self.model = model
        self.process = process
        self.log_path = log_path
        self._log_file = log_file
        if process is not None:
            atexit.register(self.stop)

    @classmethod
    def start(cls, model_path: Path | None = None, *, port: int | None = None, n_ctx: int = 8192,
              n_threads: int | None = None, chat_format: str | None = None,
              extra_args: Sequence[str] = (), alias: str | None = None,
              timeout: float = 180.0) -> LocalServer:
        """Start a server for the GGUF file at `model_path` (default: the pulled model) and wait
        until it answers, or reuse the one at $CPAGENT_LOCAL_URL. Raises `LocalServerError`."""
        if url := os.environ.get(ENV_URL):
            return cls.connect(url)
        if not llama_cpp_available():
            raise LocalServerError(MISSING)
        path = Path(model_path) if model_path is not None else default_model_path()
        if not path.is_file():
            raise LocalServerError(f"no model file at {path}: run `cpagent model pull`")
        port = port or _free_port()
        alias = alias or (DEFAULT_MODEL.alias if path == default_model_path() else path.stem)
        command = [sys.executable, "-m", "llama_cpp.server", "--model", str(path),
                   "--model_alias", alias, "--host", HOST, "--port", str(port),
                   "--n_ctx", str(n_ctx), "--n_threads", str(n_threads or default_threads())]
        if chat_format:
            command += ["--chat_format", chat_format]
        command += list(extra_args)
        log_path = _log_path(port)
        log_file = log_path.open("wb")
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            # Its own session: a Ctrl-C meant for cpagent reaches cpagent, which then stops it.
            start_new_session=True, preexec_fn=_parent_death_signal(),
        )
        server = cls(f"http://{HOST}:{port}/v1", alias, process, log_path, log_file)
        try:
            server._wait_ready(timeout)
        except BaseException:
            server.stop()
            raise
        return server

    @classmethod
    def connect(cls, url: str, timeout: float = 5.0) -> LocalServer:
        """Use a server that is already running at `url` (with or without the /v1)."""
        base = url.rstrip("/")
        base = base if base.endswith("/v1") else base + "/v1"
        try:
            models = _get_models(base, timeout)
        except (OSError, ValueError) as exc:
            raise LocalServerError(f"{base} does not answer: {_reason(exc)}") from exc
        data = models.get("data") if isinstance(models, dict) else None
        first = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else {}
        return cls(base, str(first.get("id", DEFAULT_MODEL.alias)))

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def exit_reason(self) -> str | None:
        """Why the server is gone, in one line; None while it runs (or if it was never ours)."""
        code = self.process.poll() if self.process is not None else None
        if code is None:
            return None
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            how = f"was killed by {name}"
            if -code == signal.SIGILL:
                # Seen on a VM that reports AMX but faults on it: .ci/setup builds without it.
                how += " (an instruction this CPU does not run: rebuild llama-cpp-python)"
        else:
            how = f"exited with code {code}"
        return f"the local model server {how}: {self._last_log_line()} (log: {self.log_path})"

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM, then SIGKILL after `grace` seconds. Idempotent; a reused server is left be."""
        process, self.process = self.process, None
        if process is not None:
            atexit.unregister(self.stop)
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(grace)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert self.process is not None
            if (reason := self.exit_reason()) is not None:
                raise LocalServerError(reason)
            with contextlib.suppress(OSError, ValueError):
                _get_models(self.base_url, 2.0)
                return
            if time.monotonic() > deadline:
                raise LocalServerError(f"the local model server did not answer within "
                                       f"{timeout:.0f} s (log: {self.log_path})")
            time.sleep(0.2)

    def _last_log_line(self) -> str:
        if self.log_path is None:
            return "no log"
        try:
            lines = self.log_path.read_bytes().decode(errors="replace").splitlines()
        except OSError:
            return "no log"
        lines = [line.strip() for line in lines if line.strip()]
        return lines[-1] if lines else "no output"


def default_threads() -> int:
    """One core fewer than the machine has, unless CPAGENT_LOCAL_THREADS says otherwise.
    llama.cpp's threads wait for each other at every step, so when the sandbox (or anything)
    takes a core, all-core generation collapses: measured here on 2 cores under load, 1-2
    tokens/s with 2 threads against 13-14 with 1."""
    if os.environ.get("CPAGENT_LOCAL_THREADS", "").isdigit():
        return max(1, int(os.environ["CPAGENT_LOCAL_THREADS"]))
    return max(1, (os.cpu_count() or 2) - 1)


def _free_port() -> int:
    # The kernel picks a free port; the tiny window before the server binds it is acceptable.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _log_path(port: int) -> Path:
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # One log per port; old ones from random ports are dropped so they do not pile up.
    now = time.time()
    for old in folder.glob("server-*.log"):
        with contextlib.suppress(OSError):
            if now - old.stat().st_mtime > LOG_MAX_AGE:
                old.unlink()
    return folder / f"server-{port}.log"


def _get_models(base_url: str, timeout: float) -> object:
    host = urllib.parse.urlsplit(base_url).hostname or ""
    # Loopback must never go through an HTTP proxy set for the outside world.
    handlers = [urllib.request.ProxyHandler({})] if host in ("127.0.0.1", "localhost", "::1") \
        else []
    opener = urllib.request.build_opener(*handlers)
    with opener.open(f"{base_url}/models", timeout=timeout) as response:
        return json.loads(response.read())


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    return str(exc) or type(exc).__name__


def _parent_death_signal() -> Callable[[], None] | None:
    # Linux only: the kernel sends SIGKILL to the server when the thread that started it dies.
    # That thread must be the main one (a worker thread may end before cpagent does).
    if not sys.platform.startswith("linux") or threading.current_thread() is not \
            threading.main_thread():
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    parent = os.getpid()

    def in_child() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # cpagent died before prctl took effect
            os._exit(1)

    return in_child
