"""`cpagent serve`: the judge over HTTP, for RL trainers (see docs/serve.md)."""

from __future__ import annotations

import socket
from pathlib import Path

import typer

from cpagent.agent.cli_options import in_range
from cpagent.agent.errors import user_errors
from cpagent.agent.serve.config import LIBRARY, ServeConfig, is_loopback

__all__ = ["serve_command"]

_DEFAULTS = ServeConfig()


def serve_command(
    host: str = typer.Option(_DEFAULTS.host, "--host", help="the address to listen on; "
                             "beyond loopback a token is required"),
    port: int = typer.Option(_DEFAULTS.port, "--port"),
    token: str | None = typer.Option(None, "--token", envvar="CPAGENT_SERVE_TOKEN",
                                     help="bearer token callers must send (prefer the "
                                     "environment variable to the flag)"),
    backend: str = typer.Option("docker", "--sandbox", envvar="CPAGENT_SANDBOX",
                                help="docker, or local (no isolation; loopback only)"),
    pool: int = typer.Option(0, "--pool", help="sandbox containers, i.e. requests run at "
                             "once (default: one per CPU)"),
    queue: int = typer.Option(_DEFAULTS.queue, "--queue", help="requests that may wait for "
                              "a container; more get 429 with Retry-After"),
    problems: Path = typer.Option(LIBRARY, "--problems", help="the folder /judge resolves "
                                  "problem names in (default: the shipped library)"),
    max_body: int = typer.Option(_DEFAULTS.max_body_bytes, "--max-body", help="bytes"),
    max_code: int = typer.Option(_DEFAULTS.max_code_bytes, "--max-code", help="bytes"),
    max_tests: int = typer.Option(_DEFAULTS.max_tests, "--max-tests",
                                  help="test runs per request (programs x tests)"),
    max_run: float = typer.Option(_DEFAULTS.max_run_s, "--max-run", help="CPU seconds a "
                                  "request may ask for (test runs x time limit)"),
) -> None:
    """Serve the judge over HTTP: SandboxFusion-compatible /run_code, /judge, /judge/batch.

    Listens on loopback by default; docs at /docs. Ctrl-C stops it and removes its
    containers."""
    with user_errors():
        in_range("--port", port, 1, 65535)
        in_range("--pool", pool, 0, 256)
        in_range("--queue", queue, 0, 100_000)
        in_range("--max-body", max_body, 1, 1 << 34)
        in_range("--max-code", max_code, 1, 1 << 34)
        in_range("--max-tests", max_tests, 1, 10_000_000)
        in_range("--max-run", max_run, 0.001, 10_000_000)
        if backend not in ("docker", "local"):
            raise ValueError(f"unknown --sandbox {backend!r} (choose docker or local)")
        if backend == "local" and not is_loopback(host):
            raise ValueError("--sandbox local does not isolate: it serves on loopback only")
        config = ServeConfig(host=host, port=port, token=token, backend=backend, pool=pool,
                             queue=queue, problems=problems, max_body_bytes=max_body,
                             max_code_bytes=max_code, max_tests=max_tests, max_run_s=max_run)
        config.check()
        _check_bind(host, port)
        try:
            import uvicorn

            from cpagent.agent.serve.app import create_app
        except ImportError as exc:
            raise ValueError(f"cpagent serve needs the serve extra ({exc.name} is missing): "
                             "pip install 'cpagent[serve]'") from None
        from cpagent.agent.serve.service import open_service

        service = open_service(config)
    app = create_app(service)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"cpagent judge: {service.pool} sandboxes, queue {queue}, "
               f"{'token required' if token else 'no token'}; "
               f"http://{shown}:{port}/docs", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                    timeout_graceful_shutdown=5)
    finally:
        service.close()


def _check_bind(host: str, port: int) -> None:
    """Refuse at once, in one line, an address the server could not listen on: before the
    pool is started, not after."""
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(info[0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(info[4])
    except OSError as exc:
        raise ValueError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
