"""One-off experiment (session 11): does a solution prompt that hands the model code which
reads the input (written from the problem's InputSpec by `problems.spec.reader`) give more
programs that pass the samples, and fewer that crash?

    python benchmarks/experiments/reader_scaffold.py codecontests|library N [named]

For each problem (the A and B problems of ../shared/data/codecontests/dev.jsonl, whose specs
are inferred from the samples, or the easy library, whose specs come with the problems)
writes N programs with each prompt, `base` (the flow's solution prompt) and `reader` (the
same, with the reader code in place of the advice on reading input): the first greedy,
the rest at temperature 0.7.  Each reader is first run on the samples in the sandbox and
must read every token of them, or the problem is left out.  Programs are judged on the
samples (and, when they pass them, on all tests); crashes are counted by exception.

Session 12 added `named`: only the CodeContests problems whose inferred spec takes names
from the statement's Input section (`problems.spec.naming`), with a third prompt, `named`,
whose reader uses those names; `base` and `reader` replay from the call log."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.experiments.common import in_parallel, say  # noqa: E402
from cpagent.agent.flow.code import extract_code  # noqa: E402
from cpagent.agent.flow.prompts import messages  # noqa: E402
from cpagent.agent.llm import ChatMessage  # noqa: E402
from cpagent.agent.runtime import model_clients  # noqa: E402
from cpagent.problems.load import load_problem  # noqa: E402
from cpagent.problems.sets import load_problem_set  # noqa: E402
from cpagent.problems.spec import InputSpec  # noqa: E402
from cpagent.problems.spec.infer import infer_spec  # noqa: E402
from cpagent.problems.spec.naming import name_from_statement  # noqa: E402
from cpagent.problems.spec.reader import reader_code  # noqa: E402
from cpagent.sandbox import judge, open_sandbox  # noqa: E402
from cpagent.sandbox.model import Program  # noqa: E402

ADVICE = ("Read the input line by line, exactly as the statement lays it out (for example "
          "`n, k = map(int, input().split())`), ")
EASY = ["temperature-swing", "long-number-remainder", "shelf-pairs", "lamp-toggles",
        "vowel-run", "ticket-bundles", "balanced-teams", "mirror-words", "stair-climb"]
TALLY: Counter[str] = Counter()


def problems(which: str) -> list[tuple[object, object, bool]]:
    """(problem, spec, names are the statement's)."""
    if which == "library":
        out = []
        for name in EASY:
            problem = load_problem(ROOT / "problems" / "library" / name)
            out.append((problem, InputSpec.model_validate(problem.input_spec), True))
        return out
    source = ROOT.parent / "shared" / "data" / "codecontests" / "dev.jsonl"
    return [(p, infer_spec([t.input for t in p.samples()]), False)
            for p in load_problem_set([source], {"A", "B"})]


def reader_reads_samples(box, code: str, problem) -> bool:
    check = code + "print('left over' if next(tokens, None) is not None else 'all read')\n"
    for test in problem.samples():
        [run] = box.run(Program(source=check), [test.input], problem.limits)
        if run.stdout.strip() != "all read":
            return False
    return True


def named_problems() -> list[tuple[object, object, object]]:
    """(problem, spec, spec with the statement's names) where the names changed."""
    out = []
    for problem, spec, _ in problems("codecontests"):
        samples = [t.input for t in problem.samples()]
        named = name_from_statement(spec, problem.statement, samples) if spec else None
        if named is not None and named is not spec:
            out.append((problem, spec, named))
    return out


def prompt(problem, reader: str | None, own_names: bool,
           names: str | None = None) -> list[ChatMessage]:
    values = {"statement": problem.statement, "time_limit": f"{problem.limits.time_s:g}",
              "memory_limit": problem.limits.memory_mb, "plan": ""}
    chat = messages("solution", **values)
    if reader is not None:
        if names is None:
            names = "" if own_names else " (its variable names are ours, not the statement's)"
        text = chat[-1].content.replace(ADVICE, (
            f"This code reads the input{names}; it fits the examples:\n\n```python\n{reader}"
            "```\n\nBuild your program on it: keep these lines, write the solution where the "
            "comment says, "))
        assert text != chat[-1].content, "the solution prompt's advice on input changed"
        chat[-1] = ChatMessage(role="user", content=text)
    return chat


def outcome(box, code: str | None, problem) -> str:
    if not code:
        return "no code"
    samples = judge(box, Program(source=code), problem, tests=problem.samples())
    if samples.verdict.value == "RE":
        failure = samples.first_failure()
        lines = failure.stderr.strip().splitlines() if failure else []
        return f"samples RE {lines[-1].split(':')[0] if lines else '?'}"
    text = f"samples {samples.verdict.value}"
    if samples.accepted:
        whole = judge(box, Program(source=code), problem)
        text += f", all {whole.passed}/{whole.total} {whole.verdict.value}"
    return text


def run(client, box, work: list, n: int) -> None:
    for problem, spec, own_names in work:
        reader = reader_code(spec.input) if spec is not None else None
        if reader is None or not reader_reads_samples(box, reader, problem):
            say(f"skip {problem.id}: {'no spec' if reader is None else 'reader misreads'}")
            continue
        for variant in ("base", "reader"):
            for k in range(n):
                reply = client.complete(
                    prompt(problem, reader if variant == "reader" else None, own_names),
                    step=f"exp-reader-{variant}", max_tokens=1536,
                    temperature=0.0 if k == 0 else 0.7, sample=9100 + k)
                result = outcome(box, extract_code(reply.text), problem)
                tally(variant, result)
                say(f"{variant} {problem.id} {k} {result} "
                    f"({reply.usage.completion_tokens} tok)")


def run_named(client, box, work: list, n: int) -> None:
    """base, reader (both replayed) and named, on the problems whose names changed."""
    for problem, spec, named in work:
        readers = {"reader": reader_code(spec.input), "named": reader_code(named.input)}
        if not all(reader_reads_samples(box, r, problem) for r in readers.values()):
            say(f"skip {problem.id}: a reader misreads")
            continue
        for variant in ("base", "reader", "named"):
            reader = readers.get(variant)
            digits = variant == "named" and re.search(r"\b[a-z]+\d+\b", reader)
            note = " (names with a digit are ours, not the statement's)" if digits else ""
            for k in range(n):
                chat = prompt(problem, reader, False, note if variant == "named" else None)
                reply = client.complete(chat, step=f"exp-reader-{variant}", max_tokens=1536,
                                        temperature=0.0 if k == 0 else 0.7, sample=9100 + k)
                tally(variant, outcome(box, extract_code(reply.text), problem))
                say(f"{variant} {problem.id} {k} ({reply.usage.completion_tokens} tok"
                    f"{', replayed' if reply.cached else ''})")


def tally(variant: str, result: str) -> None:
    TALLY[f"{variant} programs"] += 1
    kind = result if result == "no code" else result.split(",")[0].split()[1]
    TALLY[f"{variant} {kind}"] += 1
    if result.startswith("samples RE"):
        TALLY[f"{variant} {result}"] += 1
    TALLY[f"{variant} solved"] += result.endswith(" AC") and "all" in result


def main() -> None:
    which, n = sys.argv[1], int(sys.argv[2])
    named = sys.argv[3:] == ["named"]
    work = named_problems() if named else problems(which)
    say(f"{len(work)} problems")
    job = run_named if named else run
    with model_clients("local", count=2) as clients, open_sandbox("docker", size=2) as box:
        in_parallel(*[lambda i=i: job(clients[i], box, work[i::2], n) for i in range(2)])
    for key in sorted(TALLY):
        say(f"{key:40} {TALLY[key]}")


if __name__ == "__main__":
    main()
