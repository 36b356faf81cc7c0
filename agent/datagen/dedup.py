"""Near-identical attempts. K samples of one model at one problem often write the same
program with other names or comments; trained on, they count one example K times.

The rule: two attempts at the same problem with the same outcome (accepted, or not) are
duplicates when their programs, as token streams without comments, blank lines or
docstrings and with local names renamed in order of first use, are equal or at least
`SIMILAR` alike (difflib's ratio). The earlier attempt is kept; the later one is marked
`duplicate_of` it, stays in trajectories.jsonl, and goes into neither sft.jsonl nor
preferences.jsonl.
"""

from __future__ import annotations

import builtins
import io
import keyword
import tokenize
from difflib import SequenceMatcher

from cpagent.agent.datagen.records import TrajectoryRecord

__all__ = ["RULE", "SIMILAR", "mark_duplicates", "normalise"]

SIMILAR = 0.95
RULE = (f"same problem and outcome, and the programs' token streams (comments, blank lines "
        f"and docstrings dropped, local names renamed by first use) equal or at least "
        f"{SIMILAR:.0%} alike (difflib ratio); the earliest attempt is kept")
_KEEP = frozenset(keyword.kwlist) | frozenset(dir(builtins))
_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
_LINE_START = {tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
_NO_LINE = {tokenize.NEWLINE, tokenize.NL}  # a NEWLINE after these ends no statement
_LAYOUT = {tokenize.NEWLINE: "<newline>", tokenize.INDENT: "<indent>",
           tokenize.DEDENT: "<dedent>"}


def normalise(code: str) -> tuple[str, ...]:
    """The program as tokens that ignore layout, comments and naming."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return tuple(code.split())  # not Python after all: compare words
    names: dict[str, str] = {}
    out: list[str] = []
    previous = tokenize.NEWLINE
    for i, tok in enumerate(tokens):
        if _docstring(tokens, i, previous):
            previous = tokenize.NL  # so that the docstring's NEWLINE goes with it
            continue
        if tok.type in _SKIP or (tok.type == tokenize.NEWLINE and previous in _NO_LINE):
            continue
        previous = tok.type
        out.append(_word(tok, names, after_dot=i > 0 and tokens[i - 1].string == "."))
    return tuple(out)


def _word(tok: tokenize.TokenInfo, names: dict[str, str], *, after_dot: bool) -> str:
    if tok.type in _LAYOUT:
        return _LAYOUT[tok.type]  # an indent is an indent, whatever its width
    if tok.type == tokenize.NAME and tok.string not in _KEEP and not after_dot:
        return names.setdefault(tok.string, f"v{len(names)}")
    return tok.string


def _docstring(tokens: list[tokenize.TokenInfo], i: int, previous: int) -> bool:
    """A string that is a whole statement: it starts a logical line and ends it."""
    if tokens[i].type != tokenize.STRING or previous not in _LINE_START:
        return False
    after = next((t for t in tokens[i + 1:] if t.type not in _SKIP), None)
    return after is None or after.type == tokenize.NEWLINE


def _alike(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < SIMILAR * max(len(a), len(b)):
        return False  # the ratio cannot reach SIMILAR: skip the quadratic part
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= SIMILAR


def mark_duplicates(records: list[TrajectoryRecord]) -> list[TrajectoryRecord]:
    """The records, in order, with `duplicate_of` set by the rule above."""
    kept: dict[tuple[str, bool], list[tuple[str, tuple[str, ...]]]] = {}
    out = []
    for record in records:
        if not record.code:
            out.append(record)
            continue
        tokens = normalise(record.code)
        group = kept.setdefault((record.problem, record.accepted), [])
        twin = next((id_ for id_, other in group if _alike(tokens, other)), None)
        if twin is None:
            group.append((record.id, tokens))
        out.append(record.model_copy(update={"duplicate_of": twin}))
    return out
