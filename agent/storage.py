"""Where cpagent keeps its SQLite files, and how it opens them: the call log and the run
store share these rules."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

__all__ = ["connect", "data_home"]


def data_home() -> Path:
    """$CPAGENT_HOME, else $XDG_DATA_HOME/cpagent (~/.local/share/cpagent by default)."""
    if os.environ.get("CPAGENT_HOME"):
        return Path(os.environ["CPAGENT_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "cpagent"


def connect(path: str) -> sqlite3.Connection:
    """One connection for many threads (callers hold a lock around it). isolation_level=None:
    callers say BEGIN themselves, so migrations' DDL is transactional. WAL: readers (a report,
    `cpagent contest list`) never block a batch's writers."""
    if path != ":memory:":
        Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    if path != ":memory:":
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA busy_timeout=30000")
    return db
