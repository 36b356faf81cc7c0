"""Bounds a statement writes in words rather than as a chain of inequalities.

Codeforces, AtCoder and ICPC statements often say how large a value may be in a sentence:
"a non-negative integer of up to 100000 digits", "a string of at most 2·10^5 lowercase
letters", "each word is no longer than 10 characters", "n does not exceed 10^5 (and is at
least 1)", "the length of s is between 1 and 5000". Each phrase here gives a `WordBound`:
what it bounds (a value, a token's length, or a number's count of digits), the numbers,
and the name it is said of when the sentence names one ("s", "n"); an unnamed one is
applied only where the spec has a single element it can be about (see `bounds`).

A phrase that could be read two ways is left out: a false bound makes inputs no judge
would give, and a counterexample on such an input sends a right program back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["WordBound", "worded_bounds"]

What = Literal["value", "length", "digits"]

# Numbers as bounds.py reads them (10^5, 2*10^5, 100 000), and a few written as words.
_NUM = (r"(?:(?:\d+\s*\*\s*)?10\s*\^\s*\{?\s*\d+\s*\}?|\d{1,3}(?:(?:,|\s)\d{3})+(?!\d)|\d+"
        r"|one|two|three|four|five|six|seven|eight|nine|ten)")
_WORD_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten".split())}
# The letter a sentence is about: "the string s", "n,", "the number n which".
_NAME = r"(?<![\w\\|])(?![aAIij](?![\w'’]))([A-Za-z])(?:_\{?[A-Za-z0-9]+\}?)?(?![\w'’])"
_UNITS = r"(characters|letters|symbols|digits)"
_KINDS = r"(?:(?:lowercase|uppercase|small|capital|english|latin|decimal|binary)\s+)*"
_AT_MOST = (r"(?:up\s+to|at\s+most|no\s+more\s+than|not\s+more\s+than|not\s+exceeding"
            r"|a\s+maximum\s+of)")

# "of up to 100000 digits", "of at most 2·10^5 lowercase letters".
_COUNT_OF_UNITS = re.compile(rf"\b{_AT_MOST}\s+({_NUM})\s+{_KINDS}{_UNITS}\b", re.I)
# "no longer than 10 characters", "not longer than 10^5".
_NO_LONGER = re.compile(rf"\b(?:no|not)\s+longer\s+than\s+({_NUM})(?:\s+{_KINDS}{_UNITS})?",
                        re.I)
# "length between 1 and 5000", "length from 1 to 5000".
_LENGTH_BETWEEN = re.compile(rf"\blength\b[^.;]{{0,30}}?\b(?:between|from)\s+({_NUM})\s+"
                             rf"(?:and|to)\s+({_NUM})", re.I)
# "the length of s does not exceed 10^5", "its length is at most 50".
_LENGTH_AT_MOST = re.compile(
    rf"\blength\b[^.;]{{0,30}}?\b(?:does\s+not\s+exceed|do\s+not\s+exceed|is\s+at\s+most"
    rf"|is\s+not\s+greater\s+than|{_AT_MOST})\s+({_NUM})", re.I)
# "at least 1 and at most 100 characters": the floor of a length.
_LENGTH_FLOOR = re.compile(rf"\bat\s+least\s+({_NUM})\s+(?:and\s+{_AT_MOST}\s+{_NUM}\s+)?"
                           rf"{_KINDS}{_UNITS}", re.I)
# "n ... does not exceed 10^5": a value's ceiling said of the name before it.
_VALUE_AT_MOST = re.compile(
    rf"{_NAME}[^.;()]{{0,50}}?\b(?:does\s+not\s+exceed|do\s+not\s+exceed|is\s+at\s+most"
    rf"|is\s+not\s+greater\s+than|is\s+no\s+(?:more|greater)\s+than"
    rf"|is\s+less\s+than\s+or\s+equal\s+to)\s+({_NUM})(?!\s*{_KINDS}{_UNITS})", re.I)
# "(and is at least 1)", "n is not less than 2".
_VALUE_AT_LEAST = re.compile(
    rf"{_NAME}[^.;]{{0,80}}?\b(?:is\s+at\s+least|is\s+not\s+less\s+than"
    rf"|is\s+greater\s+than\s+or\s+equal\s+to)\s+({_NUM})(?!\s*{_KINDS}{_UNITS})", re.I)
_SUM_BEFORE = re.compile(r"\b(?:sum|total)\b[^.;]*$", re.I)
_NON_EMPTY = re.compile(r"\bnon-?\s?empty\b", re.I)


@dataclass(frozen=True)
class WordBound:
    """One phrase's bound: on a value, on a token's length, or on a number's digits."""

    what: What
    name: str | None = None
    lo: int | None = None
    hi: int | None = None


