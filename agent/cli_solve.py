"""`cpagent solve`: the agent on one problem, with a live view of its steps."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console, Group
from rich.live import Live
from rich.syntax import Syntax
from rich.table import Table

from cpagent.agent.errors import user_errors
from cpagent.agent.flow import FlowOptions, Step, solve
from cpagent.agent.render import show_report
from cpagent.agent.runtime import model_client
from cpagent.problems.load import detect_format, load_problem
from cpagent.sandbox import open_sandbox

DEFAULTS = FlowOptions.model_fields


class FlowName(StrEnum):
    oneshot = "oneshot"
    full = "full"


MODEL = typer.Option(None, "--model", "-m", envvar="CPAGENT_MODEL",
                     help="model name or alias; default: the embedded local model when no API "
                          "key is configured")
BASE_URL = typer.Option(None, "--base-url", envvar="CPAGENT_BASE_URL",
                        help="an OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp, ...)")


class StepView:
    """The live table of steps, one row per step as it finishes."""

    def __init__(self, title: str) -> None:
        self.table = Table(title=title, expand=False)
        for name in ("step", "cand", "time", "tokens", "what happened"):
            self.table.add_column(name)
        self.started = time.monotonic()

    def add(self, step: Step) -> None:
        self.table.add_row(step.name, "" if step.candidate is None else str(step.candidate),
                           f"{step.seconds:.1f}s", str(step.tokens or ""), step.summary[:90])


def solve_command(
    problem: str = typer.Argument(..., help="statement file, Kattis or Polygon package, "
                                  "Competitive Companion JSON, or a CodeContests or "
                                  "LiveCodeBench record (.json, .jsonl#id)"),
    model: str | None = MODEL,
    base_url: str | None = BASE_URL,
    flow: FlowName = typer.Option(FlowName.full, "--flow", help="oneshot: one sample, samples "
                                  "only; full: reflect, brute force, stress, debug, select"),
    candidates: int = typer.Option(DEFAULTS["candidates"].default, "--candidates",
                                   help="independent solutions"),
    rounds: int = typer.Option(DEFAULTS["rounds"].default, "--rounds",
                               help="debug rounds per candidate"),
    max_tokens: int = typer.Option(1536, "--max-tokens", help="per model call"),
    max_calls: int = typer.Option(15, "--max-calls", help="model calls per problem"),
    lang: str = typer.Option("python", "--lang", "-l", help="python or pypy"),
    out: Path | None = typer.Option(None, "--out", "-o", help="where to write the solution "
                                    "(default: `<problem id>.py`)"),
    trace: Path | None = typer.Option(None, "--trace", help="write the trajectory as JSON"),
    statement: Path | None = typer.Option(None, "--statement", help="the statement's text, "
                                          "for a Competitive Companion JSON (which carries "
                                          "the samples only) or to replace the problem's own"),
    backend: str = typer.Option("docker", "--sandbox", envvar="CPAGENT_SANDBOX"),
    no_log: bool = typer.Option(False, "--no-log", help="do not log model calls to SQLite"),
) -> None:
    """Solve PROBLEM: reason, write, test, debug; print and save the solution.

    Exit code 0 when the solution passes every known test, 1 when not, 2 on bad input
    (including a model endpoint that cannot be reached)."""
    console = Console()
    with user_errors():
        prob = load_problem(problem)
        if statement is not None:
            prob = prob.model_copy(update={"statement": statement.read_text()})
        elif Path(problem).is_file() and detect_format(Path(problem)) == "companion":
            console.print("note: Competitive Companion sends no statement, so the model sees "
                          "the title and samples only; --statement FILE gives it the text")
        options = FlowOptions(flow=flow.value, candidates=candidates, rounds=rounds,
                              max_tokens=max_tokens, max_calls=max_calls, lang=lang)
        view = StepView(f"solving {prob.id}" + (f": {prob.title}" if prob.title else ""))
        with model_client(model, base_url=base_url, log=not no_log) as client, \
                open_sandbox(backend) as box, Live(view.table, console=console,
                                                   refresh_per_second=4, transient=False):
            result = solve(prob, client, box, options, on_step=view.add)
        if not console.is_terminal:
            console.line()  # rich ends a live view with a newline on terminals only
    if trace is not None:
        trace.write_text(result.trajectory.model_dump_json(indent=2))
    if result.code is None:
        console.print("[red]no solution[/]: the model gave no usable program")
        raise typer.Exit(1)
    target = out or Path(f"{prob.id}.py")
    target.write_text(result.code)
    console.print(Group(Syntax(result.code, "python", line_numbers=False),
                        f"written to {target} ({result.lang}); "
                        f"{result.trajectory.calls} model calls, "
                        f"{result.trajectory.tokens} tokens, {result.trajectory.seconds:.0f}s"))
    if result.report is not None:
        show_report(console, result.report, prob)
    raise typer.Exit(0 if result.accepted else 1)
