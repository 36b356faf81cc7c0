"""Where each problem of a run came from and under which license.

`Problem` has no license field, so `cpagent datagen run` reads it while the source files are
at hand (a Kattis package's problem.yaml) and keeps it in the run store, in a table of its
own beside the run's: an export then reads the store alone, reproducibly, even after the
source files have moved. A run made without it (`cpagent contest run`) gets what the stored
problem's `source` string says, and "unknown" otherwise.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import yaml

from cpagent.agent.batch import RunStoreError
from cpagent.agent.datagen.records import ProblemSource
from cpagent.agent.llm.log import Migration, migrate
from cpagent.agent.storage import connect, rollback
from cpagent.problems.formats.codecontests import codeforces_ref
from cpagent.problems.model import Problem

__all__ = ["SourceTable", "describe"]

# The data set's own terms; the statements are the contests' authors'.
CODECONTESTS = "CC BY 4.0 (DeepMind CodeContests)"


def m001_datagen_sources(db: sqlite3.Connection) -> None:
    db.execute("""CREATE TABLE datagen_sources (
        run TEXT NOT NULL, id TEXT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (run, id))""")


MIGRATIONS: list[Migration] = [m001_datagen_sources]


def describe(problem: Problem, *, read_files: bool = True) -> ProblemSource:
    """The problem's origin and license: from its Kattis problem.yaml when `read_files`,
    else only from what its `source` string shows."""
    found = _from_kattis(problem) if read_files else None
    if found is not None:
        return found
    if "livecodebench" in problem.tags:
        # The statements are the platforms'; LiveCodeBench's terms are its own to state.
        origin = " ".join(["LiveCodeBench", *problem.tags[1:2], problem.id])
        return ProblemSource(id=problem.id, source=problem.source, origin=origin,
                             rights_owner="the contest's authors")
    if ".jsonl#" in problem.source:
        ref = codeforces_ref(problem.id)
        origin = f"Codeforces {ref[0]}{ref[1]}" if ref else "CodeContests"
        return ProblemSource(id=problem.id, source=problem.source, origin=origin,
                             license=CODECONTESTS, rights_owner="the contest's authors")
    return ProblemSource(id=problem.id, source=problem.source)


def _from_kattis(problem: Problem) -> ProblemSource | None:
    meta = Path(problem.source) / "problem.yaml"
    try:
        data = yaml.safe_load(meta.read_text(encoding="utf-8")) if meta.is_file() else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # the package was readable when loaded; a license is a nicety
    if not isinstance(data, dict):
        return None
    return ProblemSource(id=problem.id, source=problem.source,
                         origin=str(data.get("source") or ""),
                         license=str(data.get("license") or "unknown"),
                         rights_owner=str(data.get("rights_owner") or ""))


class SourceTable:
    """The `datagen_sources` table of a run store."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        try:
            self._db = connect(self.path)
            migrate(self._db, MIGRATIONS)
        except (sqlite3.Error, OSError) as exc:
            raise RunStoreError(f"cannot open the run store {self.path}: {exc}") from exc

    def __enter__(self) -> SourceTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self._db.close()

    def keep(self, run: str, sources: list[ProblemSource]) -> None:
        """Store each problem's source once: a resumed run keeps what its first start saw."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                "INSERT OR IGNORE INTO datagen_sources VALUES (?, ?, ?)",
                [(run, s.id, s.model_dump_json()) for s in sources])
            self._db.execute("COMMIT")
        except BaseException:
            rollback(self._db)
            raise

    def of(self, run: str) -> dict[str, ProblemSource]:
        rows = self._db.execute("SELECT id, source FROM datagen_sources WHERE run = ?", (run,))
        return {r["id"]: ProblemSource.model_validate_json(r["source"]) for r in rows}
