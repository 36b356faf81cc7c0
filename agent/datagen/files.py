"""Writing an export's files so that a kill never leaves half of one: each is written beside
its place under a fixed temporary name, then renamed over it (atomic on POSIX)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

__all__ = ["LEFTOVERS", "clear_leftovers", "write_atomic", "write_jsonl"]

TMP = ".tmp"
# What a killed export may leave behind: our temporary files and half-built suites.
LEFTOVERS = ("*" + TMP, "tests/.partial-*", "tests/.old-*")


def write_atomic(path: Path, text: str) -> None:
    partial = path.with_name(path.name + TMP)
    with open(partial, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, path)


def write_jsonl(path: Path, records: Iterable[BaseModel]) -> int:
    lines = [r.model_dump_json() + "\n" for r in records]
    write_atomic(path, "".join(lines))
    return len(lines)


def clear_leftovers(out: Path) -> None:
    for pattern in LEFTOVERS:
        for path in out.glob(pattern):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
