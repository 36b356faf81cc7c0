"""The committed results: their SQLite files stay within the size budget that
benchmarks/results/README.md states, and the README names every file it keeps."""

from __future__ import annotations

import re

from tests.conftest import ROOT

RESULTS = ROOT / "benchmarks" / "results"
BUDGET_MB = {"calls.db": 26, "runs.db": 6}
TOTAL_MB = 32


def test_committed_sqlite_stays_within_its_budget():
    sizes = {p.name: p.stat().st_size / 1e6 for p in RESULTS.glob("*.db")}
    assert set(sizes) == set(BUDGET_MB), sizes
    for name, mb in sizes.items():
        assert mb < BUDGET_MB[name], f"{name} is {mb:.1f} MB, its budget {BUDGET_MB[name]} MB"
    assert sum(sizes.values()) < TOTAL_MB
    readme = (RESULTS / "README.md").read_text()
    assert re.search(rf"under\s+{TOTAL_MB}\s+MB\s+together", readme)
    for name, mb in BUDGET_MB.items():
        assert re.search(rf"`{re.escape(name)}`\s+under\s+{mb}\s+MB", readme), name
