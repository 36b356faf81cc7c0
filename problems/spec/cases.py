"""One test per test case: a sample that holds t test cases, split into t samples of one.

A failure on a three-case sample says little to a small model ("expected 4 1 0, got 4 2 0");
the one case it gets wrong, as an input of its own, points at the bug. The split is made only
where it is certain: the spec parses the sample and has one `testcases` element, and the
answer has exactly one line per case."""

from __future__ import annotations

from cpagent.problems.model import TestCase
from cpagent.problems.spec.errors import SpecError
from cpagent.problems.spec.inputspec import InputSpec
from cpagent.problems.spec.model import TestCases


def split_cases(spec: InputSpec, test: TestCase) -> list[TestCase]:
    """The test's cases as tests of their own, in order; [] when it cannot be split."""
    element = _cases_element(spec)
    if element is None or test.answer is None:
        return []
    try:
        values = spec.parse(test.input)
    except SpecError:
        return []
    cases = values.get(element.name)
    answers = test.answer.rstrip("\n").split("\n")
    if not isinstance(cases, list) or len(cases) < 2 or len(answers) != len(cases):
        return []
    split = []
    for i, (case, answer) in enumerate(zip(cases, answers, strict=True)):
        one = {**values, element.count.name: 1, element.name: [case]}
        try:
            text = spec.render(one)
            spec.validate(text)
        except SpecError:
            return []
        split.append(TestCase(name=f"{test.name} case {i + 1}", input=text,
                              answer=answer.strip() + "\n", kind=test.kind))
    return split


def _cases_element(spec: InputSpec) -> TestCases | None:
    found = [e for e in spec.input if isinstance(e, TestCases)]
    return found[0] if len(found) == 1 else None


__all__ = ["split_cases"]
