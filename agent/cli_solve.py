"""`cpagent solve`: the agent on one problem, with a live view of its steps."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console, Group
from rich.live import Live
from rich.syntax import Syntax
from rich.table import Table

from cpagent.agent.cli_options import BASE_URL, MODEL, flow_options
from cpagent.agent.errors import fail, user_errors
from cpagent.agent.flow import FlowChoice, FlowOptions, Step, budget_warning, solve
from cpagent.agent.llm import ModelClient
from cpagent.agent.paths import check_output_file, safe_file_name
from cpagent.agent.render import show_report
from cpagent.agent.runtime import model_client
from cpagent.problems.load import detect_format, load_problem
from cpagent.sandbox import open_sandbox


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


@flow_options
def solve_command(
    problem: str = typer.Argument(..., help="statement file, Kattis or Polygon package, "
                                  "Competitive Companion JSON, or a CodeContests or "
                                  "LiveCodeBench record (.json, .jsonl#id)"),
    model: str | None = MODEL,
    base_url: str | None = BASE_URL,
    lang: str = typer.Option("python", "--lang", "-l", help="python or pypy"),
    out: Path | None = typer.Option(None, "--out", "-o", help="where to write the solution "
                                    "(default: `<problem id>.py`)"),
    trace: Path | None = typer.Option(None, "--trace", help="write the trajectory as JSON"),
    statement: Path | None = typer.Option(None, "--statement", help="the statement's text, "
                                          "for a Competitive Companion JSON (which carries "
                                          "the samples only) or to replace the problem's own"),
    backend: str = typer.Option("docker", "--sandbox", envvar="CPAGENT_SANDBOX"),
    no_log: bool = typer.Option(False, "--no-log", help="do not log model calls to SQLite"),
    *,
    choice: FlowChoice,
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
        if lang not in ("python", "pypy"):
            raise ValueError(f"unknown --lang {lang!r} (choose python or pypy)")
        choice = choice.model_copy(update={"lang": lang})
        target = check_output_file(out or Path(f"{safe_file_name(prob.id)}.py"))
        if trace is not None:
            check_output_file(trace, "--trace")
        view = StepView(f"solving {prob.id}" + (f": {prob.title}" if prob.title else ""))
        with model_client(model, base_url=base_url, log=not no_log,
                          effort=choice.effort) as client:
            options = choice.resolve(client.settings.rules)
            _say_choices(console, client, options)
            with open_sandbox(backend) as box, Live(view.table, console=console,
                                                    refresh_per_second=4, transient=False):
                result = solve(prob, client, box, options, on_step=view.add)
        if not console.is_terminal:
            console.line()  # rich ends a live view with a newline on terminals only
    if trace is not None:
        with user_errors():
            trace.write_text(result.trajectory.model_dump_json(indent=2))
    if result.code is None:
        failed = result.trajectory.failed_calls
        if failed and all(f.kind == "not_chat" for f in failed):
            raise fail(failed[-1].cause)  # the endpoint, not the problem: bad setup
        why = f" ({len(failed)} calls failed: {failed[-1].cause})" if failed else ""
        console.print(f"[red]no solution[/]: the model gave no usable program{why}")
        raise typer.Exit(1)
    console.print(Syntax(result.code, "python", line_numbers=False))  # shown even if unsaved
    with user_errors():
        target.write_text(result.code)
    console.print(Group(
                        f"written to {target} ({result.lang}); "
                        f"{result.trajectory.calls} model calls, "
                        f"{result.trajectory.tokens} tokens, {result.trajectory.seconds:.0f}s"))
    if result.report is not None:
        show_report(console, result.report, prob)
    raise typer.Exit(0 if result.accepted else 1)


def _say_choices(console: Console, client: ModelClient, options: FlowOptions) -> None:
    """One line on what the model's family chose, and a warning where the budget is short."""
    rules, settings = client.settings.rules, client.settings
    if rules.name != "generic" or options.profile != "small":
        effort = ""
        if settings.effort is not None:
            effort = (f", effort {settings.effort}" if settings.effort in rules.efforts
                      else f", --effort dropped ({rules.name} takes none)")
        console.print(f"{settings.model}: {rules.name} rules, {options.profile} profile, "
                      f"{options.max_tokens} tokens a call{effort}")
    warning = budget_warning(options, rules)
    if warning:
        console.print(f"[yellow]{warning}[/]")
