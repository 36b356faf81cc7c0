"""An InputSpec as Python source that reads it: a program's first lines, written for it.

A small model gets the logic of a problem wrong often, but it also loses many programs
before the logic starts: unpacking three values from a line of two, `int()` of a word,
reading one line too many.  The spec already knows the layout (and is checked against the
samples), so it can write that part, the way template generators for contest sites do.

The reader splits all of stdin into tokens once and takes them in order, so it does not
depend on line breaks.  Every named value becomes a variable
of that name; a `repeat` is a list of tuples, a `testcases` block a loop whose body ends
where one case is to be solved.  Names come from the spec (checked against
`^[A-Za-z_][A-Za-z0-9_]*$`, see `problems.spec.model`) and bounds from its parsed
expressions, so the text holds no code the spec did not describe.
"""

from __future__ import annotations

import ast
import builtins
import keyword
from collections.abc import Iterable

from cpagent.problems.spec.expr import Expr
from cpagent.problems.spec.model import (
    Array,
    Choice,
    Graph,
    Grid,
    Int,
    Line,
    Matrix,
    Permutation,
    Real,
    Repeat,
    String,
    TestCases,
    Tree,
)

__all__ = ["reader_code"]

TOKENS = "tokens"
_INDENT = "    "
# A spec may name a value `len`, `sum` or `sys`; shadowing those would break the program.
_RESERVED = frozenset(dir(builtins)) | {TOKENS, "sys"}


