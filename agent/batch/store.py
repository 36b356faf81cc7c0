"""Batch runs in SQLite: what a run is, which problems it covers, every attempt and its
outcome. A run survives its process: an attempt is committed the moment it ends, and an
attempt that was running when the process died goes back to pending on the next start.

The problems are stored whole (statement, tests, rating) when the run is created, once per
distinct content however many runs share them, so reports and exports read the store
alone: they are reproducible without the source files and without a model.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import lzma
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cpagent.agent.flow.options import FlowOptions
from cpagent.agent.llm.log import Migration, migrate
from cpagent.agent.paths import check_run_name
from cpagent.agent.storage import (
    NotADatabase,
    connect,
    connect_read_only,
    data_home,
    pending_migrations,
    rollback,
)
from cpagent.problems.model import Problem
from cpagent.sandbox.owner import owner_alive, owner_tag

__all__ = ["AttemptRecord", "RunSpec", "RunStore", "RunStoreError", "default_store_path"]

State = Literal["pending", "running", "done", "error"]
PACK_PRESET = 6
MIGRATIONS: list[Migration] = []


def _migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


@_migration
def m001_runs(db: sqlite3.Connection) -> None:
    db.execute("""CREATE TABLE runs (
        name TEXT PRIMARY KEY, kind TEXT NOT NULL, created TEXT NOT NULL, spec TEXT NOT NULL)""")
    db.execute("""CREATE TABLE problems (
        run TEXT NOT NULL, position INTEGER NOT NULL, id TEXT NOT NULL, problem TEXT NOT NULL,
        PRIMARY KEY (run, id))""")
    db.execute("""CREATE TABLE attempts (
        run TEXT NOT NULL, problem TEXT NOT NULL, attempt INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending', starts INTEGER NOT NULL DEFAULT 0,
        started TEXT, finished TEXT, result TEXT, error TEXT,
        PRIMARY KEY (run, problem, attempt))""")


@_migration
def m002_leases(db: sqlite3.Connection) -> None:
    # Who runs a run now: one process at a time (RunStore.owning).
    db.execute("CREATE TABLE leases (run TEXT PRIMARY KEY, owner TEXT NOT NULL, "
               "since TEXT NOT NULL)")


@_migration
def m003_problem_texts_once(db: sqlite3.Connection) -> None:
    # A problem set is stored once, by content, however many runs use it: a run keeps
    # only its problems' ids and hashes (a library run was a 31 MB copy of the set).
    db.execute("CREATE TABLE problem_texts (hash TEXT PRIMARY KEY, problem TEXT NOT NULL)")
    db.execute("ALTER TABLE problems ADD COLUMN hash TEXT")
    rows = db.execute("SELECT run, id, problem FROM problems").fetchall()
    for run, problem_id, text in rows:
        db.execute("INSERT OR IGNORE INTO problem_texts VALUES (?, ?)", (_hash(text), text))
        db.execute("UPDATE problems SET hash = ?, problem = '' WHERE run = ? AND id = ?",
                   (_hash(text), run, problem_id))


@_migration
def m004_packed_problem_texts(db: sqlite3.Connection) -> None:
    # Tests are most of a problem's text, and numbers in decimal pack about 3:1; packed,
    # 8 library runs fit in a third of the space (benchmarks/results/store-size.txt).
    db.execute("ALTER TABLE problem_texts ADD COLUMN packed BLOB")
    rows = db.execute("SELECT hash, problem FROM problem_texts").fetchall()
    for digest, text in rows:
        db.execute("UPDATE problem_texts SET problem = '', packed = ? WHERE hash = ?",
                   (_pack(text), digest))


def _pack(text: str) -> bytes:
    return lzma.compress(text.encode("utf-8"), preset=PACK_PRESET)


def _unpack(packed: bytes | None, text: str) -> str:
    """A problem's JSON: packed since m004, as text before it."""
    return text if packed is None else lzma.decompress(packed).decode("utf-8")


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _comparable(spec: RunSpec) -> dict[str, Any]:
    """What must match for a resume. A flow option added after a run was made is read as
    its default there: the run was made with the behaviour that default keeps."""
    values = spec.model_dump(exclude={"version", "source"})
    values["flow"] = {**FlowOptions().model_dump(exclude={"attempt", "siblings"}),
                      **values["flow"]}
    return values


class RunStoreError(Exception):
    """A run that cannot be created, found or resumed as asked: one line for the user."""


