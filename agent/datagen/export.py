"""Export a stored run as training data, reading only the run store and the call log.

Files (see DATASHEET.md in the output for what each holds):

    trajectories.jsonl  every finished attempt              TrajectoryRecord
    sft.jsonl           accepted attempts, chat format      SftRecord
    sft.meta.jsonl      where each SFT line came from       SftSource
    preferences.jsonl   accepted vs rejected, one problem   PreferenceRecord
    tests/<problem>/    generated suite, Kattis package     suite.json: SuiteManifest
    datasheet.json      counts and provenance               Datasheet
    DATASHEET.md        the same, for people

Re-running an export gives the same bytes: records follow the store's order, nothing
depends on the clock, inputs are seeded, and each file is swapped in whole. So an export
that was killed is finished by running it again; suites already built from the same
inputs are kept rather than run again.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cpagent.agent.batch import AttemptRecord, RunSpec, RunStore
from cpagent.agent.datagen.attempts import CallLookup, trajectory_record
from cpagent.agent.datagen.datasheet import render_datasheet
from cpagent.agent.datagen.dedup import RULE, mark_duplicates
from cpagent.agent.datagen.files import clear_leftovers, write_atomic, write_jsonl
from cpagent.agent.datagen.records import (
    Datasheet,
    PreferenceRecord,
    ProblemRow,
    ProblemSource,
    SuiteManifest,
    SuiteSummary,
    TrajectoryRecord,
)
from cpagent.agent.datagen.sources import SourceTable, describe
from cpagent.agent.datagen.suites import (
    MANIFEST,
    build_suite,
    plan_suite,
    stored_suite,
    suite_dir,
    summary,
    write_suite,
)
from cpagent.agent.datagen.training import preference_pairs, sft_records
from cpagent.problems.model import Problem
from cpagent.sandbox.base import Sandbox

__all__ = ["ExportOptions", "SuiteProgress", "decontaminate", "export_run"]

# Called as each problem's suite is settled: (problems done, problems in all, problem id).
SuiteProgress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ExportOptions:
    before: date | None = None  # keep problems whose contest date is before this day
    after: date | None = None  # keep problems whose contest date is this day or later
    suite_size: int = 20  # generated inputs per problem; 0: no suites
    exporter_version: str = ""


def decontaminate(problems: list[Problem], before: date | None, after: date | None
                  ) -> tuple[list[Problem], list[str], list[str]]:
    """(kept, left out by their date, left out for want of one). Without a bound, all stay."""
    if before is None and after is None:
        return problems, [], []
    kept: list[Problem] = []
    outside: list[str] = []
    undated: list[str] = []
    for problem in problems:
        day = problem.contest_date
        if day is None:
            undated.append(problem.id)
        elif (before is None or day < before) and (after is None or day >= after):
            kept.append(problem)
        else:
            outside.append(problem.id)
    return kept, outside, undated


class _LazyBox:
    """The sandbox, opened only if some suite has to be built: a re-export that finds every
    suite in place needs no Docker."""

    def __init__(self, opener: Callable[[], Sandbox]) -> None:
        self._opener = opener
        self._box: Sandbox | None = None

    def get(self) -> Sandbox:
        if self._box is None:
            self._box = self._opener()
        return self._box

    def close(self) -> None:
        if self._box is not None:
            self._box.close()


def export_run(store: RunStore, run: str, out: Path, options: ExportOptions, *,
               calls: CallLookup, open_box: Callable[[], Sandbox],
               on_suite: SuiteProgress | None = None) -> Datasheet:
    """Write run `run`'s training data into `out` (SFT and preference records, trajectories,
    test suites, a datasheet) from the run store and the call log alone.

        with RunStore(default_store_path()) as store, CallLog(default_log_path()) as log:
            export_run(store, "cc-a-k4", Path("out"), ExportOptions(), calls=log.get,
                       open_box=lambda: open_sandbox("docker"))
    """
    spec = store.spec(run)  # an unknown run fails here, before anything is written
    problems = store.problems(run)
    kept, by_date, undated = decontaminate(problems, options.before, options.after)
    by_id = {p.id: p for p in kept}
    attempts = [a for a in store.attempts(run) if a.problem in by_id]
    records = mark_duplicates([trajectory_record(run, spec, by_id[a.problem], a, calls)
                               for a in attempts if a.state in ("done", "error")])
    sheet = _started(store, run, spec, options, len(problems), kept).model_copy(
        update={"excluded_by_date": by_date, "excluded_undated": undated})
    out.mkdir(parents=True, exist_ok=True)
    clear_leftovers(out)
    write_atomic(out / "datasheet.json", sheet.model_dump_json(indent=1) + "\n")
    sft, pairs = _write_records(out, records, by_id)
    suites = _write_suites(out, kept, records, options.suite_size, open_box, on_suite)
    sheet = sheet.model_copy(update={
        "status": "complete", "suites": suites, **_counts(records, attempts),
        "sft_records": sft, "preference_pairs": len(pairs),
        "problems": _rows(kept, records, pairs)})
    write_atomic(out / "DATASHEET.md", render_datasheet(sheet))
    write_atomic(out / "datasheet.json", sheet.model_dump_json(indent=1) + "\n")
    return sheet


def _started(store: RunStore, run: str, spec: RunSpec, options: ExportOptions,
             in_run: int, kept: list[Problem]) -> Datasheet:
    """The datasheet's head: what is known before anything is written."""
    created = next(c for name, c, _ in store.runs() if name == run)
    return Datasheet(
        status="started", run=run, kind=spec.kind, model=spec.model, settings=spec.flow,
        samples=spec.samples, cpagent_version=spec.version,
        exporter_version=options.exporter_version, source=spec.source, run_created=created,
        before=options.before.isoformat() if options.before else None,
        after=options.after.isoformat() if options.after else None,
        problems_in_run=in_run, problems_exported=len(kept), suite_size=options.suite_size,
        dedup_rule=RULE, sources=_sources(store, run, kept))


