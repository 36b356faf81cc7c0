"""Every model call, in SQLite: what was asked, what came back, what it cost, what failed.

The log doubles as the replay cache: `lookup(key)` finds the latest successful reply to an
identical request, so a rerun of the same flow costs nothing. The schema grows only through
numbered, append-only migrations (`mNNN_what(db)`), recorded in `_migrations`, as in simonw/llm:
never edit one that has shipped, add the next.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cpagent.agent.storage import (
    NotADatabase,
    connect,
    connect_read_only,
    data_home,
    rollback,
)

from .errors import ModelError
from .messages import Spend, Usage

__all__ = ["MIGRATIONS", "CallLog", "CallRecord", "default_log_path", "migrate"]

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_calls(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE calls (
            id INTEGER PRIMARY KEY,
            created TEXT NOT NULL,
            model TEXT NOT NULL,
            base_url TEXT,
            step TEXT NOT NULL DEFAULT '',
            key TEXT NOT NULL,
            request TEXT NOT NULL,
            reply TEXT,
            reasoning TEXT,
            prompt_tokens INTEGER NOT NULL DEFAULT 0,
            completion_tokens INTEGER NOT NULL DEFAULT 0,
            latency_s REAL NOT NULL DEFAULT 0,
            cost_usd REAL NOT NULL DEFAULT 0,
            error TEXT,
            cached INTEGER NOT NULL DEFAULT 0
        )""")


@migration
def m002_calls_key_index(db: sqlite3.Connection) -> None:
    # lookup() runs before every call: find the latest reply for a key without a scan.
    db.execute("CREATE INDEX calls_key ON calls (key, id)")