class RunSpec(BaseModel):
    """Everything that decides a run's results; a resumed run must ask for the same."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["contest", "datagen"] = "contest"
    model: str
    flow: dict[str, Any] = Field(description="FlowOptions, minus the attempt number")
    samples: int = Field(1, ge=1, description="independent attempts per problem")
    source: str = ""
    version: str = ""


class AttemptRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    problem: str
    attempt: int
    state: State
    starts: int
    started: str | None = None
    finished: str | None = None
    result: dict[str, Any] | None = None
    error: str | None = None


def default_store_path() -> Path:
    return data_home() / "runs.db"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class RunStore:
    """One connection behind a lock, shared by a batch's worker threads."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        """Open (and create or upgrade) the store at `path`; with `read_only`, open an
        existing store without writing anything, for commands that only read."""
        self.path = str(path)
        self._lock = threading.RLock()
        try:
            if read_only:
                self._db = connect_read_only(self.path, "runs", "run store")
                behind = pending_migrations(self._db, [m.__name__ for m in MIGRATIONS])
                if behind:
                    self._db.close()
                    raise RunStoreError(f"the run store {self.path} predates this cpagent "
                                        f"({behind[0]} not applied): a writing command such "
                                        "as `contest run` upgrades it")
            else:
                self._db = connect(self.path)
                migrate(self._db, MIGRATIONS)
        except NotADatabase as exc:
            raise RunStoreError(str(exc)) from None
        except (sqlite3.Error, OSError) as exc:
            raise RunStoreError(f"cannot open the run store {self.path}: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, sql: str, params: tuple = ()) -> None:
        with self._lock:
            self._db.execute(sql, params)

    # -- ownership -----------------------------------------------------------------------

    @contextlib.contextmanager
    def owning(self, name: str) -> Iterator[None]:
        """Hold run `name` for this process until the block ends. A second process gets a
        RunStoreError at once; a lease whose holder died (killed, crashed) is taken over at
        once, so a resume never waits."""
        me = owner_tag()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT owner, since FROM leases WHERE run = ?",
                                       (name,)).fetchone()
                if row is not None and row["owner"] != me and owner_alive(row["owner"]):
                    pid = row["owner"].split(":")[1]
                    raise RunStoreError(f"run {name} is being run by process {pid} (since "
                                        f"{row['since']}): wait for it, or stop it first")
                self._db.execute("INSERT OR REPLACE INTO leases VALUES (?, ?, ?)",
                                 (name, me, _now()))
                self._db.execute("COMMIT")
            except BaseException:
                rollback(self._db)
                raise
        try:
            yield
        finally:
            with self._lock, contextlib.suppress(sqlite3.Error):
                self._db.execute("DELETE FROM leases WHERE run = ? AND owner = ?", (name, me))

    # -- runs ----------------------------------------------------------------------------

    def create_or_resume(self, name: str, spec: RunSpec, problems: list[Problem]) -> bool:
        """Create run `name`, or check that the existing one asked for the same; True when it
        already existed. Attempts left `running` by a dead process go back to `pending`."""
        try:
            check_run_name(name)
        except ValueError as exc:
            raise RunStoreError(str(exc)) from None
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                existed = self._check_same(name, spec, problems)
                if not existed:
                    self._insert(name, spec, problems)
                self._db.execute("UPDATE attempts SET state = 'pending' WHERE run = ? AND "
                                 "state = 'running'", (name,))
                self._db.execute("COMMIT")
            except BaseException:
                rollback(self._db)
                raise
        return existed

    def _check_same(self, name: str, spec: RunSpec, problems: list[Problem]) -> bool:
        row = self._db.execute("SELECT spec FROM runs WHERE name = ?", (name,)).fetchone()
        if row is None:
            return False
        stored = RunSpec.model_validate_json(row["spec"])
        if _comparable(stored) != _comparable(spec):
            raise RunStoreError(f"run {name!r} exists with other settings (model "
                                f"{stored.model}, flow {stored.flow.get('flow')}, samples "
                                f"{stored.samples}): resume it with those, or pick another --run")
        ids = [r["id"] for r in self._db.execute(
            "SELECT id FROM problems WHERE run = ? ORDER BY position", (name,))]
        if ids != [p.id for p in problems]:
            raise RunStoreError(f"run {name!r} exists with another problem set ({len(ids)} "
                                "problems): pick another --run")
        return True

    def _insert(self, name: str, spec: RunSpec, problems: list[Problem]) -> None:
        self._db.execute("INSERT INTO runs VALUES (?, ?, ?, ?)",
                         (name, spec.kind, _now(), spec.model_dump_json()))
        for position, problem in enumerate(problems):
            self._db.execute("INSERT INTO problems VALUES (?, ?, ?, '', ?)",
                             (name, position, problem.id, self._keep_text(problem)))
            for attempt in range(spec.samples):
                self._db.execute("INSERT INTO attempts (run, problem, attempt) VALUES (?, ?, ?)",
                                 (name, problem.id, attempt))

    def _keep_text(self, problem: Problem) -> str:
        """Store the problem's JSON once; its hash is what a run refers to."""
        text = problem.model_dump_json()
        digest = _hash(text)
        known = self._db.execute("SELECT 1 FROM problem_texts WHERE hash = ?",
                                 (digest,)).fetchone()
        if known is None:  # packing is the slow part: only for content not yet stored
            self._db.execute("INSERT INTO problem_texts VALUES (?, '', ?)",
                             (digest, _pack(text)))
        return digest

    def runs(self) -> list[tuple[str, str, RunSpec]]:
        with self._lock:
            rows = self._db.execute("SELECT name, created, spec FROM runs ORDER BY created")
            return [(r["name"], r["created"], RunSpec.model_validate_json(r["spec"]))
                    for r in rows]

    def spec(self, name: str) -> RunSpec:
        with self._lock:
            row = self._db.execute("SELECT spec FROM runs WHERE name = ?", (name,)).fetchone()
        if row is None:
            known = ", ".join(n for n, _, _ in self.runs()) or "none yet"
            raise RunStoreError(f"no run named {name!r} in {self.path} (runs: {known})")
        return RunSpec.model_validate_json(row["spec"])

    def problems(self, name: str) -> list[Problem]:
        with self._lock:
            rows = self._db.execute(
                "SELECT t.problem, t.packed FROM problems p JOIN problem_texts t "
                "ON t.hash = p.hash WHERE p.run = ? ORDER BY p.position", (name,)).fetchall()
        return [Problem.model_validate_json(_unpack(r["packed"], r["problem"])) for r in rows]

    def set_ratings(self, name: str, problems: list[Problem]) -> None:
        """Store ratings attached after the run was made (the rest of each problem stays)."""
        with self._lock:
            for problem in problems:
                self._db.execute("UPDATE problems SET hash = ? WHERE run = ? AND id = ?",
                                 (self._keep_text(problem), name, problem.id))

    # -- attempts ------------------------------------------------------------------------

    def pending(self, name: str) -> list[tuple[str, int]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT a.problem, a.attempt FROM attempts a JOIN problems p ON p.run = a.run "
                "AND p.id = a.problem WHERE a.run = ? AND a.state = 'pending' "
                "ORDER BY a.attempt, p.position", (name,)).fetchall()
        return [(r["problem"], r["attempt"]) for r in rows]

    def start(self, name: str, problem: str, attempt: int) -> None:
        self._write("UPDATE attempts SET state = 'running', starts = starts + 1, started = ? "
                    "WHERE run = ? AND problem = ? AND attempt = ?",
                    (_now(), name, problem, attempt))

    def finish(self, name: str, problem: str, attempt: int, result: dict[str, Any]) -> None:
        self._write("UPDATE attempts SET state = 'done', finished = ?, result = ?, error = NULL "
                    "WHERE run = ? AND problem = ? AND attempt = ?",
                    (_now(), json.dumps(result), name, problem, attempt))

    def fail(self, name: str, problem: str, attempt: int, error: str) -> None:
        self._write("UPDATE attempts SET state = 'error', finished = ?, error = ? "
                    "WHERE run = ? AND problem = ? AND attempt = ?",
                    (_now(), error, name, problem, attempt))

    def release(self, name: str, problem: str, attempt: int) -> None:
        """Back to pending: the attempt was interrupted, not decided."""
        self._write("UPDATE attempts SET state = 'pending' WHERE run = ? AND problem = ? AND "
                    "attempt = ? AND state = 'running'", (name, problem, attempt))

    def attempts(self, name: str) -> list[AttemptRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT a.* FROM attempts a JOIN problems p ON p.run = a.run AND p.id = "
                "a.problem WHERE a.run = ? ORDER BY p.position, a.attempt", (name,)).fetchall()
        return [AttemptRecord(problem=r["problem"], attempt=r["attempt"], state=r["state"],
                              starts=r["starts"], started=r["started"], finished=r["finished"],
                              result=json.loads(r["result"]) if r["result"] else None,
                              error=r["error"]) for r in rows]

    def iter_done(self, name: str) -> Iterator[AttemptRecord]:
        yield from (a for a in self.attempts(name) if a.state == "done")

