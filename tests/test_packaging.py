"""cpagent installs under one import name: the wheel holds `cpagent` and nothing else at its
top, the package list in pyproject.toml covers every folder, and no code imports the bare
folder names that belong to everyone (`agent`, `sandbox`, `problems`)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from tests.conftest import ROOT

FOLDERS = {"agent": "cpagent.agent", "sandbox": "cpagent.sandbox", "problems": "cpagent.problems"}
BARE = set(FOLDERS)


def _packages_on_disk() -> set[str]:
    found = {"cpagent"}
    for folder, name in FOLDERS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((name, *parts)))
    return found


def test_pyproject_lists_every_package_folder():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert set(config["packages"]) == _packages_on_disk()
    assert config["package-dir"] == {"cpagent": "cpagent", **{v: k for k, v in FOLDERS.items()}}


def _python_files() -> list[Path]:
    roots = ["cpagent", "agent", "sandbox", "problems", "tests", "benchmarks"]
    library = ROOT / "problems" / "library"
    return [p for r in roots for p in (ROOT / r).rglob("*.py") if library not in p.parents]


def _bare_imports(source: str) -> list[tuple[int, str]]:
    """Each import of a bare folder name in `source`: its line and the module named."""
    hits = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        hits += [(node.lineno, n) for n in names if n.split(".")[0] in BARE]
    return hits


def test_no_module_or_test_imports_a_bare_folder_name():
    files = _python_files()
    assert len(files) > 100  # the walk found the tree
    hits = [(str(p.relative_to(ROOT)), *hit) for p in files for hit in _bare_imports(p.read_text())]
    assert hits == []


def test_the_bare_import_check_sees_a_bare_import():
    source = "import os\nfrom sandbox.judge import judge\nimport problems\nfrom . import agent\n"
    assert _bare_imports(source) == [(2, "sandbox.judge"), (3, "problems")]


def test_the_wheel_holds_cpagent_alone_and_imports_outside_the_checkout(tmp_path):
    # Built from a copy: setuptools leaves build/ in the source tree, and a file deleted
    # since an earlier build would linger there and reach the wheel.
    source = tmp_path / "source"
    for name in ("cpagent", *FOLDERS):
        shutil.copytree(ROOT / name, source / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path / "dist"), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("cpagent-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"cpagent"}
    # the data the code reads by path: prompts, the example library, bundled ratings
    assert "cpagent/agent/prompts/solution.md" in names
    assert "cpagent/sandbox/runner.py" in names
    assert any(n.startswith("cpagent/problems/library/flood-level/data/secret/") for n in names)
    assert "cpagent/agent/rating/percentiles.json" in names

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    # Outside the checkout, with only the wheel's files ahead of the environment's packages.
    probe = "\n".join([
        "import cpagent, cpagent.agent.cli, cpagent.problems, cpagent.sandbox",
        "from cpagent.agent.flow.prompts import PROMPTS",
        f"assert cpagent.__file__.startswith({str(site)!r}), cpagent.__file__",
        "assert (PROMPTS / 'solution.md').is_file()",
        "try:\n    import agent\nexcept ImportError:\n    print('no bare agent')",
    ])
    run = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120, env={"PYTHONPATH": str(site), "PATH": "/usr/bin"})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "no bare agent"