def reader_code(elements: Iterable[object]) -> str:
    """The source of a program that reads input laid out as `elements` (an InputSpec's
    `input`) into variables, ending in a comment where the solution goes."""
    writer = _Writer()
    writer.line(0, "import sys")
    writer.line(0, "")
    writer.line(0, f"{TOKENS} = iter(sys.stdin.read().split())")
    writer.block(list(elements), 0, top=True)
    return "\n".join(writer.lines) + "\n"


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.sequences: set[str] = set()  # arrays and strings: a bound naming one means len()
        self.renamed: dict[str, str] = {}  # a spec's name that would shadow Python's

    def line(self, depth: int, text: str) -> None:
        self.lines.append(f"{_INDENT * depth}{text}" if text else "")

    def block(self, elements: list[object], depth: int, top: bool = False) -> list[str]:
        """Lines reading `elements`; the names they define, in order."""
        names: list[str] = []
        for element in elements:
            names += self.element(element, depth)
        if top and not isinstance(elements[-1], TestCases):
            self.line(depth, "")
            self.line(depth, "# solve here")
        return names

    def element(self, element: object, depth: int) -> list[str]:
        if isinstance(element, Int | Real | String | Array | Permutation):
            return self.inline(element, depth)
        if isinstance(element, Line):
            names: list[str] = []
            for item in element.items:
                names += self.inline(item, depth)
            return names
        if isinstance(element, Matrix):
            cell = self.scalar(element.of)
            rows, cols = self.expr(element.rows), self.expr(element.cols)
            return self.assign(depth, element.name,
                               f"[[{cell} for _ in range({cols})] for _ in range({rows})]")
        if isinstance(element, Grid):
            return self.assign(depth, element.name,
                               f"[next({TOKENS}) for _ in range({self.expr(element.rows)})]",
                               f"{self.expr(element.rows)} strings of {self.expr(element.cols)}"
                               " characters")
        if isinstance(element, Tree):
            return self.tree(element, depth)
        if isinstance(element, Graph):
            return self.edges(depth, element.name, self.expr(element.m), element.weights,
                              f"{element.m} edges (u, v{', w' if element.weights else ''}),"
                              f" nodes numbered from {element.base}")
        if isinstance(element, Repeat):
            return self.repeat(element, depth)
        if isinstance(element, Choice):
            return self.choice(element, depth)
        if isinstance(element, TestCases):
            return self.testcases(element, depth)
        raise TypeError(f"reader: unknown element {type(element).__name__}")

    def inline(self, item: object, depth: int) -> list[str]:
        if isinstance(item, Int | Real | String):
            if item.name is None:
                self.line(depth, f"next({TOKENS})  # a value the statement does not name")
                return []
            if isinstance(item, String):
                self.sequences.add(item.name)
            return self.assign(depth, item.name, self.scalar(item))
        if isinstance(item, Array):
            self.sequences.add(item.name)
            return self.assign(depth, item.name,
                               f"[{self.scalar(item.of)} for _ in range({self.expr(item.length)})]")
        if isinstance(item, Permutation):
            self.sequences.add(item.name)
            return self.assign(depth, item.name,
                               f"[int(next({TOKENS})) for _ in range({self.expr(item.n)})]",
                               f"a permutation of {item.base}..{item.n}" if item.base == 1
                               else f"a permutation of 0..{item.n}-1")
        raise TypeError(f"reader: {type(item).__name__} cannot be part of a line")

    def tree(self, tree: Tree, depth: int) -> list[str]:
        if tree.format == "parents":
            return self.assign(depth, tree.name,
                               f"[int(next({TOKENS})) for _ in range({self.expr(tree.n)} - 1)]",
                               f"parents of nodes {tree.base + 1}..{tree.n}"
                               + ("" if tree.base == 1 else "-1"))
        return self.edges(depth, tree.name, f"{self.expr(tree.n)} - 1", tree.weights,
                          f"a tree: {tree.n}-1 edges (u, v{', w' if tree.weights else ''}),"
                          f" nodes numbered from {tree.base}")

    def edges(self, depth: int, name: str, count: str, weights: object, note: str) -> list[str]:
        parts = [f"int(next({TOKENS}))", f"int(next({TOKENS}))"]
        if weights is not None:
            parts.append(self.scalar(weights))
        return self.assign(depth, name, f"[({', '.join(parts)}) for _ in range({count})]", note)

    def repeat(self, repeat: Repeat, depth: int) -> list[str]:
        target = self.target(repeat.name)
        self.line(depth, f"{target} = []")
        self.line(depth, f"for _ in range({self.expr(repeat.count)}):")
        inner = self.block(repeat.body, depth + 1)
        self.line(depth + 1, f"{target}.append({_tuple(inner)})")
        return [target]

    def choice(self, choice: Choice, depth: int) -> list[str]:
        """The tag, then the option's values; the value is the tuple (tag, values...)."""
        tag = self.target(f"{choice.name}_tag")
        target = self.target(choice.name)
        self.line(depth, f"{tag} = next({TOKENS})")
        for index, option in enumerate(choice.options):
            self.line(depth, f"{'if' if index == 0 else 'elif'} {tag} == {option.tag!r}:")
            inner: list[str] = []
            for item in option.items:
                inner += self.inline(item, depth + 1)
            self.line(depth + 1, f"{target} = ({', '.join([tag, *inner])},)")
        return [target]

    def testcases(self, cases: TestCases, depth: int) -> list[str]:
        count = self.assign(depth, cases.count.name, f"int(next({TOKENS}))",
                            "the number of test cases")
        self.line(depth, f"for _ in range({count[0]}):")
        self.block(cases.body, depth + 1)
        self.line(depth + 1, "# solve this test case here")
        return count

    def assign(self, depth: int, name: str, value: str, note: str = "") -> list[str]:
        target = self.target(name)
        self.line(depth, f"{target} = {value}" + (f"  # {note}" if note else ""))
        return [target]

    def target(self, name: str) -> str:
        if keyword.iskeyword(name) or name in _RESERVED:
            self.renamed[name] = f"{name}_"
        return self.renamed.get(name, name)

    def scalar(self, scalar: object) -> str:
        if isinstance(scalar, Real):
            return f"float(next({TOKENS}))"
        if isinstance(scalar, String):
            return f"next({TOKENS})"
        return f"int(next({TOKENS}))"

    def expr(self, expr: Expr) -> str:
        """A count as Python: an array's or string's name means its length, and `2e5` (a
        float to Python) the integer it stands for."""
        if expr.constant is not None:
            return str(int(expr.constant))
        tree = ast.parse(expr.source, mode="eval")
        return ast.unparse(_Names(self.sequences, self.renamed).visit(tree))


class _Names(ast.NodeTransformer):
    def __init__(self, sequences: set[str], renamed: dict[str, str]) -> None:
        self.sequences = sequences
        self.renamed = renamed

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in ("min", "max"):
            return node
        sequence = node.id in self.sequences
        node = ast.Name(self.renamed.get(node.id, node.id), ast.Load())
        if sequence:
            return ast.Call(func=ast.Name("len", ast.Load()), args=[node], keywords=[])
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, float) and node.value.is_integer():
            return ast.Constant(int(node.value))
        return node


def _tuple(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return f"({', '.join(names)})"
