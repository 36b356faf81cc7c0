"""Opening a model for a command: resolve the settings, start the embedded model's server
when the local model is chosen, and stop it when the command ends."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from agent.llm import CallLog, ModelClient, ModelUnavailable, default_log_path, resolve_settings

LOCAL = "local"
# A CPU model on a busy machine can write at 3 tokens a second: a long reply takes minutes,
# and a time-out throws that work away while the server goes on computing it.
LOCAL_TIMEOUT_S = 1800.0


@contextlib.contextmanager
def model_client(model: str | None = None, *, base_url: str | None = None, log: bool = True,
                 **overrides) -> Iterator[ModelClient]:
    if base_url:
        overrides["base_url"] = base_url
    settings = resolve_settings(model, **overrides)
    call_log = CallLog(default_log_path()) if log else None
    if settings.model != LOCAL or settings.base_url:
        yield ModelClient(settings, log=call_log)
        return
    from agent.local import LocalServer, LocalServerError, is_present, model_path

    if not is_present():
        raise ModelUnavailable("the local model is not downloaded: run `cpagent model pull`")
    try:
        server = LocalServer.start(model_path())
    except LocalServerError as exc:
        raise ModelUnavailable(str(exc)) from exc
    try:
        # llama.cpp's server constrains decoding to a schema given as a json_object format;
        # the model is asked for by its file's alias, which also keys the replay cache.
        local = settings.model_copy(update={"base_url": server.base_url, "json_mode": "object",
                                            "model": server.model,
                                            "timeout_s": max(settings.timeout_s, LOCAL_TIMEOUT_S)})
        yield ModelClient(local, log=call_log)
    finally:
        server.stop()
