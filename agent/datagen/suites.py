"""Generated test suites: inputs drawn from a problem's InputSpec, answers that every
accepted program of the run and every brute force agree on, written as a Kattis package.

- Spec: the problem's own, else the one the flow found and checked against the samples
  (from an accepted attempt first).
- Inputs: `size` of them, seeded by their index: 40% tiny, 10% (at least one from five
  on) at maximum size, the rest random. An input drawn twice counts once.
- Voters: each distinct accepted program, and each distinct brute force that passed the
  samples (brute forces skip maximum inputs, which they could only time out on).
- An input is kept when every accepted program finishes and the problem's checker accepts
  every voter's output against the first accepted program's, which becomes the answer. A
  brute force that does not finish abstains. Everything else is dropped and counted.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from cpagent.agent.datagen.records import (
    EXPORT_VERSION,
    Drops,
    SuiteManifest,
    SuiteSummary,
    SuiteTest,
    TrajectoryRecord,
    Voter,
    VoterKind,
)
from cpagent.agent.paths import safe_file_name
from cpagent.problems.errors import ProblemFormatError
from cpagent.problems.formats.kattis_writer import write_kattis
from cpagent.problems.model import Problem, TestCase
from cpagent.problems.spec import InputSpec, Mode, SpecError
from cpagent.sandbox.base import Sandbox
from cpagent.sandbox.checkers import run_checker
from cpagent.sandbox.model import Execution, Program, Verdict

__all__ = ["SuiteJob", "build_suite", "plan_suite", "stored_suite", "suite_dir", "summary",
           "write_suite"]

TINY_SHARE, MAX_SHARE = 0.4, 0.1
MANIFEST = "suite.json"


@dataclass(frozen=True)
class Ballot:
    voter: Voter
    program: Program


@dataclass(frozen=True)
class SuiteJob:
    """Everything a suite depends on; its fingerprint decides whether a stored one is reused."""

    problem: Problem
    spec: InputSpec
    spec_source: str
    ballots: tuple[Ballot, ...]
    size: int

    @property
    def fingerprint(self) -> str:
        data = {"problem": self.problem.model_dump(mode="json"),
                "spec": self.spec.model_dump(mode="json"), "size": self.size,
                "voters": [(b.voter.model_dump(), b.program.source) for b in self.ballots],
                "shares": [TINY_SHARE, MAX_SHARE], "version": EXPORT_VERSION}
        text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


def suite_dir(tests: Path, problem_id: str) -> Path:
    return tests / safe_file_name(problem_id)


def plan_suite(problem: Problem, records: list[TrajectoryRecord], size: int) -> SuiteJob | str:
    """What to build for `problem`, or why nothing can be."""
    if problem.interactive:
        return "interactive"
    if problem.call is not None:
        # Its suite would be arguments and returned values: the stdin suites do not say so.
        return "tests call a method"
    done = [r for r in records if r.state == "done" and r.code]
    accepted = [r for r in done if r.accepted]
    if not accepted:
        return "no accepted attempt"
    found = _spec(problem, accepted + [r for r in done if not r.accepted])
    if found is None:
        return "no input spec"
    try:
        spec = InputSpec.model_validate(found[0])
    except (SpecError, ValueError):
        return "input spec does not load"
    return SuiteJob(problem=problem, spec=spec, spec_source=found[1],
                    ballots=_ballots(accepted, done), size=size)


def _spec(problem: Problem, records: list[TrajectoryRecord]) -> tuple[dict, str] | None:
    if problem.input_spec is not None:
        return problem.input_spec, "problem"
    return next(((r.input_spec, f"attempt {r.attempt}") for r in records if r.input_spec),
                None)


def _ballots(accepted: list[TrajectoryRecord], done: list[TrajectoryRecord]
             ) -> tuple[Ballot, ...]:
    ballots = [_ballot("solution", r.attempt, r.code or "", r.lang) for r in accepted]
    ballots += [_ballot("brute_force", r.attempt, r.brute_force, "python") for r in done
                if r.brute_force]
    distinct: dict[tuple[str, str], Ballot] = {}
    for ballot in ballots:  # the same program votes once, where it first appears
        distinct.setdefault((ballot.program.source, ballot.program.lang), ballot)
    return tuple(distinct.values())


def _ballot(kind: VoterKind, attempt: int, source: str, lang: str) -> Ballot:
    digest = hashlib.sha256(source.encode()).hexdigest()
    program = Program.model_validate({"source": source, "lang": lang})
    return Ballot(Voter(kind=kind, attempt=attempt, lang=lang, sha256=digest), program)


def _modes(size: int) -> list[Mode]:
    tiny = round(size * TINY_SHARE)
    top = max(1, round(size * MAX_SHARE)) if size >= 5 else 0
    modes: list[Mode] = ["tiny"] * tiny + ["random"] * (size - tiny - top) + ["max"] * top
    return modes


def _inputs(job: SuiteJob, drops: Drops) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for seed, mode in enumerate(_modes(job.size)):
        try:
            text = job.spec.generate(mode, seed=seed)
        except (SpecError, ValueError):
            drops.generation_failed += 1
            continue
        if text in seen:
            drops.duplicate_input += 1
            continue
        seen.add(text)
        out.append((seed, mode, text))
    return out


def build_suite(job: SuiteJob, box: Sandbox) -> tuple[list[TestCase], SuiteManifest]:
    drops = Drops()
    inputs = _inputs(job, drops)
    runs = [_run(box, ballot, job.problem, inputs) for ballot in job.ballots]
    solutions = sum(b.voter.kind == "solution" for b in job.ballots)
    tests: list[TestCase] = []
    kept: list[SuiteTest] = []
    verdicts = _checks(box, job, inputs, runs)
    for i, (seed, mode, text) in enumerate(inputs):
        if any(r[i] is None or r[i].status != "ok" for r in runs[:solutions]):
            drops.solution_failed += 1
            continue
        agreed = verdicts[i]
        if any(v is not Verdict.AC for v in agreed.values()):
            drops.disagreement += 1
            continue
        name, answer = f"{seed:03d}-{mode}", runs[0][i]
        assert answer is not None  # solutions run on every input
        tests.append(TestCase(name=name, input=text, answer=answer.stdout, kind="generated"))
        kept.append(SuiteTest(name=name, mode=mode, seed=seed, solutions=solutions,
                              brute_forces=sum(1 for k in agreed if k >= solutions)))
    manifest = SuiteManifest(problem=job.problem.id, fingerprint=job.fingerprint,
                             spec_source=job.spec_source,
                             input_spec=job.spec.model_dump(mode="json"),
                             voters=[b.voter for b in job.ballots], generated=job.size,
                             dropped=drops, tests=kept)
    return tests, manifest


def _run(box: Sandbox, ballot: Ballot, problem: Problem,
         inputs: list[tuple[int, str, str]]) -> list[Execution | None]:
    """The ballot's runs, None where it does not run (brute forces on maximum inputs)."""
    wanted = [i for i, (_, mode, _) in enumerate(inputs)
              if ballot.voter.kind == "solution" or mode != "max"]
    done = box.run(ballot.program, [inputs[i][2] for i in wanted], problem.limits) \
        if wanted else []
    out: list[Execution | None] = [None] * len(inputs)
    for i, execution in zip(wanted, done, strict=True):
        out[i] = execution
    return out


