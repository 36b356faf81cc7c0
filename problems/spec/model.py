"""The schema of an InputSpec: one pydantic model per element kind, data only.

Each element says what it prints and which value it names.  Elements in a list are read
(and printed) in order; bounds may name any earlier value of the same or an enclosing
block.  `type` picks the kind and may be left out for `int`.

Printing, in short: an `int`, `real`, `string`, `permutation` or one-line `array` on its
own is one line; a `line` prints several of those space-separated; `matrix`, `grid`,
`tree`, `graph`, `repeat`, `choice` and `testcases` print the lines described on each.
"""

from __future__ import annotations

import string
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    Tag,
    field_validator,
    model_validator,
)

from cpagent.problems.spec.errors import SpecError
from cpagent.problems.spec.expr import Expr, as_expr

__all__ = [
    "ALPHABETS",
    "Array",
    "Choice",
    "Count",
    "Element",
    "Graph",
    "Grid",
    "Inline",
    "Int",
    "Line",
    "Matrix",
    "Option",
    "Permutation",
    "Real",
    "Repeat",
    "Scalar",
    "String",
    "TestCases",
    "Total",
    "Tree",
    "Weight",
    "resolve_alphabet",
]

ExprField = Annotated[
    Expr,
    PlainValidator(as_expr, json_schema_input_type=int | float | str),
    PlainSerializer(lambda e: e.raw),
]
Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
Layout = Literal["line", "lines"]
Base = Literal[0, 1]

ALPHABETS = {
    "lowercase": string.ascii_lowercase,
    "uppercase": string.ascii_uppercase,
    "letters": string.ascii_letters,
    "digits": string.digits,
    "binary": "01",
    "alnum": string.digits + string.ascii_letters,
}


def resolve_alphabet(text: str) -> str:
    """A named alphabet, or else the characters written out (`.#C`), in the given order:
    shrinking moves toward the first character."""
    if text in ALPHABETS:
        return ALPHABETS[text]
    if not text:
        raise SpecError("alphabet '': give a name or at least one character")
    if any(c.isspace() or not c.isprintable() for c in text):
        raise SpecError(f"alphabet {text!r}: characters must be printable and not spaces")
    if len(set(text)) != len(text):
        raise SpecError(f"alphabet {text!r}: a character is listed twice")
    return text


