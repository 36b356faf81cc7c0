"""Arguments of a method (LeetCode-style tests): shapes read off the samples' JSON, a spec of
their encoding, and inputs drawn from it turned back into JSON lines of the same shapes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from cpagent.problems.spec import InputSpec, SpecError, SpecMismatch
from cpagent.problems.spec.call_args import (
    ArgShape,
    CallSpec,
    decode,
    encode,
    infer_call_spec,
    shape_of,
)

GRID_SAMPLES = ['[[1,0,1],[0,0,1]]\n"abc"\ntrue\n', '[[1,1]]\n"b"\nfalse\n']
PAIRED_SAMPLES = ['["ab","cd","e"]\n[3,4,9]\n', '["x"]\n[1]\n']


def test_shapes_of_the_arguments_a_method_takes():
    assert shape_of(7) == ArgShape(depth=0, leaf="int")
    assert shape_of(True) == ArgShape(depth=0, leaf="bool")
    assert shape_of(["a", "bc"]) == ArgShape(depth=1, leaf="str")
    assert shape_of([[1, 2], [3, 4]]) == ArgShape(depth=2, leaf="int")
    # Not taken: no layout encodes them, or the samples cannot show their kind.
    for value in (1.5, None, {"a": 1}, [], [[]], [[1], [2, 3]], [1, "a"], [1, True], "",
                  "two words", [[[1]]]):
        assert shape_of(value) is None, value


def test_encoding_and_decoding_give_back_the_same_arguments():
    args = [[[1, 0, 1], [0, 0, 1]], "abc", True, [5, -2], ["x", "yz"]]
    shapes = [shape_of(a) for a in args]
    text = encode(args)
    assert text == "2 3\n1 0 1\n0 0 1\nabc\n1\n2\n5 -2\n2\nx yz\n"
    assert [json.loads(line) for line in decode(text, shapes).splitlines()] == args


@pytest.mark.parametrize("text", ["2\n5\n", "2\n5 6 7\n", "2\n5 x\n"])
def test_a_text_that_does_not_hold_the_arguments_is_not_decoded(text):
    with pytest.raises(ValueError):
        decode(text, [ArgShape(depth=1, leaf="int")])


@pytest.mark.parametrize("samples", [
    ["[1.5, 2]\n3\n"],            # a float
    ["[]\n3\n"],                  # an empty list shows no kind
    ["[[1], [2, 3]]\n"],          # ragged
    ['{"a": 1}\n'],               # an object
    ["[1, 2]\n3\n", "4\n[1]\n"],  # the samples disagree on the shapes
    ["[1, 2\n"],                  # not JSON
    [""],
])
def test_arguments_of_another_kind_give_no_spec(samples):
    assert infer_call_spec(samples) is None


def test_every_sample_fits_and_another_shape_does_not():
    spec = infer_call_spec(GRID_SAMPLES)
    assert spec is not None
    assert spec.describe() == "list of list of int, str, bool"
    for text in GRID_SAMPLES:
        spec.validate(text)
    with pytest.raises(SpecMismatch):
        spec.validate('[[1,1]]\n"b"\n1\n')  # an int where a bool goes
    with pytest.raises(SpecMismatch):
        spec.validate('[[1,1]]\n"b"\n')


GRID_SPEC = infer_call_spec(GRID_SAMPLES)


@settings(max_examples=60, deadline=None)
@given(data=GRID_SPEC.strategy("random", scale=50))
def test_drawn_arguments_have_the_samples_shapes_and_fit_the_spec(data):
    GRID_SPEC.validate(data)
    grid, word, flag = (json.loads(line) for line in data.splitlines())
    assert all(len(row) == len(grid[0]) for row in grid)
    assert set(word) <= set("abc") and isinstance(flag, bool)


def test_lists_as_long_as_each_other_in_every_sample_stay_so():
    spec = infer_call_spec(PAIRED_SAMPLES)
    for seed in range(40):
        words, nums = map(json.loads, spec.generate("random", seed=seed, scale=50).splitlines())
        assert len(words) == len(nums)
    dumped = spec.model_dump(mode="json", exclude_defaults=True)
    assert dumped["arguments"] == [{"depth": 1, "leaf": "str"}, {"depth": 1, "leaf": "int"}]


def test_a_layout_that_draws_other_arguments_than_the_method_takes_is_one_error():
    # One number where the method takes a list: no draw decodes, and generation says so
    # (the flow then stresses nothing rather than failing).
    spec = CallSpec(InputSpec.model_validate({"input": [{"name": "n", "min": 1, "max": 5}]}),
                    [ArgShape(depth=1, leaf="int")])
    with pytest.raises(SpecError, match="draws no input the method takes"):
        spec.generate("random", seed=3)


def test_both_kinds_of_spec_are_what_stress_and_timing_take():
    from cpagent.problems.spec import InputSpec, Spec

    stdin = InputSpec.model_validate([{"name": "n", "min": 1, "max": 9}])
    called = infer_call_spec(['[1, 2, 3]\n4\n'])
    assert called is not None
    assert isinstance(stdin, Spec) and isinstance(called, Spec)
