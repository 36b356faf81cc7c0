"""Shared fixtures. The Docker sandbox is real: tests that need it skip on machines without
Docker, except under CI (CPAGENT_REQUIRE_DOCKER=1), where a missing engine is a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sandbox import SandboxUnavailable, open_sandbox

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
LIBRARY = ROOT / "problems" / "library"

needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is absent")


@pytest.fixture(scope="session")
def docker_sandbox():
    try:
        box = open_sandbox("docker", size=2)
    except SandboxUnavailable as exc:
        if os.environ.get("CPAGENT_REQUIRE_DOCKER"):
            pytest.fail(f"the Docker sandbox is required here: {exc}")
        pytest.skip(f"no Docker sandbox: {exc}")
    yield box
    box.close()


@pytest.fixture(scope="session")
def local_sandbox():
    with pytest.warns(UserWarning, match="does not isolate"):
        box = open_sandbox("local")
    yield box
    box.close()
