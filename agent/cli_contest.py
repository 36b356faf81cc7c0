"""`cpagent contest`: batch runs over a problem set, stored as they go, and their reports."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from agent.batch import BatchProgress, RunSpec, RunStore, default_store_path, execute
from agent.cli_solve import BASE_URL, MODEL, FlowName
from agent.errors import user_errors
from agent.flow import FlowOptions
from agent.runtime import model_client
from problems.ratings import attach_ratings
from problems.sets import load_problem_set
from sandbox import open_sandbox

contest_app = typer.Typer(no_args_is_help=True, help="Batch runs over problem sets with a "
                          "model and flow, an Elo estimate and a report.")

DB = typer.Option(None, "--db", envvar="CPAGENT_RUNS_DB",
                  help="the run store (default: runs.db beside the model call log)")


def open_store(db: Path | None) -> RunStore:
    return RunStore(db or default_store_path())


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("cpagent")
    except PackageNotFoundError:
        return "unknown"


@contest_app.command("run")
def run_command(
    problems: list[str] = typer.Argument(..., help="Kattis packages or folders of them, "
                                         "CodeContests .jsonl files (or file.jsonl#id), "
                                         "statement files"),
    run: str = typer.Option(..., "--run", "-r", help="the run's name: rerunning with it "
                            "resumes where the last process stopped"),
    index: str | None = typer.Option(None, "--index", help="Codeforces problem letters to "
                                     "keep, e.g. A,B"),
    ratings: Path | None = typer.Option(None, "--ratings", help="a CSV of problem ratings "
                                        "(id or contest_id,index; and rating)"),
    model: str | None = MODEL,
    base_url: str | None = BASE_URL,
    flow: FlowName = typer.Option(FlowName.full, "--flow"),
    candidates: int = typer.Option(2, "--candidates"),
    rounds: int = typer.Option(2, "--rounds"),
    max_tokens: int = typer.Option(1536, "--max-tokens"),
    max_calls: int = typer.Option(15, "--max-calls"),
    samples: int = typer.Option(1, "--samples", "-k", min=1,
                                help="independent attempts per problem"),
    parallel: int = typer.Option(1, "--parallel", "-j", min=1, max=16,
                                 help="problems solved at once (each takes a sandbox slot; a "
                                      "local model answers one at a time)"),
    backend: str = typer.Option("docker", "--sandbox", envvar="CPAGENT_SANDBOX"),
    db: Path | None = DB,
) -> None:
    """Solve every problem of a set, storing each attempt in SQLite as it ends.

    Killed or interrupted, the same command resumes: finished attempts are kept, the one
    that was running starts over, and its model calls replay from the call log."""
    console = Console(stderr=True)
    with user_errors():
        problem_set = load_problem_set(problems, _letters(index))
        if ratings:
            problem_set = attach_ratings(problem_set, ratings)
        options = FlowOptions(flow=flow.value, candidates=candidates, rounds=rounds,
                              max_tokens=max_tokens, max_calls=max_calls)
        with open_store(db) as store, model_client(model, base_url=base_url) as client:
            spec = RunSpec(kind="contest", model=client.settings.model,
                           flow=options.model_dump(exclude={"attempt"}), samples=samples,
                           source=" ".join(problems), version=version())
            resumed = store.create_or_resume(run, spec, problem_set)
            if ratings:
                store.set_ratings(run, problem_set)
            pending = len(store.pending(run))
            console.print(f"run {run}: {len(problem_set)} problems x {samples}; "
                          f"{'resumed, ' if resumed else ''}{pending} attempts to go")
            with open_sandbox(backend, size=max(1, parallel)) as box:
                final = _execute_with_progress(store, run, problem_set, client, box, options,
                                               parallel, console)
    console.print(f"this session: {final.done} attempts, {final.solved} accepted, "
                  f"{final.errors} errors, {final.calls} calls, {final.tokens} tokens")
    console.print(f"report: cpagent contest report {run}")


def _execute_with_progress(store, run, problem_set, client, box, options, parallel, console):
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[status]}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("solving", total=None, status="")

        def show(p: BatchProgress) -> None:
            spend = client.spend
            tokens = spend.prompt_tokens + spend.completion_tokens
            cost = f", ${spend.cost_usd:.2f}" if spend.cost_usd else ""
            bar.update(task, total=p.total, completed=p.done,
                       status=f"accepted {p.solved}, errors {p.errors}, {spend.calls} calls "
                              f"({spend.cached_calls} replayed), {tokens} tokens{cost}")

        return execute(store, run, problem_set, client, box, options, workers=parallel,
                       on_progress=show)


def _letters(index: str | None) -> set[str] | None:
    return {x.strip().upper() for x in index.split(",") if x.strip()} if index else None


@contest_app.command("list")
def list_command(db: Path | None = DB) -> None:
    """The runs in the store, with how far each got."""
    with user_errors(), open_store(db) as store:
        table = Table("run", "created", "model", "flow", "attempts", "done", "accepted")
        for name, created, spec in store.runs():
            attempts = store.attempts(name)
            done = [a for a in attempts if a.state == "done"]
            table.add_row(name, created, spec.model, str(spec.flow.get("flow")),
                          str(len(attempts)), str(len(done)),
                          str(sum(bool(a.result and a.result["solved"]) for a in done)))
        Console().print(table)


@contest_app.command("status")
def status_command(run: str = typer.Argument(...), db: Path | None = DB) -> None:
    """Every attempt of RUN: state, verdict, tests passed, calls, tokens, time."""
    with user_errors(), open_store(db) as store:
        store.spec(run)
        table = Table("problem", "k", "state", "verdict", "tests", "calls", "tokens", "seconds")
        for a in store.attempts(run):
            r = a.result or {}
            table.add_row(a.problem[:40], str(a.attempt), a.state,
                          r.get("verdict", a.error or "")[:40],
                          f"{r.get('passed', '')}/{r.get('tests', '')}" if r else "",
                          str(r.get("calls", "")), str(r.get("tokens", "")),
                          str(r.get("seconds", "")))
        Console().print(table)


class TimeModelName(StrEnum):
    elapsed = "elapsed"
    zero = "zero"


@contest_app.command("report")
def report_command(
    run: str = typer.Argument(..., help="a run name (see `cpagent contest list`)"),
    out: Path | None = typer.Option(None, "--out", "-o", help="folder for report.md, "
                                    "report.html, report.json and the figures "
                                    "(default: reports/RUN)"),
    ratings: Path | None = typer.Option(None, "--ratings", help="a CSV of problem ratings, "
                                        "for problems the run has none for"),
    time_model: TimeModelName = typer.Option(TimeModelName.elapsed, "--time-model",
                                             help="elapsed: the agent's own wall clock, "
                                                  "round by round; zero: time ignored"),
    skip_unrated: bool = typer.Option(False, "--skip-unrated", help="leave problems without "
                                      "a rating out of the estimate instead of failing"),
    db: Path | None = DB,
) -> None:
    """Write RUN's report: rating estimate with its interval and percentile, simulated
    rounds, solve rate by problem rating, spend and verdicts, as markdown and HTML."""
    from agent.report import build_report, write_report

    with user_errors(), open_store(db) as store:
        report = build_report(store, run, ratings=ratings, time_model=time_model.value,
                              skip_unrated=skip_unrated)
        files = write_report(report, out or Path("reports") / run)
    console = Console()
    if report.rating:
        e = report.rating.estimate
        console.print(f"rating estimate {e.rating:.0f} [{e.low:.0f}, {e.high:.0f}] "
                      f"({e.level:.0%}), percentile {report.rating.percentile:.1f}")
    console.print(f"report: {files['markdown']} and {files['html']}")
