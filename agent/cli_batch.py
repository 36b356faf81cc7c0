"""What `cpagent contest run` and `cpagent datagen run` share: the run store option, the
flow knobs, and a batch run with a progress bar. Both are the same machinery; only the
run's kind and what is done with it afterwards differ."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cpagent.agent.batch import BatchProgress, RunSpec, RunStore, default_store_path, execute
from cpagent.agent.flow import FlowChoice, FlowOptions, budget_warning
from cpagent.agent.llm import ModelClient
from cpagent.agent.runtime import model_clients
from cpagent.problems.model import Problem
from cpagent.problems.sets import load_problem_set
from cpagent.sandbox import open_sandbox
from cpagent.sandbox.base import Sandbox

DEFAULTS = FlowOptions.model_fields

__all__ = ["BACKEND", "DB", "INDEX", "PARALLEL", "RAY", "SINCE", "SOURCES", "BatchSettings",
           "letters", "load_set", "open_store", "run_batch", "version"]

DB = typer.Option(None, "--db", envvar="CPAGENT_RUNS_DB",
                  help="the run store (default: runs.db beside the model call log)")
PARALLEL = typer.Option(1, "--parallel", "-j",
                        help="problems in flight at once, 1 to 64: against a remote model, above "
                             "the cores (judging takes at most one sandbox slot per core; the "
                             "local model starts a server per problem, up to the cores)")
BACKEND = typer.Option("docker", "--sandbox", envvar="CPAGENT_SANDBOX")
RAY = typer.Option(None, "--ray", metavar="ADDRESS",
                   help="run the attempts on a Ray cluster: auto (join the one running), local "
                        "(start one here) or its address host:port; needs cpagent[ray]")
INDEX = typer.Option(None, "--index", help="Codeforces problem letters to keep, e.g. A,B")
SOURCES = typer.Argument(..., help="Kattis or Polygon packages or folders of them, CodeContests or "
                         "LiveCodeBench .jsonl files (or file.jsonl#id), statement files")


SINCE = typer.Option(None, "--since", formats=["%Y-%m-%d"], help="only problems whose "
                     "contest was on or after this date (YYYY-MM-DD), e.g. after a model's "
                     "training cutoff; problems without a date are left out")


def load_set(sources: list[str], index: str | None, console: Console,
             since: datetime | None = None) -> list[Problem]:
    """The problems of `sources` (of those dated `since` or later, saying how many)."""
    problems = load_problem_set(sources, letters(index))
    if since is not None:
        kept = [p for p in problems if p.contest_date and p.contest_date >= since.date()]
        undated = sum(p.contest_date is None for p in problems)
        if not kept:
            raise ValueError(f"no problem of the set is dated {since:%Y-%m-%d} or later "
                             f"({undated} of {len(problems)} have no date)")
        console.print(f"kept {len(kept)} of {len(problems)} problems dated {since:%Y-%m-%d} or "
                      f"later ({undated} without a date)")
        problems = kept
    return problems


def open_store(db: Path | None, *, read_only: bool = False) -> RunStore:
    """The run store; `read_only` for commands that only read: it must exist already."""
    return RunStore(db or default_store_path(), read_only=read_only)


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("cpagent")
    except PackageNotFoundError:
        return "unknown"


def letters(index: str | None) -> set[str] | None:
    return {x.strip().upper() for x in index.split(",") if x.strip()} if index else None


@dataclass(frozen=True)
class BatchSettings:
    """How a batch is run, as the command line gave it."""

    model: str | None
    base_url: str | None
    options: FlowChoice
    samples: int
    parallel: int
    backend: str
    db: Path | None
    ray: str | None = None  # a Ray cluster's address, "auto" or "local"; None: threads here


def run_batch(kind: Literal["contest", "datagen"], run: str, problem_set: list[Problem],
              sources: list[str], settings: BatchSettings, console: Console,
              after_create: Callable[[RunStore], None] | None = None) -> BatchProgress:
    """Create or resume run `run` and work through its pending attempts with a progress bar.
    `after_create` stores what a kind of run keeps beside its problems (ratings, licenses)."""
    try:
        # The cluster first: an address that does not answer stops the command before
        # anything is stored.
        with _cluster(settings.ray) as ray:
            return _run_batch(kind, run, problem_set, sources, settings, console,
                              after_create, ray)
    except KeyboardInterrupt:
        console.print(f"interrupted: the same command resumes run {run}")
        raise typer.Exit(130) from None


def _run_batch(kind: Literal["contest", "datagen"], run: str, problem_set: list[Problem],
               sources: list[str], settings: BatchSettings, console: Console,
               after_create: Callable[[RunStore], None] | None,
               ray: ModuleType | None) -> BatchProgress:
    with open_store(settings.db) as store, \
            model_clients(settings.model, base_url=settings.base_url,
                          effort=settings.options.effort,
                          count=max(1, settings.parallel)) as clients:
        options = settings.options.resolve(clients[0].settings.rules)
        warning = budget_warning(options, clients[0].settings.rules)
        if warning:
            console.print(warning)
        spec = RunSpec(kind=kind, model=clients[0].settings.model,
                       flow=options.model_dump(exclude={"attempt"}),
                       samples=settings.samples, source=" ".join(sources), version=version())
        # Known from the samples, so not part of the flow's settings in the spec.
        options = options.model_copy(update={"siblings": settings.samples})
        with store.owning(run):
            return _own_run(run, problem_set, spec, store, clients, settings, options,
                            console, after_create, ray)


def _own_run(run: str, problem_set: list[Problem], spec: RunSpec, store: RunStore,
             clients: list[ModelClient], settings: BatchSettings, options: FlowOptions,
             console: Console, after_create: Callable[[RunStore], None] | None,
             ray: ModuleType | None) -> BatchProgress:
    """The run, once this process owns it: create or resume it, then work through it."""
    resumed = store.create_or_resume(run, spec, problem_set)
    if after_create:
        after_create(store)
    pending = len(store.pending(run))
    console.print(f"run {run}: {len(problem_set)} problems x {settings.samples}; "
                  f"{'resumed, ' if resumed else ''}{pending} attempts to go")
    if ray is not None:
        return _execute_on_ray(ray, store, run, problem_set, clients, settings, options,
                               console)
    # Model calls wait on the network, judging on the cores: many problems may be in
    # flight, but no more programs run at once than there are cores.
    slots = max(1, min(settings.parallel, os.cpu_count() or 1))
    with open_sandbox(settings.backend, size=slots) as box:
        return _execute_with_progress(store, run, problem_set, clients, box, settings,
                                      options, console)


@contextlib.contextmanager
def _cluster(address: str | None) -> Iterator[ModuleType | None]:
    """Ray connected to the cluster at `address` for the block; None without `--ray`."""
    if address is None:
        yield None
        return
    from cpagent.agent.cluster import connect

    with connect(address) as ray:
        yield ray


def _execute_on_ray(ray: ModuleType, store: RunStore, run: str, problem_set: list[Problem],
                    clients: list[ModelClient], settings: BatchSettings, options: FlowOptions,
                    console: Console) -> BatchProgress:
    """The same run with its attempts as Ray tasks; the progress bar counts what the tasks
    report back, since their model clients live on the nodes."""
    from cpagent.agent.cluster import execute_on_ray

    distinct = list({id(c): c for c in clients}.values())
    log = distinct[0].log
    log_path = None if getattr(log, "path", ":memory:") == ":memory:" else log.path
    with _bar(console, _counted) as show:
        return execute_on_ray(ray, store, run, problem_set, [c.settings for c in distinct],
                              options, log_path=log_path, backend=settings.backend,
                              parallel=settings.parallel, on_progress=show)


@contextlib.contextmanager
def _bar(console: Console, status: Callable[[BatchProgress], str]
         ) -> Iterator[Callable[[BatchProgress], None]]:
    """A progress bar over the run's attempts, with `status` beside it."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[status]}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("solving", total=None, status="")

        def show(p: BatchProgress) -> None:
            bar.update(task, total=p.total, completed=p.done, status=status(p))

        yield show


