"""`cpagent contest`: batch runs over a problem set, stored as they go, and their reports."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from cpagent.agent.cli_batch import (
    BACKEND,
    DB,
    INDEX,
    PARALLEL,
    RAY,
    SINCE,
    SOURCES,
    BatchSettings,
    load_set,
    open_store,
    run_batch,
)
from cpagent.agent.cli_options import BASE_URL, MAX_SAMPLES, MODEL, flow_options, in_range
from cpagent.agent.errors import user_errors
from cpagent.agent.flow import FlowChoice
from cpagent.agent.paths import check_output_dir, check_run_name
from cpagent.problems.ratings import attach_ratings

contest_app = typer.Typer(no_args_is_help=True, help="Batch runs over problem sets with a "
                          "model and flow, an Elo estimate and a report.")


@contest_app.command("run")
@flow_options
def run_command(
    problems: list[str] = SOURCES,
    run: str = typer.Option(..., "--run", "-r", help="the run's name: rerunning with it "
                            "resumes where the last process stopped"),
    index: str | None = INDEX,
    since: datetime | None = SINCE,
    ratings: Path | None = typer.Option(None, "--ratings", help="a CSV of problem ratings "
                                        "(id or contest_id,index; and rating)"),
    model: str | None = MODEL,
    base_url: str | None = BASE_URL,
    samples: int = typer.Option(1, "--samples", "-k",
                                help="independent attempts per problem"),
    parallel: int = PARALLEL,
    ray: str | None = RAY,
    backend: str = BACKEND,
    db: Path | None = DB,
    *,
    choice: FlowChoice,
) -> None:
    """Solve every problem of a set, storing each attempt in SQLite as it ends.

    Killed or interrupted, the same command resumes: finished attempts are kept, the one
    that was running starts over, and its model calls replay from the call log."""
    console = Console(stderr=True)
    with user_errors():
        in_range("--samples", samples, 1, MAX_SAMPLES)
        in_range("--parallel", parallel, 1, 64)
        problem_set = load_set(problems, index, console, since)
        if ratings:
            problem_set = attach_ratings(problem_set, ratings)
        settings = BatchSettings(
            model=model, base_url=base_url, samples=samples, parallel=parallel,
            backend=backend, db=db, options=choice, ray=ray)
        keep_ratings = (lambda store: store.set_ratings(run, problem_set)) if ratings else None
        final = run_batch("contest", run, problem_set, problems, settings, console,
                          after_create=keep_ratings)
    console.print(f"this session: {final.done} attempts, {final.solved} accepted, "
                  f"{final.errors} errors, {final.calls} calls, {final.tokens} tokens")
    console.print(f"report: cpagent contest report {run}")


@contest_app.command("list")
def list_command(db: Path | None = DB) -> None:
    """The runs in the store, with how far each got."""
    with user_errors(), open_store(db, read_only=True) as store:
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
    with user_errors(), open_store(db, read_only=True) as store:
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


def _pair(text: str) -> tuple[Path, Path]:
    standings, sep, changes = text.partition(",")
    if not sep or not standings or not changes:
        raise ValueError(f"--real wants STANDINGS.json,RATINGCHANGES.json, got {text!r}")
    return Path(standings), Path(changes)


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
    real: list[str] = typer.Option([], "--real", help="STANDINGS.json,RATINGCHANGES.json of a "
                                   "Codeforces round the run has problems of (the API's "
                                   "contest.standings and contest.ratingChanges): place the "
                                   "agent among its real entrants; repeatable"),
    db: Path | None = DB,
) -> None:
    """Write RUN's report: rating estimate with its interval and percentile, simulated
    rounds, solve rate by problem rating, spend and verdicts, as markdown and HTML."""
    from cpagent.agent.report import build_report, write_report

    with user_errors():
        target = check_output_dir(out or Path("reports") / check_run_name(run))
        with open_store(db, read_only=True) as store:
            report = build_report(store, run, ratings=ratings, time_model=time_model.value,
                                  skip_unrated=skip_unrated, real=[_pair(x) for x in real])
        files = write_report(report, target)
    console = Console()
    if report.rating:
        e = report.rating.estimate
        console.print(f"rating estimate {e.rating:.0f} [{e.low:.0f}, {e.high:.0f}] "
                      f"({e.level:.0%}), percentile {report.rating.percentile:.1f}")
    console.print(f"report: {files['markdown']} and {files['html']}")