@migration
def m003_calls_finish_and_replay(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE calls ADD COLUMN finish_reason TEXT")
    db.execute("ALTER TABLE calls ADD COLUMN usage_estimated INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE calls ADD COLUMN replay_of INTEGER")  # id of the row replayed


@migration
def m004_calls_reasoning_and_cached_tokens(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE calls ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE calls ADD COLUMN cached_tokens INTEGER NOT NULL DEFAULT 0")


def migrate(db: sqlite3.Connection, migrations: list[Migration] | None = None) -> list[str]:
    """Apply the migrations not yet applied, each in its own transaction; return their names.
    BEGIN IMMEDIATE takes the write lock first, so two processes opening a fresh log at once do
    not both run m001."""
    applied: list[str] = []
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied TEXT)")
    for fn in MIGRATIONS if migrations is None else migrations:
        db.execute("BEGIN IMMEDIATE")
        try:
            done = db.execute("SELECT 1 FROM _migrations WHERE name = ?", (fn.__name__,)).fetchone()
            if not done:
                fn(db)
                db.execute("INSERT INTO _migrations VALUES (?, ?)", (fn.__name__, _now()))
                applied.append(fn.__name__)
            db.execute("COMMIT")
        except BaseException:
            rollback(db)
            raise
    return applied


def default_log_path() -> Path:
    return data_home() / "logs.db"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class CallRecord(BaseModel):
    """One row of `calls`."""

    id: int
    created: str
    model: str
    base_url: str | None
    step: str
    key: str
    request: dict[str, Any]
    reply: str | None
    reasoning: str | None
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    cost_usd: float
    error: str | None
    cached: bool
    finish_reason: str | None
    usage_estimated: bool
    replay_of: int | None
    reasoning_tokens: int = 0
    cached_tokens: int = 0

    @property
    def usage(self) -> Usage:
        return Usage(prompt_tokens=self.prompt_tokens, completion_tokens=self.completion_tokens,
                     reasoning_tokens=self.reasoning_tokens, cached_tokens=self.cached_tokens,
                     estimated=self.usage_estimated)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> CallRecord:
        data = dict(row)
        data["request"] = json.loads(data["request"])
        return cls.model_validate(data)


class CallLog:
    """A thread-safe handle on one log database. One connection guarded by a lock: calls are few
    and slow next to a model's latency, and it also works for ":memory:" (a per-thread
    connection would give each thread its own empty in-memory database)."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        """Open (and create or upgrade) the log at `path`; with `read_only`, open an existing
        log without writing anything to it, for commands that only read."""
        self.path = str(path)
        self._lock = threading.RLock()
        try:
            if self.path != ":memory:":
                self.path = str(Path(self.path).expanduser())
            if read_only:
                self._db = connect_read_only(self.path, "calls", "call log")
                self._columns = {row[1] for row in self._db.execute("PRAGMA table_info(calls)")}
            else:
                self._db = connect(self.path)
                migrate(self._db)
                self._columns = set()
        except NotADatabase as exc:
            raise ModelError(str(exc)) from None
        except (sqlite3.Error, OSError) as exc:
            raise ModelError(f"cannot open the call log {self.path}: {exc}") from exc

    def __repr__(self) -> str:
        return f"CallLog({self.path!r})"

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> CallLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrations(self) -> list[str]:
        with self._lock:
            rows = self._db.execute("SELECT name FROM _migrations ORDER BY rowid").fetchall()
        return [row["name"] for row in rows]

    def record(self, *, model: str, base_url: str | None, step: str, key: str,
               request: dict[str, Any], reply: str | None = None, reasoning: str | None = None,
               usage: Usage | None = None, latency_s: float = 0.0, cost_usd: float = 0.0,
               error: str | None = None, cached: bool = False, finish_reason: str | None = None,
               replay_of: int | None = None) -> int:
        usage = usage or Usage()
        with self._lock:
            cursor = self._db.execute(
                """INSERT INTO calls (created, model, base_url, step, key, request, reply,
                       reasoning, prompt_tokens, completion_tokens, latency_s, cost_usd, error,
                       cached, finish_reason, usage_estimated, replay_of, reasoning_tokens,
                       cached_tokens)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (_now(), model, base_url, step, key, json.dumps(request, ensure_ascii=False),
                 reply, reasoning, usage.prompt_tokens, usage.completion_tokens, latency_s,
                 cost_usd, error, int(cached), finish_reason, int(usage.estimated), replay_of,
                 usage.reasoning_tokens, usage.cached_tokens))
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def lookup(self, key: str) -> CallRecord | None:
        """The latest successful reply stored under `key`, or None. An empty reply cut off by
        its budget or a filter is no reply, though logs written before that was a failure
        stored it as one."""
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM calls WHERE key = ? AND error IS NULL AND reply IS NOT NULL"
                " AND NOT (trim(reply) = '' AND finish_reason IN ('length', 'content_filter'))"
                " ORDER BY id DESC LIMIT 1", (key,)).fetchone()
        return CallRecord.from_row(row) if row else None

    def get(self, call_id: int) -> CallRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM calls WHERE id = ?", (call_id,)).fetchone()
        return CallRecord.from_row(row) if row else None

    def recent(self, n: int = 20, *, model: str | None = None, step: str | None = None,
               errors: bool = False, text: str | None = None) -> list[CallRecord]:
        """The last `n` calls, newest first: of one model or step, only failed ones, or only
        those whose request or reply contains `text`."""
        where, args = [], []
        for clause, value in (("model = ?", model), ("step = ?", step)):
            if value is not None:
                where.append(clause)
                args.append(value)
        if errors:
            where.append("error IS NOT NULL")
        if text:
            where.append("(instr(request, ?) > 0 OR instr(COALESCE(reply, ''), ?) > 0)")
            args += [json.dumps(text, ensure_ascii=False)[1:-1], text]
        sql = "SELECT * FROM calls" + (" WHERE " + " AND ".join(where) if where else "")
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, n)).fetchall()
        return [CallRecord.from_row(row) for row in rows]

    def models(self) -> list[str]:
        """Every model the log has a call of, most used first."""
        with self._lock:
            rows = self._db.execute("SELECT model FROM calls GROUP BY model"
                                    " ORDER BY COUNT(*) DESC, model").fetchall()
        return [row["model"] for row in rows]

    def _column(self, name: str) -> str:
        """`name`, or 0 where a log opened read-only predates the migration that added it."""
        return name if not self._columns or name in self._columns else "0"

    def totals(self, model: str | None = None) -> Spend:
        """Sums over the whole log (or one model). Tokens and cost count only requests that were
        actually made; replays are counted apart, as they cost nothing."""
        where, args = ("WHERE model = ?", (model,)) if model else ("", ())
        with self._lock:
            row = self._db.execute(f"""
                SELECT
                  COALESCE(SUM(error IS NULL AND NOT cached), 0) AS calls,
                  COALESCE(SUM(error IS NULL AND cached), 0) AS cached_calls,
                  COALESCE(SUM(CASE WHEN cached THEN 0 ELSE prompt_tokens END), 0)
                      AS prompt_tokens,
                  COALESCE(SUM(CASE WHEN cached THEN 0 ELSE completion_tokens END), 0)
                      AS completion_tokens,
                  COALESCE(SUM(CASE WHEN cached THEN 0 ELSE {self._column("reasoning_tokens")}
                      END), 0) AS reasoning_tokens,
                  COALESCE(SUM(CASE WHEN cached THEN 0 ELSE {self._column("cached_tokens")}
                      END), 0) AS cached_tokens,
                  COALESCE(SUM(CASE WHEN cached THEN 0 ELSE cost_usd END), 0.0) AS cost_usd,
                  COALESCE(SUM(error IS NOT NULL), 0) AS errors
                FROM calls {where}""", args).fetchone()
        return Spend(**dict(row))