def _sources(store: RunStore, run: str, problems: list[Problem]) -> list[ProblemSource]:
    with SourceTable(store.path) as table:
        recorded = table.of(run)
    return [recorded.get(p.id) or describe(p, read_files=False) for p in problems]


def _write_records(out: Path, records: list[TrajectoryRecord], problems: dict[str, Problem]
                   ) -> tuple[int, list[PreferenceRecord]]:
    write_jsonl(out / "trajectories.jsonl", records)
    sft = sft_records(records, problems)
    count = write_jsonl(out / "sft.jsonl", [record for record, _ in sft])
    write_jsonl(out / "sft.meta.jsonl", [source for _, source in sft])
    pairs = preference_pairs(records, problems)
    write_jsonl(out / "preferences.jsonl", pairs)
    return count, pairs


def _write_suites(out: Path, problems: list[Problem], records: list[TrajectoryRecord],
                  size: int, open_box: Callable[[], Sandbox],
                  on_suite: SuiteProgress | None) -> list[SuiteSummary]:
    tests = out / "tests"
    box = _LazyBox(open_box)
    summaries: list[SuiteSummary] = []
    try:
        for n, problem in enumerate(problems, 1):
            mine = [r for r in records if r.problem == problem.id]
            outcome = _suite(tests, problem, mine, size, box) if size else "not asked for"
            summaries.append(summary(problem, outcome))
            if on_suite:
                on_suite(n, len(problems), problem.id)
    finally:
        box.close()
    _remove_stale(tests, {s.problem for s in summaries if s.status == "written"}, problems)
    return summaries


def _suite(tests: Path, problem: Problem, records: list[TrajectoryRecord], size: int,
           box: _LazyBox) -> SuiteManifest | str:
    job = plan_suite(problem, records, size)
    if isinstance(job, str):
        return job
    final = suite_dir(tests, problem.id)
    manifest = stored_suite(job, final)
    if manifest is None:
        tests.mkdir(parents=True, exist_ok=True)
        cases, manifest = build_suite(job, box.get())
        write_suite(job, cases, manifest, final)
    return manifest


def _remove_stale(tests: Path, written: set[str], problems: list[Problem]) -> None:
    """Suites of an earlier export that this one has none for (another date filter, a
    problem now without an accepted attempt): ours only, known by their manifest."""
    if not tests.is_dir():
        return
    keep = {suite_dir(tests, p.id) for p in problems if p.id in written}
    for folder in sorted(tests.iterdir()):
        if folder.is_dir() and folder not in keep and (folder / MANIFEST).is_file():
            shutil.rmtree(folder)


def _counts(records: list[TrajectoryRecord], attempts: list[AttemptRecord]) -> dict:
    return {
        "attempts": len(records),
        "attempts_unfinished": sum(a.state in ("pending", "running") for a in attempts),
        "attempts_error": sum(r.state == "error" for r in records),
        "accepted": sum(r.accepted for r in records),
        "problems_solved": len({r.problem for r in records if r.accepted}),
        "verdicts": dict(sorted(Counter(r.verdict for r in records).items())),
        "duplicates": sum(r.duplicate_of is not None for r in records),
        "missing_calls": sum(len(r.missing_calls) for r in records),
        "tokens": sum(r.tokens for r in records),
        "model_calls": sum(r.n_calls for r in records),
    }


def _rows(problems: list[Problem], records: list[TrajectoryRecord],
          pairs: list[PreferenceRecord]) -> list[ProblemRow]:
    rows = []
    for problem in problems:
        mine = [r for r in records if r.problem == problem.id]
        rows.append(ProblemRow(
            problem=problem.id, attempts=len(mine), accepted=sum(r.accepted for r in mine),
            duplicates=sum(r.duplicate_of is not None for r in mine),
            preference_pairs=sum(p.problem == problem.id for p in pairs)))
    return rows
