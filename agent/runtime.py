"""Opening a model for a command: resolve the settings, start the embedded model's server
when the local model is chosen, and stop it when the command ends."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from cpagent.agent.llm import (
    CallLog,
    ModelClient,
    ModelUnavailable,
    default_log_path,
    resolve_settings,
)

LOCAL = "local"
# A CPU model on a busy machine can write at 3 tokens a second: a long reply takes minutes,
# and a time-out throws that work away while the server goes on computing it.
LOCAL_TIMEOUT_S = 1800.0


@contextlib.contextmanager
def model_client(model: str | None = None, *, base_url: str | None = None, log: bool = True,
                 **overrides) -> Iterator[ModelClient]:
    """A client for `model` (an alias or a name; None: the configured default, else the
    embedded model, whose server is started here and stopped on exit). Calls are logged to
    the call log unless `log` is False; `overrides` are ModelSettings fields.

        with model_client("deepseek-reasoner", effort=None) as client:
            print(client.complete([ChatMessage(role="user", content="Hi")]).text)
    """
    with model_clients(model, base_url=base_url, log=log, count=1, **overrides) as clients:
        yield clients[0]


@contextlib.contextmanager
def model_clients(model: str | None = None, *, base_url: str | None = None, log: bool = True,
                  count: int = 1, **overrides) -> Iterator[list[ModelClient]]:
    """`count` clients for `count` problems at once. An endpoint serves them all through
    one client; the local model gets one server each (up to the cores), because one
    llama.cpp server answers one request at a time and a one-thread server per core writes
    about twice as many tokens a second as one server with every core."""
    if base_url:
        overrides["base_url"] = base_url
    settings = resolve_settings(model, **overrides)
    call_log = CallLog(default_log_path()) if log else None
    if settings.model != LOCAL or settings.base_url:
        yield [ModelClient(settings, log=call_log)] * count
        return
    from cpagent.agent.local import LocalServer, LocalServerError, is_present, model_path

    if not is_present():
        raise ModelUnavailable("the local model is not downloaded: run `cpagent model pull`")
    servers: list[LocalServer] = []
    try:
        for _ in range(max(1, min(count, os.cpu_count() or 1))):
            servers.append(LocalServer.start(model_path(), n_threads=1 if count > 1 else None))
    except LocalServerError as exc:
        for server in servers:
            server.stop()
        raise ModelUnavailable(str(exc)) from exc
    try:
        # llama.cpp's server constrains decoding to a schema given as a json_object format;
        # the model is asked for by its file's alias, which also keys the replay cache.
        clients = [ModelClient(settings.model_copy(update={
            "base_url": server.base_url, "json_mode": "object", "model": server.model,
            "embedded": True,
            "timeout_s": max(settings.timeout_s, LOCAL_TIMEOUT_S)}), log=call_log)
            for server in servers]
        yield [clients[i % len(clients)] for i in range(count)]
    except ModelUnavailable as exc:
        # A dead server shows as a refused connection; its exit says why.
        reason = next((r for s in servers if (r := s.exit_reason()) is not None), None)
        if reason is None:
            raise
        raise ModelUnavailable(reason) from exc
    finally:
        for server in servers:
            server.stop()