class _Element(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Int(_Element):
    """An integer in [min, max]."""

    type: Literal["int"] = "int"
    name: Name | None = None
    min: ExprField
    max: ExprField


class Real(_Element):
    """A decimal number in [min, max], printed with exactly `decimals` digits after the
    point; read with at most that many.  Exact up to about 15 significant digits."""

    type: Literal["real"]
    name: Name | None = None
    min: ExprField
    max: ExprField
    decimals: int = Field(6, ge=0, le=12)


class String(_Element):
    """A token over an alphabet; either `length`, or `min_length` (default 1) and
    `max_length`.  `first` restricts the first character (e.g. `123456789`).  `number`
    makes it a non-negative integer written out in digits, too long for an `int` ("up to
    10^5 digits"): no leading zero, `0` itself allowed."""

    type: Literal["string"]
    name: Name | None = None
    alphabet: str = "lowercase"
    first: str | None = None
    number: bool = False
    length: ExprField | None = None
    min_length: ExprField | None = None
    max_length: ExprField | None = None

    @model_validator(mode="after")
    def _check(self) -> String:
        if self.length is not None and (self.min_length or self.max_length) is not None:
            raise SpecError("string: give length, or min_length/max_length, not both")
        if self.length is None and self.max_length is None:
            raise SpecError("string: needs length, or max_length (and min_length)")
        if self.length is None and self.min_length is None:
            self.min_length = Expr(1)
        resolve_alphabet(self.alphabet)
        if self.first is not None:
            resolve_alphabet(self.first)
        if self.number and (self.alphabet != "digits" or self.first is not None):
            raise SpecError("string: a number takes alphabet: digits and no first")
        return self

    # cached_property, not a pydantic private attribute: generation reads these per value,
    # and a private attribute costs a slow __getattr__ each time.
    @cached_property
    def chars(self) -> str:
        return resolve_alphabet(self.alphabet)

    @cached_property
    def first_chars(self) -> str:
        """What a token of two or more characters may start with."""
        if self.number:
            return "123456789"
        return resolve_alphabet(self.first) if self.first is not None else self.chars

    @property
    def ranged(self) -> bool:
        """True when the length is drawn from a range rather than given by earlier values."""
        return self.length is None


def _tag(value: Any) -> str:
    # `type` may be left out for an int: the commonest element reads best without it.
    if isinstance(value, dict):
        return str(value.get("type", "int"))
    return str(getattr(value, "type", "int"))


# A callable discriminator needs every choice tagged with the `type` it answers to.
_Int = Annotated[Int, Tag("int")]
_Real = Annotated[Real, Tag("real")]
_String = Annotated[String, Tag("string")]
Scalar = Annotated[_Int | _Real | _String, Discriminator(_tag)]
Weight = Annotated[_Int | _Real, Discriminator(_tag)]


class Total(_Element):
    """Bounds on the sum of an array's values: "1 <= a_1 + ... + a_n <= 3*10^5"."""

    min: ExprField | None = None
    max: ExprField | None = None


class Array(_Element):
    """`length` values; on one line (`layout: line`) or one per line (`lines`). `total`
    bounds their sum."""

    type: Literal["array"]
    name: Name
    length: ExprField
    of: Scalar
    total: Total | None = None
    distinct: bool = False
    sorted: Literal["non-decreasing", "increasing", "non-increasing", "decreasing"] | None = None
    layout: Layout = "line"

    @model_validator(mode="after")
    def _check(self) -> Array:
        if self.distinct and not isinstance(self.of, Int):
            raise SpecError(f"array {self.name}: distinct needs integer elements")
        if self.sorted in ("increasing", "decreasing") and not isinstance(self.of, Int):
            raise SpecError(f"array {self.name}: strictly {self.sorted} needs integers")
        if self.sorted is not None and isinstance(self.of, String):
            raise SpecError(f"array {self.name}: sorted needs numbers")
        return self

    @property
    def strict(self) -> bool:
        """Values all differ: asked for directly or by a strict order."""
        return self.distinct or self.sorted in ("increasing", "decreasing")


class Permutation(_Element):
    """The numbers base..base+n-1 (1..n by default), each once, in any order."""

    type: Literal["permutation"]
    name: Name
    n: ExprField
    base: Base = 1
    layout: Layout = "line"


Inline = Annotated[
    _Int
    | _Real
    | _String
    | Annotated[Array, Tag("array")]
    | Annotated[Permutation, Tag("permutation")],
    Discriminator(_tag),
]


class Line(_Element):
    """Several values on one line, space-separated: `n m k`, or `k a_1 ... a_k`."""

    type: Literal["line"]
    items: list[Inline] = Field(min_length=1)


class Matrix(_Element):
    """`rows` lines of `cols` space-separated numbers."""

    type: Literal["matrix"]
    name: Name
    rows: ExprField
    cols: ExprField
    of: Weight


class Grid(_Element):
    """`rows` lines of `cols` characters, no spaces.  `must_contain` lists characters that
    appear at least once (e.g. a start cell)."""

    type: Literal["grid"]
    name: Name
    rows: ExprField
    cols: ExprField
    alphabet: str
    must_contain: str = ""

    @model_validator(mode="after")
    def _check(self) -> Grid:
        chars = resolve_alphabet(self.alphabet)
        missing = [c for c in self.must_contain if c not in chars]
        if missing:
            raise SpecError(f"grid {self.name}: must_contain {missing[0]!r} is not in alphabet")
        if len(set(self.must_contain)) != len(self.must_contain):
            raise SpecError(f"grid {self.name}: must_contain lists a character twice")
        return self

    @cached_property
    def chars(self) -> str:
        return resolve_alphabet(self.alphabet)


class Tree(_Element):
    """A tree on `n` nodes.  `edges`: n-1 lines `u v` (or `u v w` with `weights`);
    `parents`: one line p_2 ... p_n with p_i < i."""

    type: Literal["tree"]
    name: Name
    n: ExprField
    format: Literal["edges", "parents"] = "edges"
    weights: Weight | None = None
    base: Base = 1

    @model_validator(mode="after")
    def _check(self) -> Tree:
        if self.format == "parents" and self.weights is not None:
            raise SpecError(f"tree {self.name}: weights need format: edges")
        return self


class Graph(_Element):
    """A simple graph: `m` lines `u v` (or `u v w`), no loops, no repeated edge.
    `connected` needs m >= n-1; m <= n(n-1)/2 (n(n-1) when `directed`)."""

    type: Literal["graph"]
    name: Name
    n: ExprField
    m: ExprField
    connected: bool = False
    directed: bool = False
    weights: Weight | None = None
    base: Base = 1


class Repeat(_Element):
    """`count` copies of `body`, each read into a dict; the value is their list.
    `sum` bounds a total over the copies: `{k: 2*10**5}` means sum of k <= 2*10**5."""

    type: Literal["repeat"]
    name: Name
    count: ExprField
    sum: dict[str, ExprField] = Field(default_factory=dict)
    body: list[Element] = Field(min_length=1)


class Option(_Element):
    """One kind of line in a `choice`: the literal `tag`, then `items`."""

    tag: str
    items: list[Inline] = Field(default_factory=list)

    @field_validator("tag", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        # YAML reads `tag: 1` as a number; a tag is a token.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Choice(_Element):
    """One line whose first token picks an option: queries `1 x y` or `2 l r`.  The value
    is a dict of the option's values plus `tag`."""

    type: Literal["choice"]
    name: Name
    options: list[Option] = Field(min_length=1)


class Count(_Element):
    """The number of test cases: its name (default `t`) and bounds."""

    name: Name = "t"
    min: ExprField = Field(1, validate_default=True)
    max: ExprField


class TestCases(_Element):
    """A line with the count t, then t copies of `body`.  `sum` bounds totals over all
    cases: `{n: 2*10**5}`; a key may be an expression such as `n*m`."""

    __test__ = False  # not a pytest class

    type: Literal["testcases"]
    name: Name = "cases"
    count: Count
    sum: dict[str, ExprField] = Field(default_factory=dict)
    body: list[Element] = Field(min_length=1)


Element = Annotated[
    _Int
    | _Real
    | _String
    | Annotated[Array, Tag("array")]
    | Annotated[Permutation, Tag("permutation")]
    | Annotated[Line, Tag("line")]
    | Annotated[Matrix, Tag("matrix")]
    | Annotated[Grid, Tag("grid")]
    | Annotated[Tree, Tag("tree")]
    | Annotated[Graph, Tag("graph")]
    | Annotated[Repeat, Tag("repeat")]
    | Annotated[Choice, Tag("choice")]
    | Annotated[TestCases, Tag("testcases")],
    Discriminator(_tag),
]

Repeat.model_rebuild()
TestCases.model_rebuild()
