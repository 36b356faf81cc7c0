"""The `cpagent` command line. Each noun group lives in its own module; this one wires them."""

from __future__ import annotations

import contextlib
import signal
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console

from cpagent.agent.errors import user_errors
from cpagent.agent.paths import read_source
from cpagent.agent.render import show_report
from cpagent.problems.load import load_problem
from cpagent.sandbox import judge, open_sandbox
from cpagent.sandbox.model import Program

app = typer.Typer(
    help="cpagent: judge, stress-test and solve competitive-programming problems in a sandbox.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="markdown",  # docstrings are reflowed, not broken where the source wraps
)
sandbox_app = typer.Typer(help="Build and check the sandbox.", no_args_is_help=True)
app.add_typer(sandbox_app, name="sandbox")


class Lang(StrEnum):
    python = "python"
    pypy = "pypy"


class Backend(StrEnum):
    docker = "docker"
    local = "local"


class TestSet(StrEnum):
    __test__ = False
    all = "all"
    samples = "samples"


LANG = typer.Option(Lang.python, "--lang", "-l", help="interpreter: CPython or PyPy")
BACKEND = typer.Option(Backend.docker, "--sandbox", envvar="CPAGENT_SANDBOX",
                       help="docker (isolated) or local (no isolation, for machines without it)")


@app.command("judge")
def judge_command(
    solution: Path = typer.Argument(..., help="a Python source file, or a .jsonl of "
                                    "submissions to judge in bulk (docs/judging.md)"),
    problem: str | None = typer.Argument(None, help="Kattis or Polygon package, oj test/ "
                                         "folder, Competitive Companion JSON, statement "
                                         ".md/.txt, or a CodeContests or LiveCodeBench record "
                                         "(.json, .jsonl#id); not with a .jsonl of submissions"),
    lang: Lang = LANG,
    backend: Backend = BACKEND,
    tests: TestSet = typer.Option(TestSet.all, "--tests", help="all tests or the samples only"),
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON"),
    parallel: int = typer.Option(0, "--parallel", "-j", help="bulk: submissions judged at "
                                 "once (default: one per core here, two per judging slot on "
                                 "a cluster)"),
    ray: str | None = typer.Option(None, "--ray", metavar="ADDRESS", help="bulk: judge on a "
                                   "Ray cluster (auto, local or host:port); needs cpagent[ray]"),
    out: Path | None = typer.Option(None, "--out", "-o", help="bulk: write the verdicts' JSONL "
                                    "here rather than to stdout"),
) -> None:
    """Judge SOLUTION on PROBLEM's tests: a verdict, time and memory per test.

    Given a .jsonl of submissions instead, judge each on its problem and write one JSON line
    per verdict as it is reached.

    Exit code 0 when every test is accepted (in bulk: when every submission was judged), 1
    when not, 2 on bad input."""
    if solution.suffix == ".jsonl":
        from cpagent.agent.cli_bulk import bulk_judge

        with user_errors():
            if problem is not None:
                raise ValueError("a .jsonl of submissions names its problems: give no PROBLEM")
            code = bulk_judge(solution, backend.value, parallel, ray, out)
        raise typer.Exit(code)
    with user_errors():
        if problem is None:
            raise ValueError("give the PROBLEM to judge the solution on")
        source = read_source(solution)
        prob = load_problem(problem)
        chosen = prob.samples() if tests is TestSet.samples else prob.tests
        if not chosen:
            kind = "tests" if tests is TestSet.all else "sample tests"
            raise ValueError(f"{prob.id} has no {kind} to judge on")
        with open_sandbox(backend.value) as box:
            report = judge(box, Program(source=source, lang=lang.value), prob, tests=chosen)
    if as_json:
        print(report.model_dump_json(indent=2))
    else:
        show_report(Console(), report, prob)
    raise typer.Exit(0 if report.accepted else 1)


@sandbox_app.command("build")
def sandbox_build(force: bool = typer.Option(False, help="rebuild even if the image exists")):
    """Build the sandbox image offline: debootstrap Debian with python3 and pypy3, then import."""
    from cpagent.sandbox.docker_backend import connect
    from cpagent.sandbox.image import build_image

    with user_errors(), contextlib.closing(connect()) as client:
        build_image(client, force=force)


@sandbox_app.command("doctor")
def sandbox_doctor(backend: Backend = BACKEND) -> None:
    """Say what works and what does not: engine, image, interpreters, isolation."""
    from cpagent.sandbox.doctor import diagnose

    ok = True
    for check in diagnose(backend.value):
        mark = "[green]ok[/]" if check.ok else "[red]no[/]"
        Console().print(f"{mark}  {check.name}: {check.detail}")
        ok &= check.ok
    raise typer.Exit(0 if ok else 1)


def _register() -> None:
    from cpagent.agent.cli_contest import contest_app
    from cpagent.agent.cli_datagen import datagen_app
    from cpagent.agent.cli_listen import listen_command
    from cpagent.agent.cli_logs import logs_app
    from cpagent.agent.cli_models import models_command
    from cpagent.agent.cli_serve import serve_command
    from cpagent.agent.cli_solve import solve_command
    from cpagent.agent.cli_stress import (
        gen_command,
        stress_command,
        template_command,
        timing_command,
    )
    from cpagent.agent.local.cli import model_app

    app.command("solve")(solve_command)
    app.command("listen")(listen_command)
    app.command("stress")(stress_command)
    app.command("gen")(gen_command)
    app.command("timing")(timing_command)
    app.command("template")(template_command)
    app.command("models")(models_command)
    app.command("serve")(serve_command)
    app.add_typer(model_app, name="model", help="The embedded model: pull, serve, status.")
    app.add_typer(contest_app, name="contest")
    app.add_typer(datagen_app, name="datagen")
    app.add_typer(logs_app, name="logs")


_register()


def main() -> None:
    # A polite kill is a Ctrl-C: the same cleanup (the sandbox's containers are removed,
    # a batch's attempts in flight go back to pending) and the same words, never a traceback
    # (a SystemExit raised inside hypothesis's engine came out as an exception group).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    app()


if __name__ == "__main__":
    main()
