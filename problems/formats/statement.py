"""A plain statement file (markdown or text): title, limits and samples taken from the text.

Samples are found under labels such as `## Examples` / `### Input 1` with fenced blocks,
Codeforces text (`Examples`, `Input`, `Output`, also `input`/`inputCopy` as copied from the
site) and `Sample Input 1` / `Sample Output 1`.  A bare `Input` label usually heads the
input *format* section, so it counts only after an examples heading or when a fenced block
follows it directly.

With an `interactor.py` beside the statement the problem is interactive (see
`read_statement`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cpagent.problems.formats._io import ensure_newline, read_text
from cpagent.problems.model import (
    FloatChecker,
    Limits,
    Problem,
    ProgramChecker,
    TestCase,
    TokenChecker,
)

__all__ = [
    "extract_samples",
    "extract_title",
    "guess_checker",
    "is_interactive",
    "parse_limits",
    "parse_statement",
    "read_statement",
]

_EXAMPLES = re.compile(r"(?:sample|example)s?(?: ?(?:tests?|cases?))?(?: ?#? ?\d+)?")
_LABEL = re.compile(
    r"(?P<prefix>(?:sample|example)s? ?)?(?P<io>input|output)(?: ?copy)?(?: ?#? ?\d+)?"
)
_SECTION_END = re.compile(
    r"notes?|explanations?.*|hints?|interaction|constraints|scoring|subtasks?|limits|"
    r"input format|output format|tutorial|solution|remarks?"
)
_FENCE = re.compile(r"^\s*(```|~~~)")
# A heading starts with a word: a grid row such as "#..#" or "# . #" in a sample is no heading.
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+[^\W\d_]")
_MAX_TITLE = 120


@dataclass
class _Line:
    """A label line: what it announces and whether it names a sample explicitly."""

    what: str  # "examples" | "input" | "output" | "end"
    explicit: bool = False


def _normalise(line: str) -> str:
    text = line.strip().lstrip("#").strip().strip("*_").strip().rstrip(":").strip().lower()
    return " ".join(text.split())


def _classify(line: str) -> _Line | None:
    text = _normalise(line)
    if not text:
        return None
    if match := _LABEL.fullmatch(text):
        return _Line(match["io"], explicit=match["prefix"] is not None)
    if _EXAMPLES.fullmatch(text):
        return _Line("examples")
    if _SECTION_END.fullmatch(text) or _HEADING.match(line):
        return _Line("end")
    return None


def _blocks(lines: list[str]) -> list[tuple[_Line, list[str]]]:
    """Split the text into labelled blocks; labels inside fenced code are content."""
    blocks: list[tuple[_Line, list[str]]] = []
    fenced = False
    for line in lines:
        label = None if fenced else _classify(line)
        if label is not None:
            blocks.append((label, []))
        elif blocks:
            blocks[-1][1].append(line)
        if _FENCE.match(line):
            fenced = not fenced
    return blocks


def _block_text(body: list[str]) -> tuple[str, bool]:
    """The sample text of a block and whether it came from a fenced code block."""
    starts = [i for i, line in enumerate(body) if _FENCE.match(line)]
    if len(starts) >= 2:
        return "\n".join(body[starts[0] + 1 : starts[1]]), True
    kept = [i for i, line in enumerate(body) if line.strip()]
    return ("\n".join(body[kept[0] : kept[-1] + 1]) if kept else ""), False


def extract_samples(text: str) -> list[TestCase]:
    """Pairs of (input, output) blocks, in order, as sample tests `sample/1`, `sample/2`, ..."""
    pairs: list[tuple[str, str]] = []
    in_examples = False
    pending: str | None = None
    for label, body in _blocks(text.splitlines()):
        if label.what in ("examples", "end"):
            in_examples = label.what == "examples"
            pending = None
            continue
        content, fenced = _block_text(body)
        if not (in_examples or label.explicit or fenced) or not (content.strip() or fenced):
            pending = None
            continue
        if label.what == "input":
            pending = content
        elif pending is not None:
            pairs.append((pending, content))
            pending = None
    return [
        TestCase(
            name=f"sample/{i}",
            input=ensure_newline(given),
            answer=ensure_newline(wanted),
            kind="sample",
        )
        for i, (given, wanted) in enumerate(pairs, 1)
    ]


def extract_title(text: str, default: str = "") -> str:
    """The first markdown heading, else the first non-empty line if it is short enough."""
    lines = [line.strip().lstrip("\ufeff") for line in text.splitlines()]
    for line in lines:
        if _HEADING.match(line):
            return line.lstrip("#").strip()
    first = next((line for line in lines if line), "")
    return first if 0 < len(first) <= _MAX_TITLE else default


_TIME = re.compile(
    r"time limit(?: per test)?\s*:?\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?)\b", re.I
)
_MEMORY = re.compile(
    r"memory limit(?: per test)?\s*:?\s*(\d+)\s*"
    r"(kb|kib|kilobytes?|mb|mib|megabytes?|gb|gib|gigabytes?)\b",
    re.I,
)


def parse_limits(text: str) -> Limits:
    """Limits stated in the text (`time limit per test: 1 second`), else 2 s and 256 MB."""
    stated: dict[str, float | int] = {}
    if match := _TIME.search(text):
        value = float(match[1])
        stated["time_s"] = value / 1000 if match[2].lower().startswith("m") else value
    if match := _MEMORY.search(text):
        scale = {"k": 1 / 1024, "m": 1, "g": 1024}[match[2][0].lower()]
        stated["memory_mb"] = int(int(match[1]) * scale)
    # A stated zero is a typo, not a limit: keep the default.
    return Limits(**{key: value for key, value in stated.items() if value > 0})


# "absolute or relative error does not exceed 10^{-6}", also "10 - 6" where a superscript
# was flattened, as in the CodeContests descriptions.
_TOLERANCE = re.compile(
    r"(?:absolute|relative)[^.]{0,60}?error[^.]{0,120}?10\s*(?:\^\s*\{?\s*)?[-\u2212]\s*(\d+)",
    re.I,
)


# "You can output the answer in any case", "in any register": YES, yes and yEs all count.
_ANY_CASE = re.compile(r"\bin any (?:case|register)\b|\bcase[- ]insensitive", re.I)


def guess_checker(text: str) -> TokenChecker | FloatChecker:
    """A float checker when the statement promises a tolerance, else exact tokens (of any
    letter case when the statement says so)."""
    if match := _TOLERANCE.search(text):
        tol = 10.0 ** -int(match[1])
        return FloatChecker(abs_tol=tol, rel_tol=tol)
    return TokenChecker(case_sensitive=not _ANY_CASE.search(text))


def is_interactive(text: str) -> bool:
    return any(_normalise(line) == "interaction" for line in text.splitlines())


def parse_statement(text: str, *, id: str, source: str = "") -> Problem:
    return Problem(
        id=id,
        title=extract_title(text, default=id),
        statement=text,
        limits=parse_limits(text),
        tests=extract_samples(text),
        checker=guess_checker(text),
        interactive=is_interactive(text),
        source=source,
    )


INTERACTOR_FILE = "interactor.py"
_INTERACTOR_TESTS = ("tests", "test")


def read_statement(path: str | Path) -> Problem:
    """A statement file; with an `interactor.py` beside it, an interactive problem whose
    interactor that is (Kattis protocol: `interactor input answer feedback_dir`, exit 42
    or 43) and whose tests are the `*.in` files beside the statement or in `tests/`: the
    interactor's inputs, with `*.ans` where given. The statement's examples of an
    interactive problem are exchanges, not tests, so they are not read as samples."""
    file = Path(path)
    problem = parse_statement(read_text(file), id=file.stem, source=str(path))
    interactor = file.parent / INTERACTOR_FILE
    if not interactor.is_file():
        return problem
    return problem.model_copy(update={
        "interactive": True,
        "checker": ProgramChecker(kind="kattis", source=read_text(interactor)),
        "tests": _interactor_tests(file.parent),
    })


def _interactor_tests(folder: Path) -> list[TestCase]:
    tests = []
    for where in (folder, *(folder / name for name in _INTERACTOR_TESTS)):
        for source in sorted(where.glob("*.in")) if where.is_dir() else []:
            answer = source.with_suffix(".ans")
            name = source.relative_to(folder).with_suffix("").as_posix()
            tests.append(TestCase(name=name, input=read_text(source), kind="secret",
                                  answer=read_text(answer) if answer.is_file() else None))
    return tests
