"""Recognise a problem source from its path and read it with the matching reader.

(Placeholder: the readers helper replaces this with the real dispatcher.)
"""

from __future__ import annotations

from pathlib import Path

from problems.model import Problem


def load_problem(path: str | Path, *, record: str | None = None) -> Problem:
    raise NotImplementedError
