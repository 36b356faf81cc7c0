"""A spec inferred from sample inputs: the structure the samples show, bounds inside what
they show, and inputs drawn from it that read the way the samples do."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpagent.problems.spec import SpecMismatch
from cpagent.problems.spec.infer import infer_spec

DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "codecontests" / "dev.jsonl"


def kinds(spec) -> list[str]:
    return [e.type for e in spec.input]


def draws(spec, n: int = 30) -> list[str]:
    return [spec.generate(mode, seed=s) for mode in ("tiny", "random") for s in range(n)]


def test_an_array_whose_length_is_the_first_number():
    spec = infer_spec(["5\n1 2 3 4 5\n", "3\n10 20 30\n"])
    assert kinds(spec) == ["int", "array"]
    assert spec.input[1].length.raw == spec.input[0].name
    for text in draws(spec):
        n, *rest = text.split("\n")
        assert len(rest[0].split()) == int(n)
        assert all(1 <= int(x) <= 30 for x in rest[0].split())


def test_a_tree_of_n_minus_one_edges():
    spec = infer_spec(["4\n1 2\n2 3\n2 4\n", "2\n1 2\n"])
    assert kinds(spec) == ["int", "tree"]
    for text in draws(spec):
        lines = text.strip().split("\n")
        assert len(lines) == int(lines[0])  # n, then n-1 edges


def test_m_edges_counted_by_an_earlier_number_are_a_graph():
    spec = infer_spec(["4 3\n1 2\n2 3\n3 4\n", "3 3\n1 2\n2 3\n1 3\n"])
    assert kinds(spec) == ["line", "graph"]
    for text in draws(spec):
        n, m = map(int, text.split("\n")[0].split())
        assert len(text.strip().split("\n")) == m + 1
        assert m >= n - 1  # connected in every sample, so connected when generated


def test_test_cases_with_a_body_of_several_lines():
    sample = "2\n3\n1 2 3\n1\n7\n"
    spec = infer_spec([sample])
    assert spec is not None
    for text in draws(spec):
        spec.validate(text)
    values = spec.parse(sample)
    assert any(isinstance(v, list) and len(v) == 2 for v in values.values())


def test_a_grid_keeps_exactly_the_characters_the_samples_use():
    spec = infer_spec(["2 3\n.#.\n##.\n", "1 1\n.\n"])
    assert kinds(spec) == ["line", "grid"]
    assert sorted(spec.input[1].alphabet) == ["#", "."]


def test_a_fixed_number_of_alike_lines():
    spec = infer_spec(["0 0\n0 1\n1 0\n1 1\n", "5 5\n5 6\n6 5\n6 6\n"])
    assert spec is not None
    for text in draws(spec):
        assert len(text.strip().split("\n")) == 4


def test_k_then_k_values_on_one_line():
    spec = infer_spec(["3 7 8 9\n", "4 1 1 1 1\n"])
    assert kinds(spec) == ["line"]
    for text in draws(spec):
        k, *rest = text.split()
        assert len(rest) == int(k)


def test_a_value_never_above_an_earlier_one_stays_below_it():
    spec = infer_spec(["5 3\n", "10 10\n", "4 1\n"])
    for text in draws(spec):
        n, k = map(int, text.split())
        assert k <= n


def test_bounds_stay_inside_what_the_samples_show():
    spec = infer_spec(["4 2\n", "6 5\n"])
    for text in draws(spec):
        assert all(1 <= int(x) <= 6 for x in text.split())
    with pytest.raises(SpecMismatch):
        spec.validate("7 1\n")


def test_small_cases_below_the_samples_are_drawn_too():
    # Sizes seen from 3 up start at 2 ("2 <= n" is common), values at 1, strings at length 1.
    spec = infer_spec(["3\n5 6 7\nabcd\n", "4\n9 9 9 9\nxyzzy\n"])
    texts = draws(spec, 60)
    sizes = {int(t.split("\n")[0]) for t in texts}
    assert min(sizes) == 2 and 1 not in sizes
    assert min(int(x) for t in texts for x in t.split("\n")[1].split()) == 1
    assert min(len(t.split("\n")[2]) for t in texts) == 1


def test_strings_and_reals():
    spec = infer_spec(["abc 0.5\n", "zz 1.25\n"])
    assert [i.type for i in spec.input[0].items] == ["string", "real"]


def test_nothing_to_infer_from():
    assert infer_spec([]) is None
    assert infer_spec(["", "  \n"]) is None
    assert infer_spec(["1\n\n2\n"]) is None  # a blank line inside: no element reads it


@pytest.mark.skipif(not DEV.exists(), reason="needs ../shared/data/codecontests/dev.jsonl")
def test_every_dev_set_problem_gets_a_spec_its_samples_fit():
    from cpagent.problems.formats.codecontests import read_codecontests, record_ids

    missing = []
    for rid in record_ids(DEV):
        samples = [t.input for t in read_codecontests(DEV, rid).samples()]
        spec = infer_spec(samples)
        if spec is None:
            missing.append(rid)
            continue
        for text in samples:
            spec.validate(text)
        for text in draws(spec, 3):
            spec.validate(text)  # what it generates, it reads back
    total = sum(1 for _ in DEV.open())
    assert len(missing) <= total // 20, missing


def test_a_sample_that_fits_no_structure_ends_the_search():
    from cpagent.problems.spec import infer

    # Thirty alike lines, then a line the other sample contradicts at the very end: every
    # prefix fits, no whole does, and the alternatives multiply with every line. Without
    # the check budget this search would not end in a lifetime.
    ragged = "".join(f"{i} {i}\n" for i in range(1, 31)) + "x\n"
    assert infer.infer_spec([ragged, ragged.replace("x\n", "1 2 3\n")]) is None
