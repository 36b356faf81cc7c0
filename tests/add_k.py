"""A problem set for batch tests: "Add K" for K = 0, 1, ..., each a statement file with two
samples, and the program an emulated model answers for it (read K off the prompt)."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["answer", "k_of", "write_set"]


def _statement(k: int) -> str:
    samples = "".join(f"### Input {i}\n\n```\n{a}\n```\n\n### Output {i}\n\n```\n{a + k}\n```\n\n"
                      for i, a in ((1, 5), (2, -4)))
    return (f"# Add {k}\n\nTime limit: 1 second\nMemory limit: 64 MB\n\nGiven an integer a, "
            f"print a + {k}.\n\n## Input\n\nOne integer a.\n\n## Output\n\nOne integer.\n\n"
            f"## Examples\n\n{samples}")


def write_set(folder: Path, count: int) -> list[Path]:
    """`count` statement files in `folder` (created), in order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(count):
        path = folder / f"add{k:02d}.md"
        path.write_text(_statement(k))
        paths.append(path)
    return paths


def k_of(request: dict) -> int:
    return int(re.search(r"Add (\d+)", request["messages"][-1]["content"]).group(1))


def answer(request: dict) -> str:
    return f"```python\nprint(int(input()) + {k_of(request)})\n```\n"
