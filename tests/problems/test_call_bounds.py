"""A method's arguments sized by LeetCode-style constraints, for timing: names from the
starter code, chains and equalities read from the Constraints section, and the refusals
that keep a wrong size from calling a right program too slow."""

from __future__ import annotations

import json

import pytest

from cpagent.problems.spec.call_args import infer_call_spec
from cpagent.problems.spec.call_bounds import argument_names, constraint_bounds, sized_call_spec

PAIRS = """Count the pairs i < j with nums[i] + nums[j] == k, where 0 <= i < j < 10.

Constraints:

1 <= nums.length <= 10^5
-10^9 <= nums[i] <= 10^9
- 1 <= k <= 2 * 10^9
"""
PAIR_SAMPLES = ["[1, 5, 2, 6]\n7\n", "[3, 4]\n7\n"]


def sized(statement: str, names: list[str], samples: list[str]):
    return sized_call_spec(infer_call_spec(samples), statement, names, samples)


def drawn(spec, scale: float, seed: int = 0) -> list:
    return [json.loads(line) for line in spec.generate("max", seed, scale=scale).splitlines()]


@pytest.mark.parametrize("starter, names", [
    ("class Solution:\n    def countPairs(self, nums: List[int], k: int) -> int:\n", ["nums", "k"]),
    ("class Solution:\n    def f(self, g: Dict[int, List[int]], s: Optional[str] = None):",
     ["g", "s"]),
    ("class Solution:\n    def f(self) -> int:\n", []),
    ("class Solution:\n    def other(self, x: int) -> int:\n", None),
])
def test_argument_names_come_from_the_methods_signature(starter, names):
    method = "countPairs" if "countPairs" in starter else "f"
    assert argument_names(starter, method) == names


def test_the_constraints_section_bounds_lengths_elements_and_values():
    found = constraint_bounds(PAIRS)
    assert found.stated("nums.length") == (1, 10**5)
    assert found.stated("nums[]") == (-10**9, 10**9)  # a minus sign is no bullet
    assert found.stated("k") == (1, 2 * 10**9)
    assert "i" not in found.bounds  # the story's chain is before the section


def test_equalities_strict_and_reversed_chains_and_lists_of_names():
    found = constraint_bounds("Constraints:\nnums.length == n\n1 <= n < 1000\n"
                              "m == grid.length\n1 <= m, w <= 50\n10^4 >= x >= -5\n"
                              "0 <= k <= n - 1\n")
    assert found.stated("nums.length") == (1, 999)
    assert found.stated("grid.length") == (1, 50) and found.stated("w") == (1, 50)
    assert found.stated("x") == (-5, 10**4)
    assert found.stated("k") == (0, None)  # "n - 1" is no term we take


def test_a_list_and_a_value_are_sized_by_the_constraints():
    spec = sized(PAIRS, ["nums", "k"], PAIR_SAMPLES)
    nums, k = drawn(spec, 1.0)
    assert len(nums) == 10**5 and all(-10**9 <= x <= 10**9 for x in nums)
    assert 1 <= k <= 2 * 10**9
    for text in PAIR_SAMPLES:
        spec.validate(text)
    assert len(drawn(spec, 1 / 512)[0]) < 1000


def test_equal_lengths_and_a_value_bounded_by_a_length_hold_at_every_size():
    statement = ("Constraints:\nn == nums1.length == nums2.length\n1 <= n <= 1000\n"
                 "1 <= nums1[i], nums2[i] <= 50\n0 <= k <= n\n")
    samples = ["[1,2]\n[3,4]\n1\n", "[5]\n[6]\n0\n"]
    spec = sized(statement, ["nums1", "nums2", "k"], samples)
    for scale in (1 / 512, 1 / 16, 1.0):
        for seed in range(5):
            a, b, k = drawn(spec, scale, seed)
            assert len(a) == len(b) and 0 <= k <= len(a)
    assert len(drawn(spec, 1.0)[0]) == 1000


def test_strings_are_sized_by_their_stated_length():
    spec = sized("Constraints:\n1 <= words.length <= 1000\n1 <= words[i].length <= 30\n",
                 ["words"], ['["ab","c"]\n'])
    (words,) = drawn(spec, 1.0)
    assert len(words) == 1000 and max(map(len, words)) == 30 and set("".join(words)) <= set("abc")


@pytest.mark.parametrize("statement, names, samples", [
    # A list whose length no constraint states: no sizes at all.
    ("Constraints:\n1 <= words[i].length <= 30\n", ["words"], ['["ab","c"]\n']),
    # Lists of lists are left out.
    ("Constraints:\n1 <= grid.length <= 100\n", ["grid"], ["[[1,2],[3,4]]\n"]),
    # A constraint a sample breaks is a misread.
    ("Constraints:\n1 <= nums.length <= 3\n", ["nums"], ["[1,2,3,4]\n"]),
    # As many names as arguments, or the signature was misread.
    (PAIRS, ["nums"], PAIR_SAMPLES),
    # Nothing larger than the samples.
    ("Constraints:\n1 <= nums.length <= 2\n1 <= nums[i] <= 5\n", ["nums"], ["[1,5]\n"]),
])
def test_what_cannot_be_sized_safely_is_not(statement, names, samples):
    assert sized(statement, names, samples) is None