def _number(text: str) -> int | None:
    text = re.sub(r"\s+|[{}]", "", text).lower()
    if text in _WORD_NUMBERS:
        return _WORD_NUMBERS[text]
    if m := re.fullmatch(r"(?:(\d{1,19})\*)?10\^(\d{1,2})", text):
        return int(m[1] or 1) * 10 ** int(m[2])
    text = text.replace(",", "")
    return int(text) if re.fullmatch(r"\d{1,30}", text) else None


def _sentences(text: str) -> list[str]:
    # A full stop ends a sentence, not the point of "2.5" nor "e.g.".
    return [s for s in re.split(r"(?<![\d.]\w)(?<=[.;])\s+|\n\s*\n", text) if s.strip()]


def _named(sentence: str, start: int) -> str | None:
    """The one letter the sentence names before `start`; None when it names none, and ""
    when it names several (which one the phrase is about is not said)."""
    letters = {m[1] for m in re.finditer(_NAME, sentence[:start])}
    return letters.pop() if len(letters) == 1 else "" if letters else None


def worded_bounds(text: str) -> list[WordBound]:
    """The bounds the statement (already in plain text, relations as ≤) writes in words,
    in reading order."""
    found: list[WordBound] = []
    for sentence in _sentences(text):
        found += _lengths(sentence) + _values(sentence)
    return found


def _lengths(sentence: str) -> list[WordBound]:
    out = []
    floor = 1 if _NON_EMPTY.search(sentence) else None
    if m := _LENGTH_FLOOR.search(sentence):
        floor = _number(m[1])
    for m in _COUNT_OF_UNITS.finditer(sentence):
        what: What = "digits" if m[2].lower() == "digits" else "length"
        out.append(WordBound(what, _named(sentence, m.start()), floor, _number(m[1])))
    for m in _NO_LONGER.finditer(sentence):
        what = "digits" if (m[2] or "").lower() == "digits" else "length"
        out.append(WordBound(what, _named(sentence, m.start()), floor, _number(m[1])))
    for m in _LENGTH_BETWEEN.finditer(sentence):
        out.append(WordBound("length", _named(sentence, m.start(1)), _number(m[1]),
                             _number(m[2])))
    if not out:
        for m in _LENGTH_AT_MOST.finditer(sentence):
            out.append(WordBound("length", _named(sentence, m.start(1)), floor, _number(m[1])))
    return [b for b in out if b.hi is not None and b.hi > 0 and b.name != ""]


def _values(sentence: str) -> list[WordBound]:
    out = []
    for m in _VALUE_AT_MOST.finditer(sentence):
        if _SUM_BEFORE.search(sentence[:m.start(2)]):
            continue  # "the sum of n over all test cases does not exceed": a sum bound
        if re.search(r"\blength\b", sentence[m.end(1):m.start(2)], re.I):
            continue  # "s, whose length does not exceed": a length, read above
        lo = next((_number(a[2]) for a in _VALUE_AT_LEAST.finditer(sentence)
                   if a[1] == m[1]), None)
        out.append(WordBound("value", m[1], lo, _number(m[2])))
    return out