def _checks(box: Sandbox, job: SuiteJob, inputs: list[tuple[int, str, str]],
            runs: list[list[Execution | None]]) -> list[dict[int, Verdict]]:
    """Per input, the checker's verdict on each other finished voter's output, taking the
    first accepted program's as the answer; one checker batch for the whole suite."""
    cases: list[tuple[str, str, str]] = []
    where: list[tuple[int, int]] = []
    for i, (_, _, text) in enumerate(inputs):
        first = runs[0][i]
        if first is None or first.status != "ok":
            continue
        for voter in range(1, len(runs)):
            mine = runs[voter][i]
            if mine is not None and mine.status == "ok":
                cases.append((text, mine.stdout, first.stdout))
                where.append((i, voter))
    found: list[dict[int, Verdict]] = [{} for _ in inputs]
    for (i, voter), result in zip(where, run_checker(box, job.problem.checker, cases),
                                  strict=True):
        found[i][voter] = result.verdict
    return found


def write_suite(job: SuiteJob, tests: list[TestCase], manifest: SuiteManifest,
                final: Path) -> None:
    """Write the package beside `final`, then swap it in: a kill leaves either the old
    suite or the new one, never half of one."""
    partial = final.with_name(f".partial-{final.name}")
    shutil.rmtree(partial, ignore_errors=True)
    samples = [t for t in job.problem.samples() if t.answer is not None]
    package = job.problem.model_copy(update={"tests": samples + tests})
    try:
        write_kattis(package, partial)
    except ProblemFormatError:  # a checker Kattis cannot hold: the tests alone still serve
        shutil.rmtree(partial, ignore_errors=True)
        _write_data(package, partial)
    (partial / MANIFEST).write_text(manifest.model_dump_json(indent=1) + "\n", encoding="utf-8")
    _swap(partial, final)


def _write_data(problem: Problem, root: Path) -> None:
    for test in problem.tests:
        group = "sample" if test.kind == "sample" else "secret"
        base = root / "data" / group / test.name.split("/")[-1]
        base.parent.mkdir(parents=True, exist_ok=True)
        base.with_name(base.name + ".in").write_bytes(test.input.encode())
        base.with_name(base.name + ".ans").write_bytes((test.answer or "").encode())


def _swap(partial: Path, final: Path) -> None:
    old = final.with_name(f".old-{final.name}")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    partial.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def stored_suite(job: SuiteJob, final: Path) -> SuiteManifest | None:
    """The suite already in `final`, if it was built from exactly this job and is whole."""
    try:
        manifest = SuiteManifest.model_validate_json((final / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    if manifest.fingerprint != job.fingerprint:
        return None
    files = [final / "data" / "secret" / f"{t.name}.{ext}" for t in manifest.tests
             for ext in ("in", "ans")]
    return manifest if all(f.is_file() for f in files) else None


def summary(problem: Problem, outcome: SuiteManifest | str) -> SuiteSummary:
    if isinstance(outcome, str):
        return SuiteSummary(problem=problem.id, status=outcome)
    return SuiteSummary(problem=problem.id, status="written", kept=len(outcome.tests),
                        voters=sum(v.kind == "solution" for v in outcome.voters),
                        brute_forces=sum(v.kind == "brute_force" for v in outcome.voters),
                        dropped=outcome.dropped)
