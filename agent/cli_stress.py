"""`cpagent stress`, `gen`, `timing` and `template`: differential testing, test generation,
timing and input-reading code, all from the problem's input spec (for all but `template`,
from its method's arguments when its tests call one)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from cpagent.agent.cli_options import in_range
from cpagent.agent.errors import user_errors
from cpagent.agent.paths import check_output_dir, read_source
from cpagent.agent.render import trim
from cpagent.problems.load import load_problem
from cpagent.problems.model import Problem
from cpagent.problems.spec import InputSpec, Spec, SpecError, load_spec
from cpagent.problems.spec.bounds import bounded_spec, with_statement_bounds
from cpagent.problems.spec.call_args import infer_call_spec
from cpagent.problems.spec.call_bounds import argument_names, sized_call_spec
from cpagent.problems.spec.infer import infer_spec
from cpagent.problems.spec.naming import name_from_statement
from cpagent.problems.spec.reader import reader_code
from cpagent.sandbox import Program, open_sandbox
from cpagent.sandbox.judge import as_called
from cpagent.sandbox.stress import StressReport, stress


class StressMode(StrEnum):
    auto = "auto"
    tiny = "tiny"
    random = "random"


class Mode(StrEnum):
    tiny = "tiny"
    random = "random"
    max = "max"
    edge = "edge"


def stdin_problem(path: str) -> Problem:
    """The problem at `path`, if its tests feed a program's stdin: generated inputs and the
    programs that read them have no meaning for tests that call a method (`stress`, `gen`
    and `timing` take those, by `drawing_spec`)."""
    problem = load_problem(path)
    if problem.call is not None:
        raise SpecError(f"{problem.id}: its tests call Solution().{problem.call.method}, and "
                        "this command works with programs that read stdin")
    return problem


SPEC = typer.Option(None, "--spec", help="input spec (YAML/JSON); default: the problem's, "
                    "else one inferred from the samples")


def problem_spec(problem: Problem, spec_file: Path | None, sized: bool = False) -> InputSpec:
    """The spec from --spec or from the problem, else one inferred from the samples with a
    note on stderr; with `sized` (for the largest inputs) that one must also take its sizes
    from the statement's bounds. Checked against every sample: a spec that does not fit the
    samples would generate inputs of another problem."""
    if spec_file is not None:
        spec = load_spec(spec_file)
    elif problem.input_spec is not None:
        spec = InputSpec.model_validate(problem.input_spec)
    else:
        spec = _inferred_spec(problem, sized)
    for test in problem.examples():
        try:
            spec.validate(test.input)
        except SpecError as exc:
            raise SpecError(f"the spec does not match {test.name}: {exc}") from None
    return spec


def drawing_spec(problem: Problem, spec_file: Path | None, sized: bool = False
                 ) -> Spec:
    """What `stress`, `gen` and `timing` draw inputs from: `problem_spec`, or for a problem
    whose tests call a method, its arguments' spec inferred from the samples' JSON (with
    `sized`, sized by the statement's constraints)."""
    if problem.call is None:
        return problem_spec(problem, spec_file, sized)
    method = f"Solution().{problem.call.method}"
    if spec_file is not None:
        raise SpecError(f"{problem.id}: its tests call {method}, whose arguments are inferred "
                        "from the samples; --spec describes stdin")
    samples = [t.input for t in problem.examples()]
    spec = infer_call_spec(samples)
    if spec is None:
        raise SpecError(f"{problem.id}: no spec of {method}'s arguments fits the samples "
                        "(integers, booleans, strings without blanks, lists of them, "
                        "rectangular lists of lists)")
    sizes = ""
    if sized:
        names = argument_names(problem.call.starter, problem.call.method) or []
        bounded = sized_call_spec(spec, problem.statement, names, samples)
        if bounded is None:
            raise SpecError(f"{problem.id}: its tests call {method}, and its constraints do "
                            "not state the length of every list and string it takes")
        spec, sizes = bounded, "; sizes and values as the constraints bound them"
    typer.echo(f"note: the arguments ({spec.describe()}) are inferred from the samples{sizes}",
               err=True)
    return spec


def _inferred_spec(problem: Problem, sized: bool) -> InputSpec:
    """The layout read off the samples, named from the statement where it can be, with the
    statement's bounds where it states them (n = 1, negative values, "up to 10^5 digits"),
    and with `sized` fit to time on; a note says which, since where the statement is
    silent generated inputs keep to the samples' values."""
    samples = [t.input for t in problem.examples()]
    unnamed = infer_spec(samples)
    if unnamed is None:
        raise SpecError(f"{problem.id}: no input spec, and none fits the samples: "
                        "give one with --spec FILE")
    spec = name_from_statement(unnamed, problem.statement, samples)
    named = spec is not unnamed
    if sized:
        # The samples' own values are small: their "largest" input would time nothing.
        bounded = with_statement_bounds(spec, problem.statement, samples)
        if bounded is None:
            raise SpecError(f"{problem.id} has no input spec, and neither the samples nor "
                            "the statement say how large an input may be: give one with "
                            "--spec FILE")
    else:
        bounded = bounded_spec(spec, problem.statement, samples)
    spec = bounded or spec
    names = ("the names are the statement's where they could be matched"
             if named else "the names are not the statement's")
    sizes = ("; sizes and values as the statement bounds them" if bounded is not None
             else "; values as the samples show them")
    typer.echo(f"note: the layout is inferred from the samples; {names}{sizes}", err=True)
    return spec


def stress_command(
    solution: Path = typer.Argument(..., help="the candidate solution"),
    problem: str = typer.Argument(..., help="the problem (any format `judge` reads)"),
    reference: Path = typer.Option(..., "--reference", "-r", help="a trusted (brute-force) "
                                   "solution to compare against"),
    spec_file: Path | None = SPEC,
    budget: float = typer.Option(60.0, "--budget", help="seconds to search; a counterexample "
                                 "found gets up to 15 s more of shrinking"),
    mode: StressMode = typer.Option(StressMode.auto, "--mode", help="input sizes: auto mixes "
                                    "tiny and random ones when the reference is fast enough"),
    lang: str = typer.Option("python", "--lang", "-l", help="python or pypy"),
    backend: str = typer.Option("docker", "--sandbox", envvar="CPAGENT_SANDBOX"),
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON"),
) -> None:
    """Search for a minimal input on which SOLUTION disagrees with the reference.

    Exit code 0 when none is found within the budget, 1 with a counterexample, 2 on bad
    input (including a spec that does not fit the samples, or a reference that crashes)."""
    with user_errors():
        in_range("--budget", budget, 0.1, 86400)
        prob = load_problem(problem)
        spec = drawing_spec(prob, spec_file)
        candidate = Program(source=read_source(solution), lang=lang)
        ref = Program(source=read_source(reference, "reference"), lang=lang)
        with open_sandbox(backend) as box, _bar(not as_json, budget) as tick:
            report = stress(box, candidate, ref, prob, spec, budget_s=budget, mode=mode.value,
                            progress=tick)
        if report.status == "reference_failed":
            raise SpecError("the reference failed on a generated input: the reference or "
                            f"the spec is wrong (input: {report.reference_failure!r:.80})")
    if as_json:
        print(report.model_dump_json(indent=2))
    else:
        show_stress(Console(), report)
    raise typer.Exit(1 if report.found else 0)


class _bar:
    """A progress bar over the time budget, showing inputs tried."""

    def __init__(self, show: bool, budget: float) -> None:
        self.show, self.budget = show, budget

    def __enter__(self):
        if not self.show:
            return None
        self.progress = Progress(TextColumn("stress"), BarColumn(), TextColumn("{task.fields[n]}"
                                 " inputs, {task.fields[b]} batches"), TimeElapsedColumn(),
                                 console=Console(stderr=True), transient=True)
        self.progress.start()
        task = self.progress.add_task("stress", total=self.budget, n=0, b=0)
        import time

        start = time.monotonic()

        def tick(tried: int, batches: int) -> None:
            self.progress.update(task, completed=min(time.monotonic() - start, self.budget),
                                 n=tried, b=batches)

        return tick

    def __exit__(self, *exc: object) -> None:
        if self.show:
            self.progress.stop()


def show_stress(console: Console, report: StressReport) -> None:
    where = f"{report.tried} inputs in {report.batches} batches, {report.seconds:.1f}s"
    if not report.edges:
        console.print("note: the reference ran out of time or memory on an edge input (a "
                      "value at its bound); the search went on without edge inputs")
    case = report.counterexample
    if case is None:
        console.print(f"[green]no counterexample[/] ({where})")
        return
    console.print(f"[red bold]counterexample[/] ({case.verdict.value}, {where}): "
                  f"{case.message}", highlight=False)
    console.print("[bold]input:[/]", trim(case.input), sep="\n", highlight=False)
    console.print("[bold]reference:[/]", trim(case.reference_output), sep="\n", highlight=False)
    console.print("[bold]candidate:[/]", trim(case.candidate_output), sep="\n", highlight=False)
    if case.candidate_stderr.strip():
        console.print("[bold]stderr:[/]", trim(case.candidate_stderr, 8), sep="\n",
                      highlight=False)
    if report.first_found and report.first_found != case.input:
        console.print(f"shrunk from {len(report.first_found)} to {len(case.input)} characters")


# Inputs are generated in memory before they are written: a bound that keeps gen well below it.
MAX_GENERATED = 100_000


def gen_command(
    problem: str = typer.Argument(..., help="the problem (any format `judge` reads)"),
    mode: Mode = typer.Option(Mode.random, "--mode", help="tiny, random, max, or edge (the "
                              "statement's corners: n = 1, values at their bounds, all-equal "
                              "and sorted arrays)"),
    count: int = typer.Option(10, "-n", help="how many inputs"),
    reference: Path | None = typer.Option(None, "--reference", "-r", help="a solution whose "
                                          "outputs become the answers"),
    out: Path | None = typer.Option(None, "--out", help="folder for oj-style files; default: "
                                    "the Kattis package's data/secret/generated-MODE"),
    spec_file: Path | None = SPEC,
    seed: int = typer.Option(0, "--seed", help="generation seed"),
    backend: str = typer.Option("docker", "--sandbox", envvar="CPAGENT_SANDBOX"),
) -> None:
    """Write generated inputs (and the reference's answers) as test files."""
    with user_errors():
        in_range("-n", count, 1, MAX_GENERATED)
        if out is not None:
            check_output_dir(out)
        prob = load_problem(problem)
        spec = drawing_spec(prob, spec_file, sized=mode == Mode.max)
        inputs = [spec.generate(mode.value, seed=seed + i) for i in range(count)]
        answers = _answers(prob, reference, inputs, backend) if reference else None
        folder, names = _destination(problem, out, mode.value, count, reference is not None)
        folder.mkdir(parents=True, exist_ok=True)
        answer_suffix = ".ans" if out is None else ".out"
        for i, (name, text) in enumerate(zip(names, inputs, strict=True)):
            (folder / f"{name}.in").write_text(text)
            if answers is not None:
                (folder / f"{name}{answer_suffix}").write_text(answers[i])
    print(json.dumps({"folder": str(folder), "inputs": count, "answers": answers is not None}))


def template_command(
    problem: str = typer.Argument(..., help="the problem (any format `judge` reads)"),
    spec_file: Path | None = SPEC,
) -> None:
    """Print a Python program that reads PROBLEM's input into variables, to start a
    solution from."""
    with user_errors():
        spec = problem_spec(stdin_problem(problem), spec_file)
    typer.echo(reader_code(spec.input), nl=False)


def _answers(prob: Problem, reference: Path, inputs: list[str], backend: str) -> list[str]:
    program = as_called(Program(source=read_source(reference, "reference")), prob)
    with open_sandbox(backend) as box:
        runs = box.run(program, inputs, prob.limits)
    for i, run in enumerate(runs):
        if run.status != "ok":
            raise SpecError(f"the reference failed on generated input {i + 1}: {run.reason}")
    return [run.stdout for run in runs]


def _destination(problem: str, out: Path | None, mode: str, count: int, with_answers: bool):
    if out is None:
        package = Path(problem)
        if not (package / "problem.yaml").is_file():
            raise SpecError("--out is needed unless PROBLEM is a Kattis package")
        if not with_answers:  # a Kattis test without an answer makes the package unreadable
            raise SpecError("writing into a Kattis package needs --reference for the answers")
        folder = package / "data" / "secret" / f"generated-{mode}"
        return folder, [f"{i + 1:03d}" for i in range(count)]
    return out, [f"gen-{mode}-{i + 1}" for i in range(count)]


def timing_command(
    solution: Path = typer.Argument(..., help="the solution to time"),
    problem: str = typer.Argument(..., help="the problem (any format `judge` reads)"),
    spec_file: Path | None = typer.Option(None, "--spec", help="input spec (YAML/JSON); "
                                          "default: the problem's, else the samples' layout "
                                          "sized by the statement's bounds"),
    lang: str = typer.Option("python", "--lang", "-l", help="python or pypy"),
    backend: str = typer.Option("docker", "--sandbox", envvar="CPAGENT_SANDBOX"),
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON"),
) -> None:
    """Time SOLUTION on generated maximum inputs and smaller ones: how its time grows, and
    whether it fits the limit (with PyPy as the alternative when CPython does not).

    Exit code 0 when it fits, 1 when it is predicted to exceed the limit, 2 on bad input."""
    from cpagent.sandbox.timing import time_on_max

    with user_errors():
        prob = load_problem(problem)
        spec = drawing_spec(prob, spec_file, sized=True)
        with open_sandbox(backend) as box:
            report = time_on_max(box, Program(source=read_source(solution), lang=lang), prob,
                                 spec)
    if as_json:
        print(report.model_dump_json(indent=2))
    else:
        console = Console(highlight=False)
        for point in report.points:
            shape = "" if point.shape == "random" else f"  ({point.shape})"
            console.print(f"size {point.size:>9} chars  {point.cpu_s:7.3f}s  "
                          f"{point.status}{shape}")
        if report.drawn:
            console.print("the largest input drew: " +
                          "; ".join(value.describe() for value in report.drawn))
        growth = f", grows like n^{report.exponent:g}" if report.exponent else ""
        console.print(f"{report.lang}: {report.predicted_s:.2f}s predicted on the largest "
                      f"input (limit {report.limit_s:g}s{growth}): {report.outlook}")
        if report.suggestion:
            console.print(report.suggestion)
    fits = report.outlook != "tle" or (report.pypy is not None and report.pypy.outlook != "tle")
    raise typer.Exit(0 if fits else 1)
