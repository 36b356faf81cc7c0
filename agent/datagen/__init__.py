"""Training data from batch runs: every attempt with its label and provenance, SFT records,
preference pairs, and generated test suites, exported from the run store and the call log
alone, so that an export is reproducible and needs no model.

    store = RunStore(default_store_path())
    export_run(store, "cc-a-k4", Path("out"), ExportOptions(), calls=log.get,
               open_box=lambda: open_sandbox("docker"))
"""

from cpagent.agent.datagen.export import ExportOptions, decontaminate, export_run
from cpagent.agent.datagen.records import (
    Datasheet,
    PreferenceRecord,
    SftRecord,
    SftSource,
    SuiteManifest,
    TrajectoryRecord,
)
from cpagent.agent.datagen.sources import SourceTable, describe

__all__ = [
    "Datasheet",
    "ExportOptions",
    "PreferenceRecord",
    "SftRecord",
    "SftSource",
    "SourceTable",
    "SuiteManifest",
    "TrajectoryRecord",
    "decontaminate",
    "describe",
    "export_run",
]
