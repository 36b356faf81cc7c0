"""The public API: `import cpagent` offers every documented name, loads no layer before it
is used, and the examples of docs/python-api.md run as written, in order."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

import cpagent
from cpagent.agent.local import is_present, llama_cpp_available
from tests.conftest import ROOT

PAGE = ROOT / "docs" / "python-api.md"


def test_every_public_name_resolves_and_is_documented():
    assert cpagent.__all__ == sorted(cpagent.__all__)
    for name in cpagent.__all__:
        value = getattr(cpagent, name)
        assert (value.__doc__ or "").strip(), f"cpagent.{name} has no docstring"
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = cpagent.nope


def test_importing_cpagent_loads_no_layer_until_a_name_is_used():
    probe = ("import sys, cpagent\n"
             "print(sorted({m.split('.')[1] for m in sys.modules if m.startswith('cpagent.')}))\n"
             "cpagent.load_problem\n"
             "print(sorted({m.split('.')[1] for m in sys.modules if m.startswith('cpagent.')}))\n")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    before, after = run.stdout.splitlines()
    assert before == "[]" and after == "['problems']"  # the problems layer alone


@pytest.mark.docker
@pytest.mark.model
def test_the_api_pages_examples_run_in_order(monkeypatch):
    if not (llama_cpp_available() and is_present()):  # the solving example needs a model
        if os.environ.get("CPAGENT_REQUIRE_MODEL"):
            pytest.fail("the embedded model is absent (cpagent model pull)")
        pytest.skip("the embedded model or llama-cpp-python is absent")
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.DOTALL)
    assert len(blocks) >= 6
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    for number, block in enumerate(blocks, 1):
        exec(compile(block, f"{PAGE.name} example {number}", "exec"), namespace)  # noqa: S102
    assert namespace["result"].trajectory.calls >= 1
