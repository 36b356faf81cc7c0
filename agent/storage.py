"""Where cpagent keeps its SQLite files, and how it opens them: the call log and the run
store share these rules."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

__all__ = ["NotADatabase", "connect", "connect_read_only", "data_home", "pending_migrations",
           "rollback"]


class NotADatabase(ValueError):
    """A file named as a database that is missing, empty or not one of ours."""


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


def connect_read_only(path: str, table: str, what: str) -> sqlite3.Connection:
    """A connection that cannot write, for commands that only read: the file must exist and
    hold `table`; nothing is created, no schema written, and a read-only mount works (a
    database in WAL mode there is opened as immutable, since its -shm file cannot be made)."""
    file = Path(path).expanduser()
    if not file.is_file() or file.stat().st_size == 0:
        raise NotADatabase(f"no {what} at {file}" + (" (the file is empty)" if file.is_file()
                                                     else ""))
    uri = file.resolve().as_uri()
    db = None
    for options in ("mode=ro", "mode=ro&immutable=1"):
        try:
            db = sqlite3.connect(f"{uri}?{options}", uri=True, isolation_level=None,
                                 check_same_thread=False, timeout=30.0)
            db.row_factory = sqlite3.Row
            found = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                               (table,)).fetchone()
            break
        except sqlite3.Error as exc:
            if db is not None:
                db.close()
            db, error = None, exc
    if db is None:
        raise NotADatabase(f"cannot open the {what} {file}: {error}")
    if not found:
        db.close()
        raise NotADatabase(f"{file} is not a {what} (no {table} table)")
    return db


def pending_migrations(db: sqlite3.Connection, names: list[str]) -> list[str]:
    """Which of the migrations `names` a database has not applied."""
    try:
        done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
    except sqlite3.Error:
        done = set()
    return [name for name in names if name not in done]


def rollback(db: sqlite3.Connection) -> None:
    """Undo the open transaction, if SQLite has not already (it rolls back by itself on a
    full disk): a failed ROLLBACK must not hide the error that caused it."""
    if db.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
