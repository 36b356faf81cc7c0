"""`cpagent listen`: receive problems from the Competitive Companion browser extension and
solve each one as it arrives.

The extension POSTs one JSON document per problem to http://localhost:PORT/ on a list of
known ports; 10043 is one of them. Problems are queued and solved one at a time, because
the machine has one model and one sandbox pool to share."""

from __future__ import annotations

import json
import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import typer
from rich.console import Console

from cpagent.agent.cli_options import BASE_URL, MODEL, in_range
from cpagent.agent.cli_solve import StepView
from cpagent.agent.errors import user_errors
from cpagent.agent.flow import FlowChoice, solve
from cpagent.agent.paths import check_output_dir, safe_file_name
from cpagent.agent.runtime import model_client
from cpagent.problems.errors import ProblemFormatError
from cpagent.problems.formats.companion import parse_companion
from cpagent.problems.model import Problem
from cpagent.sandbox import open_sandbox

DEFAULT_PORT = 10043


def make_server(port: int, inbox: queue.Queue[Problem], console: Console) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            size = int(self.headers.get("Content-Length") or 0)
            try:
                problem = parse_companion(json.loads(self.rfile.read(size)), "request")
            except (ValueError, ProblemFormatError) as exc:
                self.send_response(400)
                self.end_headers()
                console.print(f"[red]ignored a request[/]: {str(exc).splitlines()[0]}")
                return
            self.send_response(200)
            self.end_headers()
            inbox.put(problem)

        def log_message(self, *args: object) -> None:  # quiet: we print our own lines
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


def listen_command(
    port: int = typer.Option(DEFAULT_PORT, "--port", help="the port Competitive Companion "
                             "posts to"),
    model: str | None = MODEL,
    base_url: str | None = BASE_URL,
    flow: str = typer.Option("full", "--flow", help="oneshot or full"),
    out_dir: Path = typer.Option(Path("."), "--out-dir", help="where solutions are written"),
    backend: str = typer.Option("docker", "--sandbox", envvar="CPAGENT_SANDBOX"),
    once: bool = typer.Option(False, "--once", help="stop after one problem"),
) -> None:
    """Solve problems as Competitive Companion sends them (Ctrl-C to stop)."""
    console = Console()
    inbox: queue.Queue[Problem] = queue.Queue()
    with user_errors():
        if flow not in ("oneshot", "full"):
            raise ValueError(f"unknown --flow {flow!r} (choose oneshot or full)")
        check_output_dir(out_dir, "--out-dir")
        in_range("--port", port, 1, 65535)
        try:
            server = make_server(port, inbox, console)
        except OSError as exc:
            raise ValueError(f"cannot listen on port {port}: {exc.strerror}") from None
        threading.Thread(target=server.serve_forever, daemon=True).start()
        console.print(f"listening on http://127.0.0.1:{port}/ for Competitive Companion")
        with model_client(model, base_url=base_url) as client, open_sandbox(backend) as box:
            options = FlowChoice(flow=flow).resolve(client.settings.rules)
            try:
                while True:
                    problem = inbox.get()
                    view = StepView(f"solving {problem.id}: {problem.title}")
                    result = solve(problem, client, box, options, on_step=view.add)
                    console.print(view.table)
                    if result.code:
                        target = out_dir / f"{safe_file_name(problem.id)}.py"
                        target.write_text(result.code)
                        verdict = result.report.verdict.value if result.report else "?"
                        console.print(f"{problem.id}: {verdict} on the samples, "
                                      f"written to {target}")
                    if once:
                        break
            finally:
                server.shutdown()