def _counted(p: BatchProgress) -> str:
    """The status of a run whose model clients live on other nodes: what came back."""
    cut = f"{p.failed_calls} calls without an answer, " if p.failed_calls else ""
    return f"accepted {p.solved}, errors {p.errors}, {cut}{p.calls} calls, {p.tokens} tokens"


def _execute_with_progress(store: RunStore, run: str, problem_set: list[Problem],
                           clients: list[ModelClient], box: Sandbox, settings: BatchSettings,
                           options: FlowOptions, console: Console) -> BatchProgress:
    distinct = list({id(c): c for c in clients}.values())

    def status(p: BatchProgress) -> str:
        spends = [c.spend for c in distinct]
        tokens = sum(s.prompt_tokens + s.completion_tokens for s in spends)
        cost_usd = sum(s.cost_usd for s in spends)
        unpriced = sum(s.unpriced_calls for s in spends)
        cost = f", ${cost_usd:.2f}" if cost_usd else ""
        cost += f" ({unpriced} calls of no known price)" if unpriced else ""
        cut = f"{p.failed_calls} calls without an answer, " if p.failed_calls else ""
        return (f"accepted {p.solved}, errors {p.errors}, {cut}"
                f"{sum(s.calls for s in spends)} calls "
                f"({sum(s.cached_calls for s in spends)} replayed), {tokens} tokens{cost}")

    with _bar(console, status) as show:
        return execute(store, run, problem_set, clients, box, options,
                       workers=settings.parallel, on_progress=show)
