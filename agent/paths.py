"""Names from outside that become paths, and outputs checked before the work that fills them.

Problem ids and titles come from strangers (datasets, Competitive Companion, shared
packages): `../../x` or `/etc/x` must never become a place we write. Every name that becomes
a file name goes through `safe_file_name`; run names, which users choose and see, must
already be plain (`check_run_name`) rather than be silently changed.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

__all__ = ["MAX_NAME", "check_output_dir", "check_output_file", "check_run_name",
           "read_source", "safe_file_name"]

MAX_NAME = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_DOTS = re.compile(r"\.{2,}")
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def safe_file_name(name: str, *, max_len: int = MAX_NAME) -> str:
    """`name` as one path component: letters, digits, `_`, `.`, `-`, not starting with a dot,
    at most `max_len` characters. A name that had to change gets a short hash of the
    original, so two names that clean up alike (`a/b`, `a?b`) still differ."""
    cleaned = _UNSAFE.sub("_", _DOTS.sub("_", name)).strip("._-")
    if cleaned == name and cleaned and len(cleaned) <= max_len:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    stem = cleaned[: max_len - len(digest) - 1].rstrip("_.-") or "_"
    return f"{stem}-{digest}"


def check_run_name(name: str) -> str:
    """`name` if it is a plain name, else ValueError in one line: a run name becomes a
    folder (its report) and a key, so it is refused rather than changed behind the user."""
    if len(name) > MAX_NAME or not _PLAIN.fullmatch(name) or ".." in name:
        raise ValueError(f"run name {name!r} is not a plain name: use letters, digits, '.', "
                         f"'_' and '-', starting with a letter or digit, at most {MAX_NAME}")
    return name


def check_output_file(path: Path, what: str = "--out") -> Path:
    """Refuse, before any work, an output file that could not be written: a folder, a
    missing or read-only folder, or a place the user cannot write."""
    if path.is_dir():
        raise ValueError(f"{what} {path} is a folder, not a file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ValueError(f"{what} {path}: no folder {parent}")
    if path.exists() and not os.access(path, os.W_OK):
        raise ValueError(f"{what} {path} is not writable")
    _probe(parent, f"{what} {path}")
    return path


def _probe(folder: Path, what: str) -> None:
    """Write and remove a file in `folder`: permissions alone do not tell (root may write
    anywhere os.access allows, yet not on a read-only mount or under /proc)."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".cpagent-probe-"):
            pass
    except OSError as exc:
        raise ValueError(f"{what}: cannot write in {folder}: {exc.strerror or exc}") from None


def check_output_dir(path: Path, what: str = "--out") -> Path:
    """Refuse, before any work, an output folder that is a file or lies under one, or that
    cannot be created or written."""
    existing = path
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise ValueError(f"{what} {path}: {existing} is a file, not a folder")
    _probe(existing, f"{what} {path}")
    return path


def read_source(path: Path, what: str = "program") -> str:
    """A program's text, or ValueError naming the file when it cannot be read as UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: the {what} is not UTF-8 text (byte {exc.start}: "
                         f"{exc.object[exc.start:exc.start + 1]!r})") from None
