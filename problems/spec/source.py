"""Where random choices come from: hypothesis (shrinkable) or `random.Random` (fast).

Generation is written once, against `Source`.  Under hypothesis every choice is a draw, so
the shrinker can make sizes and values small; with `random.Random` the same code makes a
2*10^5 array in milliseconds.  Cosmetic shuffles (node labels, edge order) come from
`rng()`: under hypothesis one seed draw, where seed 0 means "keep the canonical order", so
a shrunk counterexample reads naturally without spending a draw per edge.
"""

from __future__ import annotations

import math
import random
from typing import Protocol

from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

__all__ = ["HypothesisSource", "RandomSource", "Source"]

_LONG_TEXT = 1000  # longer texts come from one seed under hypothesis
_FAST_SPAN = 1 << 50  # below this, random() * span is uniform enough and 10x faster


class Source(Protocol):
    def integer(self, lo: int, hi: int) -> int:
        """Uniform-ish in [lo, hi]; under hypothesis shrinks toward 0 (or the nearer end)."""
        ...

    def integers(self, lo: int, hi: int, k: int) -> list[int]: ...

    def distinct(self, lo: int, hi: int, k: int) -> list[int]:
        """k different integers of [lo, hi] (the caller makes sure they fit)."""
        ...

    def size(self, lo: int, hi: int) -> int:
        """In [lo, hi], biased toward small: most inputs are moderate, some are large."""
        ...

    def text(self, chars: str, k: int) -> str: ...

    def permutation(self, k: int) -> list[int]:
        """The numbers 0..k-1 in some order."""
        ...

    def rng(self) -> random.Random | None:
        """For cosmetic shuffles; None keeps the canonical order."""
        ...


class RandomSource:
    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd

    def integer(self, lo: int, hi: int) -> int:
        span = hi - lo + 1
        if span <= _FAST_SPAN:
            return lo + int(self.rnd.random() * span)
        return self.rnd.randint(lo, hi)

    def integers(self, lo: int, hi: int, k: int) -> list[int]:
        span = hi - lo + 1
        if span <= _FAST_SPAN:
            r = self.rnd.random
            return [lo + int(r() * span) for _ in range(k)]
        randint = self.rnd.randint
        return [randint(lo, hi) for _ in range(k)]

    def distinct(self, lo: int, hi: int, k: int) -> list[int]:
        return self.rnd.sample(range(lo, hi + 1), k)

    def size(self, lo: int, hi: int) -> int:
        if hi <= lo:
            return lo
        if self.rnd.random() < 0.125:  # the upper end is where bugs live
            return hi
        # Log-uniform: as likely to be in [1, 10) as in [100, 1000).
        span = hi - lo
        return lo + min(span, int(math.exp(self.rnd.random() * math.log(span + 1))) - 1)

    def text(self, chars: str, k: int) -> str:
        if len(chars) == 1:
            return chars * k
        return "".join(self.rnd.choices(chars, k=k))

    def permutation(self, k: int) -> list[int]:
        order = list(range(k))
        self.rnd.shuffle(order)
        return order

    def rng(self) -> random.Random:
        return self.rnd


class HypothesisSource:
    def __init__(self, draw: DrawFn) -> None:
        self.draw = draw

    def integer(self, lo: int, hi: int) -> int:
        return self.draw(st.integers(lo, hi))

    def integers(self, lo: int, hi: int, k: int) -> list[int]:
        if lo == hi:
            return [lo] * k
        return [self.draw(st.integers(lo, hi)) for _ in range(k)]

    def distinct(self, lo: int, hi: int, k: int) -> list[int]:
        # Draw, then step to the next free value: every draw lands, and values still shrink
        # toward the low end.
        seen: set[int] = set()
        out = []
        for _ in range(k):
            x = self.draw(st.integers(lo, hi))
            while x in seen:
                x = x + 1 if x < hi else lo
            seen.add(x)
            out.append(x)
        return out

    def size(self, lo: int, hi: int) -> int:
        if hi <= lo:
            return lo
        # First a scale (bits), then a value within it: both shrink toward lo.
        bits = self.draw(st.integers(0, (hi - lo).bit_length()))
        return self.draw(st.integers(lo, min(hi, lo + (1 << bits) - 1)))

    def text(self, chars: str, k: int) -> str:
        if len(chars) == 1:
            return chars * k
        if k > _LONG_TEXT:
            # A number of 10^5 digits is past hypothesis's buffer: one seed draws it.
            rnd = random.Random(self.draw(st.integers(0, 2**32 - 1)))
            return "".join(rnd.choices(chars, k=k))
        return self.draw(st.text(alphabet=chars, min_size=k, max_size=k))

    def permutation(self, k: int) -> list[int]:
        if k <= 1:
            return list(range(k))
        return self.draw(st.permutations(range(k)))

    def rng(self) -> random.Random | None:
        seed = self.draw(st.integers(0, 2**32 - 1))
        return None if seed == 0 else random.Random(seed)
