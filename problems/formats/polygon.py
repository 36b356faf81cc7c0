"""Polygon packages (the folder Codeforces' Polygon exports): `problem.xml` beside `tests/`,
`statement-sections/` and `statements/`.

- Limits, tests and the checker come from `problem.xml`. Test files follow the testset's
  path patterns (`tests/%02d` with `tests/%02d.a`); a test flagged `sample="true"` is a
  sample.
- A standard package holds only the hand-written tests: generated ones appear after
  Polygon's `doall`, or in a full package. A generated test whose input is absent is
  skipped; a manual test without its files, or any test without an answer, is an error.
- Testlib's standard checkers (`std::ncmp.cpp`, `std::rcmp6.cpp`, ...) map to our checkers
  with their documented tolerances. A problem's own checker is C++, which our sandbox does
  not compile, so such a package is refused with one line, as are interactive problems and
  problems that read a named file instead of stdin.
- The statement is put together from `statement-sections/<language>/` (legend, input,
  output, notes: LaTeX that a model reads as it is), or else is `statements/<language>/
  problem.tex`; English is preferred.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

from pydantic import BaseModel, Field

from cpagent.problems.errors import MissingAnswer, ProblemFormatError
from cpagent.problems.formats._io import read_text
from cpagent.problems.model import Checker, FloatChecker, Limits, Problem, TestCase, TokenChecker

__all__ = ["PolygonTest", "PolygonDescriptor", "read_descriptor", "read_polygon"]

# Testlib's standard checkers and what each accepts: acmp and rcmp allow an absolute error
# only, rcmp4/6/9 and dcmp an absolute or relative one.
_STANDARD_CHECKERS: dict[str, Checker] = {
    "ncmp": TokenChecker(),  # sequences of integers
    "wcmp": TokenChecker(),  # sequences of tokens
    "hcmp": TokenChecker(),  # huge integers
    "lcmp": TokenChecker(),  # lines of tokens; we accept any whitespace between them
    "fcmp": TokenChecker(),  # whole lines
    "yesno": TokenChecker(case_sensitive=False),
    "nyesno": TokenChecker(case_sensitive=False),
    "caseicmp": TokenChecker(),
    "casencmp": TokenChecker(),
    "casewcmp": TokenChecker(),
    "rcmp": FloatChecker(abs_tol=1.5e-6, rel_tol=0.0),
    "rcmp4": FloatChecker(abs_tol=1e-4, rel_tol=1e-4),
    "rcmp6": FloatChecker(abs_tol=1e-6, rel_tol=1e-6),
    "rcmp9": FloatChecker(abs_tol=1e-9, rel_tol=1e-9),
    "dcmp": FloatChecker(abs_tol=1e-6, rel_tol=1e-6),
    "acmp": FloatChecker(abs_tol=1e-6, rel_tol=0.0),
}
_SECTIONS = (("legend", ""), ("input", "Input"), ("output", "Output"), ("notes", "Note"))


class PolygonTest(BaseModel):
    method: str = "manual"
    sample: bool = False


class PolygonDescriptor(BaseModel):
    """What cpagent takes from problem.xml."""

    short_name: str = ""
    names: dict[str, str] = Field(default_factory=dict, description="language -> title")
    time_s: float = Field(2.0, gt=0)
    memory_mb: int = Field(256, gt=0)
    input_pattern: str = "tests/%02d"
    answer_pattern: str = "tests/%02d.a"
    tests: list[PolygonTest] = Field(default_factory=list)
    checker: str = Field("", description="the checker's name, e.g. std::ncmp.cpp; '' if own")
    interactive: bool = False
    input_file: str = ""
    output_file: str = ""
    tags: list[str] = Field(default_factory=list)


def read_descriptor(text: str, where: str = "problem.xml") -> PolygonDescriptor:
    """problem.xml's limits, tests, checker and names; a one-line error if it is not one."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ProblemFormatError(f"{where}: not well-formed XML ({exc})") from None
    if root.tag != "problem":
        raise ProblemFormatError(f"{where}: the root element is <{root.tag}>, not <problem>")
    judging = root.find("judging")
    testset = None
    if judging is not None:
        named = judging.find("testset[@name='tests']")
        testset = named if named is not None else judging.find("testset")
    if judging is None or testset is None:
        raise ProblemFormatError(f"{where}: no <judging><testset> with the tests")
    checker = root.find("assets/checker")
    return PolygonDescriptor(
        short_name=root.get("short-name", ""),
        names={n.get("language", ""): n.get("value", "") for n in root.iterfind("names/name")},
        time_s=_number(testset, "time-limit", 2000, where) / 1000,
        memory_mb=math.ceil(_number(testset, "memory-limit", 256 << 20, where) / (1 << 20)),
        input_pattern=testset.findtext("input-path-pattern", "tests/%02d").strip(),
        answer_pattern=testset.findtext("answer-path-pattern", "tests/%02d.a").strip(),
        tests=[PolygonTest(method=t.get("method", "manual"), sample=t.get("sample") == "true")
               for t in testset.iterfind("tests/test")],
        checker="" if checker is None else checker.get("name", ""),
        interactive=root.find("assets/interactor") is not None,
        input_file=judging.get("input-file", ""),
        output_file=judging.get("output-file", ""),
        tags=[t.get("value", "") for t in root.iterfind("tags/tag")],
    )


def _number(element: ET.Element, tag: str, default: int, where: str) -> int:
    text = element.findtext(tag)
    if text is None:
        return default
    try:
        value = int(text.strip())
    except ValueError:
        raise ProblemFormatError(f"{where}: <{tag}> is {text.strip()!r}, not a number") from None
    if value <= 0:
        raise ProblemFormatError(f"{where}: <{tag}> must be positive, not {value}")
    return value


