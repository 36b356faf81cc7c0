"""Batch runs: many attempts over a problem set, concurrent, stored in SQLite as they end,
resumable after a crash or kill.

    store = RunStore(default_store_path())
    store.create_or_resume("cc-ab", spec, problems)
    execute(store, "cc-ab", problems, client, sandbox, options, workers=2)
"""

from cpagent.agent.batch.execute import BatchProgress, attempt_result, execute
from cpagent.agent.batch.store import (
    AttemptRecord,
    RunSpec,
    RunStore,
    RunStoreError,
    default_store_path,
)

__all__ = [
    "AttemptRecord",
    "BatchProgress",
    "RunSpec",
    "RunStore",
    "RunStoreError",
    "attempt_result",
    "default_store_path",
    "execute",
]
