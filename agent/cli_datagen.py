"""`cpagent datagen`: many judged attempts per problem, exported as training data."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cpagent.agent.batch import RunStore
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
    version,
)
from cpagent.agent.cli_options import BASE_URL, MAX_SAMPLES, MODEL, flow_options, in_range
from cpagent.agent.datagen import ExportOptions, SourceTable, describe, export_run
from cpagent.agent.datagen.attempts import CallLookup
from cpagent.agent.datagen.export import SuiteProgress
from cpagent.agent.errors import user_errors
from cpagent.agent.flow import FlowChoice
from cpagent.agent.llm import CallLog, default_log_path
from cpagent.agent.paths import check_output_dir
from cpagent.sandbox import open_sandbox

datagen_app = typer.Typer(no_args_is_help=True, help="Training data: K judged attempts per "
                          "problem, exported as trajectories, SFT records, preference pairs "
                          "and generated test suites.")


@datagen_app.command("run")
@flow_options
def run_command(
    problems: list[str] = SOURCES,
    run: str = typer.Option(..., "--run", "-r", help="the run's name: rerunning with it "
                            "resumes where the last process stopped"),
    index: str | None = INDEX,
    since: datetime | None = SINCE,
    model: str | None = MODEL,
    base_url: str | None = BASE_URL,
    samples: int = typer.Option(4, "--samples", "-k",
                                help="independent attempts per problem (K)"),
    parallel: int = PARALLEL,
    ray: str | None = RAY,
    backend: str = BACKEND,
    db: Path | None = DB,
    *,
    choice: FlowChoice,
) -> None:
    """Attempt every problem K times, storing each judged attempt as it ends.

    The problems' sources and licenses are recorded with the run. Killed or interrupted,
    the same command resumes. Then: `cpagent datagen export RUN --out DIR`."""
    console = Console(stderr=True)
    with user_errors():
        in_range("--samples", samples, 1, MAX_SAMPLES)
        in_range("--parallel", parallel, 1, 64)
        problem_set = load_set(problems, index, console, since)
        settings = BatchSettings(
            model=model, base_url=base_url, samples=samples, parallel=parallel,
            backend=backend, db=db, options=choice, ray=ray)

        def keep_sources(store: RunStore) -> None:
            with SourceTable(store.path) as table:
                table.keep(run, [describe(p) for p in problem_set])

        final = run_batch("datagen", run, problem_set, problems, settings, console,
                          after_create=keep_sources)
    console.print(f"this session: {final.done} attempts, {final.solved} accepted, "
                  f"{final.errors} errors, {final.calls} calls, {final.tokens} tokens")
    console.print(f"export: cpagent datagen export {run} --out DIR")


def _day(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


@contextlib.contextmanager
def _call_log(path: Path | None) -> Iterator[CallLookup]:
    """The log's lookup; with no log at the default place, every call is simply missing."""
    where = path or default_log_path()
    if not where.exists():
        if path is not None:
            raise FileNotFoundError(f"no call log at {path}")
        yield lambda _id: None
        return
    with CallLog(where, read_only=True) as log:
        yield log.get


@datagen_app.command("export")
def export_command(
    run: str = typer.Argument(..., help="a run name (see `cpagent contest list`)"),
    out: Path = typer.Option(..., "--out", "-o", help="the folder to write (re-exporting "
                             "into it finishes or refreshes an earlier export)"),
    before: str | None = typer.Option(None, "--before", help="keep problems whose contest "
                                      "date is before DATE (YYYY-MM-DD); undated ones go"),
    after: str | None = typer.Option(None, "--after", help="keep problems whose contest date "
                                     "is DATE or later; undated ones go"),
    suite_size: int = typer.Option(20, "--suite-size", help="generated inputs per problem "
                                   "for its test suite, 0 (no suites) to 1000"),
    backend: str = BACKEND,
    db: Path | None = DB,
    log: Path | None = typer.Option(None, "--log", help="the model call log (default: "
                                    "logs.db beside the run store's default place)"),
) -> None:
    """Write RUN as training data in OUT, from the run store and call log alone.

    trajectories.jsonl, sft.jsonl (+ sft.meta.jsonl), preferences.jsonl, `tests/<problem>/`
    (Kattis packages of generated tests, checked in the sandbox), datasheet.json and
    DATASHEET.md. No model is called; the same command gives the same files, and finishes
    an export that was interrupted."""
    console = Console(stderr=True)
    with user_errors():
        in_range("--suite-size", suite_size, 0, 1000)
        check_output_dir(out)
        options = ExportOptions(before=_day("--before", before), after=_day("--after", after),
                                suite_size=suite_size, exporter_version=version())
        with open_store(db, read_only=True) as store, _call_log(log) as calls, \
                _bar(console) as show:
            sheet = export_run(store, run, out, options, calls=calls,
                               open_box=lambda: open_sandbox(backend), on_suite=show)
    written = sum(s.status == "written" for s in sheet.suites)
    console.print(f"{sheet.attempts} attempts ({sheet.accepted} accepted, {sheet.duplicates} "
                  f"duplicates), {sheet.sft_records} SFT records, {sheet.preference_pairs} "
                  f"preference pairs, {written} test suites")
    console.print(f"datasheet: {out / 'DATASHEET.md'}")


@contextlib.contextmanager
def _bar(console: Console) -> Iterator[SuiteProgress]:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[problem]}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("test suites", total=None, problem="")

        def show(done: int, total: int, problem: str) -> None:
            bar.update(task, total=total, completed=done, problem=problem)

        yield show
