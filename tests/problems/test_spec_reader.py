"""The reader a spec writes (`problems.spec.reader`, `cpagent template`): run on generated
inputs, it must read exactly the values `parse` reads, and every token.  The reader runs in
a host subprocess: our code writes it from the specs here and the library's, not a model."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from cpagent.problems.spec import InputSpec, load_spec
from cpagent.problems.spec.infer import infer_spec
from cpagent.problems.spec.model import Choice, Line, Repeat, TestCases
from cpagent.problems.spec.reader import reader_code
from tests.conftest import FIXTURES, assert_one_line_error, cpagent
from tests.problems.test_spec import LIBRARY, SPECS

EXAMPLE = Path(__file__).resolve().parents[2] / "problems" / "spec" / "example.yaml"


def _run(code: str, names: list[str], text: str) -> dict[str, Any]:
    """The values of `names` after the reader ran on `text`, and whether tokens are left."""
    probe = (f"\n_left = next(tokens, None) is not None\n"
             f"print(repr({{name: globals()[name] for name in {names!r}}}), _left)\n")
    done = subprocess.run([sys.executable, "-c", code + probe], input=text, text=True,
                          capture_output=True, timeout=60, check=True)
    values, left = done.stdout.rsplit(" ", 1)
    assert left.strip() == "False", "the reader left tokens unread"
    return ast.literal_eval(values)


def _expected(elements: list, values: dict[str, Any], out: dict[str, Any]) -> None:
    """`parse`'s values in the reader's shapes: a repeat is a list of tuples (or of single
    values), a choice a tuple (tag, values...), edges tuples; of test cases, the last."""
    for element in elements:
        items = element.items if isinstance(element, Line) else [element]
        for item in items:
            if isinstance(item, TestCases):
                out[item.count.name] = len(values[item.name])
                _expected(item.body, values[item.name][-1], out)
            elif isinstance(item, Repeat):
                rows = []
                for row in values[item.name]:
                    inner: dict[str, Any] = {}
                    _expected(item.body, row, inner)
                    rows.append(tuple(inner.values()) if len(inner) > 1 else
                                next(iter(inner.values())))
                out[item.name] = rows
            elif isinstance(item, Choice):
                value = values[item.name]
                option = next(o for o in item.options if o.tag == value["tag"])
                out[item.name] = (value["tag"], *(value[i.name] for i in option.items))
            elif getattr(item, "name", None) is not None:
                value = values[item.name]
                if isinstance(value, list) and value and isinstance(value[0], list) and \
                        getattr(item, "type", "") in ("tree", "graph"):
                    value = [tuple(edge) for edge in value]
                out[item.name] = value


def _specs() -> list[tuple[str, InputSpec]]:
    specs = [(name, InputSpec.model_validate(yaml.safe_load(text)))
             for name, text in SPECS.items()]
    specs.append(("example", InputSpec.model_validate(yaml.safe_load(EXAMPLE.read_text()))))
    specs += [(path.parent.name, load_spec(path))
              for path in sorted(LIBRARY.glob("*/input_spec.yaml"))]
    return specs


@pytest.mark.parametrize(("name", "spec"), _specs(), ids=[n for n, _ in _specs()])
def test_the_reader_reads_what_parse_reads(name: str, spec: InputSpec) -> None:
    code = reader_code(spec.input)
    compile(code, name, "exec")
    for seed in range(3):
        text = spec.generate("random", seed=seed, scale=60)
        expected: dict[str, Any] = {}
        _expected(spec.input, spec.parse(text), expected)
        assert _run(code, list(expected), text) == expected, (name, seed)


def _spec(text: str) -> InputSpec:
    return InputSpec.model_validate(yaml.safe_load(text))


def test_names_that_would_shadow_python_are_renamed_everywhere() -> None:
    spec = _spec("""
input:
  - {name: len, min: 1, max: 5}
  - {type: array, name: sum, length: len, of: {min: 1, max: 9}}
  - {type: array, name: tokens, length: len - 1, of: {min: 1, max: 9}}
""")
    code = reader_code(spec.input)
    assert "len_ = int(" in code and "range(len_)" in code and "range(len_ - 1)" in code
    assert _run(code, ["len_", "sum_", "tokens_"], "3\n4 5 6\n7 8\n") == {
        "len_": 3, "sum_": [4, 5, 6], "tokens_": [7, 8]}


def test_a_length_given_by_a_string_is_its_len() -> None:
    spec = _spec("""
input:
  - {type: string, name: s, alphabet: ab, min_length: 1, max_length: 5}
  - {type: array, name: b, length: s, of: {min: 1, max: 3}}
  - {type: array, name: c, length: 2e0, of: {min: 1, max: 3}}
""")
    code = reader_code(spec.input)
    assert "range(len(s))" in code and "range(2)" in code
    assert _run(code, ["s", "b", "c"], "aba\n1 2 3\n1 1\n") == {
        "s": "aba", "b": [1, 2, 3], "c": [1, 1]}


# Sample sets of the shapes CodeContests problems have: pairs, a tree, test cases, a grid.
INFERRED = [
    ["3 2\n1 2\n2 3\n5 6\n", "2 1\n7 8\n9 9\n"],
    ["4\n1 2\n2 3\n2 4\n", "2\n1 2\n"],
    ["2\n3\n1 2 3\n1\n5\n", "1\n2\n4 4\n"],
    ["2 3\n.#.\n##.\n", "1 1\n#\n"],
]


@pytest.mark.parametrize("samples", INFERRED)
def test_a_reader_from_a_spec_inferred_from_samples_reads_them_whole(samples: list[str]) -> None:
    spec = infer_spec(samples)
    assert spec is not None
    code = reader_code(spec.input)
    for text in samples:
        expected: dict[str, Any] = {}
        _expected(spec.input, spec.parse(text), expected)
        assert _run(code, list(expected), text) == expected


def test_cpagent_template_prints_the_reader_of_a_problem(tmp_path) -> None:
    """From the problem's own spec, and from one inferred from its samples (with a note that
    the names are not the statement's); no spec and no fitting samples is exit 2."""
    done = cpagent("template", LIBRARY / "shelf-pairs")
    assert done.returncode == 0, done.stderr
    assert "a = [int(next(tokens)) for _ in range(n)]" in done.stdout and not done.stderr
    sample = (LIBRARY / "shelf-pairs" / "data" / "sample" / "1.in").read_text()
    assert _run(done.stdout, ["n", "k", "a"], sample) == {"n": 6, "k": 10,
                                                           "a": [3, 7, 5, 2, 8, 7]}

    record = FIXTURES / "codecontests" / "two.jsonl"
    done = cpagent("template", f"{record}#9001_a_add_two_1")
    assert done.returncode == 0, done.stderr
    assert "inferred from the samples" in done.stderr
    assert _run(done.stdout, ["v1", "v2"], "1 2\n") == {"v1": 1, "v2": 2}

    shapeless = tmp_path / "shapeless.md"
    shapeless.write_text("# Echo\n\nPrint the input.\n\n## Examples\n\n### Input 1\n\n```\nab\n\n"
                         "cd\n```\n\n### Output 1\n\n```\nab\n\ncd\n```\n")
    assert_one_line_error(cpagent("template", shapeless), "none fits the samples")
