"""Getting a program out of a model's reply. Small models fence code in every way there is,
or not at all; we take what compiles."""

from __future__ import annotations

import ast
import re

FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)


def _compiles(source: str) -> bool:
    try:
        ast.parse(source)  # parsing runs nothing: safe on the host
    except (SyntaxError, ValueError):
        return False
    return True


def extract_code(reply: str) -> str | None:
    """The best Python program in `reply`: the last fenced block tagged python that parses,
    else the longest fenced block that parses, else the whole reply if it parses."""
    blocks = [(lang.lower(), body.strip("\n")) for lang, body in FENCE.findall(reply)]
    tagged = [b for lang, b in blocks if lang in ("python", "python3", "py") and _compiles(b)]
    if tagged:
        return tagged[-1] + "\n"
    parsing = [b for _, b in blocks if b.strip() and _compiles(b)]
    if parsing:
        return max(parsing, key=len) + "\n"
    text = reply.strip()
    if text and _compiles(text) and _looks_like_code(text):
        return text + "\n"
    return None


def _looks_like_code(text: str) -> bool:
    # Prose can parse as Python ("Hello" is an expression); a program reads its input.
    return any(word in text for word in ("input(", "stdin", "print(", "sys."))


def prepend(code: str, text: str) -> str:
    """`text` on top of `code`, after a shebang, coding line or `from __future__` import,
    which must stay first."""
    lines = code.splitlines(keepends=True)
    head = 0
    while head < len(lines) and (lines[head].startswith(("#!", "from __future__"))
                                 or lines[head].startswith("#") and "coding" in lines[head]):
        head += 1
    return "".join(lines[:head]) + text + "".join(lines[head:])
