"""The documentation: the docs/ site builds under `mkdocs build --strict` (a broken link
between pages, or to a heading, fails it), and README.md stays a short front door that links
to every page."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PAGES = ("index.md", "flow.md", "specs.md", "sandbox.md", "judging.md", "contests.md",
         "training-data.md", "models.md", "reliability.md", "python-api.md", "serve.md",
         "cluster.md")


def test_the_site_builds_strictly(tmp_path):
    # Under CI (CPAGENT_REQUIRE_DOCKER set) the dev extra is installed: a missing mkdocs fails.
    if importlib.util.find_spec("mkdocs") is None and not os.environ.get("CPAGENT_REQUIRE_DOCKER"):
        pytest.importorskip("mkdocs")
    site = tmp_path / "site"
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert built.returncode == 0, built.stderr
    assert (site / "index.html").is_file()


def test_the_readme_is_short_and_links_to_every_page():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 150
    for page in PAGES:
        assert (ROOT / "docs" / page).is_file(), page
        assert f"](docs/{page})" in readme, f"README.md does not link to docs/{page}"
    assert "](benchmarks/results/README.md)" in readme