def _checker(descriptor: PolygonDescriptor, where: str) -> Checker:
    name = descriptor.checker
    if name.startswith("std::"):
        standard = _STANDARD_CHECKERS.get(name.removeprefix("std::").removesuffix(".cpp"))
        if standard is not None:
            return standard
        raise ProblemFormatError(f"{where}: testlib checker {name} has no counterpart here")
    raise ProblemFormatError(
        f"{where}: the problem's own checker is C++, which the sandbox cannot run")


def _test_file(root: Path, pattern: str, index: int, where: str) -> Path:
    try:
        return root / (pattern % index)
    except (TypeError, ValueError):
        raise ProblemFormatError(f"{where}: bad path pattern {pattern!r}") from None


def _tests(root: Path, descriptor: PolygonDescriptor, where: str) -> list[TestCase]:
    tests = []
    for index, test in enumerate(descriptor.tests, start=1):
        source = _test_file(root, descriptor.input_pattern, index, where)
        if not source.is_file():
            if test.method == "generated":
                continue  # made by Polygon's doall, not shipped in a standard package
            raise ProblemFormatError(f"{source}: test {index} is missing")
        answer = _test_file(root, descriptor.answer_pattern, index, where)
        if not answer.is_file():
            raise MissingAnswer(f"{source}: no answer file {answer.name} (a full package "
                                "has them)")
        tests.append(TestCase(name=f"{index:02d}", input=read_text(source),
                              answer=read_text(answer),
                              kind="sample" if test.sample else "secret"))
    if not tests:
        raise ProblemFormatError(f"{where}: none of its {len(descriptor.tests)} tests is in "
                                 "the package (generated ones need Polygon's doall)")
    # Samples first: the flow and the judge run them before the rest.
    return sorted(tests, key=lambda t: t.kind != "sample")


def _section_examples(root: Path) -> list[TestCase]:
    """The examples statement-sections keeps as `example.01` with `example.01.a`: the
    samples of a package whose tests carry no sample flag."""
    folder = _sections_folder(root)
    if folder is None:
        return []
    return [TestCase(name=f"example-{source.name.removeprefix('example.')}",
                     input=read_text(source), answer=read_text(answer), kind="sample")
            for source in sorted(folder.glob("example.[0-9]*"))
            if not source.name.endswith(".a")
            and (answer := source.with_name(source.name + ".a")).is_file()]


def _sections_folder(root: Path) -> Path | None:
    sections = root / "statement-sections"
    language = _language([p.name for p in sections.iterdir() if p.is_dir()]
                         if sections.is_dir() else [])
    return None if language is None else sections / language


def _language(options: list[str]) -> str | None:
    return "english" if "english" in options else (sorted(options)[0] if options else None)


def _statement(root: Path, title: str, samples: list[TestCase]) -> str:
    folder = _sections_folder(root)
    if folder is not None:
        def section(name: str, heading: str) -> str:
            file = folder / f"{name}.tex"
            text = read_text(file).strip() if file.is_file() else ""
            return f"## {heading}\n\n{text}" if text and heading else text

        # Examples go before the notes, which explain them.
        parts = [f"# {title}", *(section(*s) for s in _SECTIONS[:3]), _examples(samples),
                 section(*_SECTIONS[3])]
        return "\n\n".join(p for p in parts if p) + "\n"
    # A whole problem.tex (olymp.sty) carries its examples itself.
    statements = root / "statements"
    language = _language([p.name for p in statements.iterdir()
                          if (p / "problem.tex").is_file()] if statements.is_dir() else [])
    return read_text(statements / language / "problem.tex") if language else ""


def _examples(samples: list[TestCase]) -> str:
    """The samples as the statement's Examples: the sections leave them to the tests."""
    if not samples:
        return ""
    blocks = [f"### Input {k}\n\n```\n{t.input.rstrip()}\n```\n\n"
              f"### Output {k}\n\n```\n{(t.answer or '').rstrip()}\n```"
              for k, t in enumerate(samples, start=1)]
    return "## Examples\n\n" + "\n\n".join(blocks)


def read_polygon(path: str | Path) -> Problem:
    """The Polygon package in folder `path` (or its problem.xml)."""
    root = Path(path)
    root = root.parent if root.name == "problem.xml" else root
    file = root / "problem.xml"
    if not file.is_file():
        raise ProblemFormatError(f"{root}: no problem.xml, so not a Polygon package")
    where = str(file)
    descriptor = read_descriptor(read_text(file), where)
    if descriptor.interactive:
        raise ProblemFormatError(f"{where}: interactive problems (an interactor) are not "
                                 "supported")
    if descriptor.input_file or descriptor.output_file:
        raise ProblemFormatError(f"{where}: reads or writes a named file "
                                 f"({descriptor.input_file or descriptor.output_file}) "
                                 "instead of standard input and output")
    checker = _checker(descriptor, where)
    language = _language(list(descriptor.names))
    title = descriptor.names.get(language, "") if language else ""
    title = title or descriptor.short_name or root.resolve().name
    tests = _tests(root, descriptor, where)
    if not any(t.kind == "sample" for t in tests):
        tests = _section_examples(root) + tests
    return Problem(
        id=descriptor.short_name or root.resolve().name,
        title=title,
        statement=_statement(root, title, [t for t in tests if t.kind == "sample"]),
        limits=Limits(time_s=descriptor.time_s, memory_mb=descriptor.memory_mb),
        tests=tests,
        checker=checker,
        tags=[t for t in descriptor.tags if t],
        source=str(path),
    )
