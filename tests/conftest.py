"""Shared fixtures. The Docker sandbox is real: tests that need it skip on machines without
Docker, except under CI (CPAGENT_REQUIRE_DOCKER=1), where a missing engine is a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cpagent.sandbox import SandboxUnavailable, open_sandbox

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
LIBRARY = ROOT / "problems" / "library"
FIXTURES = Path(__file__).parent / "fixtures"

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


def cpagent(*args: object, env: dict | None = None, cwd: Path = ROOT,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """The command line as a user runs it: a separate process, its exit code and output."""
    return subprocess.run(
        [sys.executable, "-m", "cpagent", *map(str, args)], capture_output=True, text=True,
        cwd=cwd, env={**os.environ, **(env or {})}, timeout=timeout,
    )


def assert_one_line_error(done: subprocess.CompletedProcess, fragment: str) -> None:
    """Bad input: exit code 2 and one line saying why, never a traceback."""
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert fragment in lines[0], lines[0]


def mount_tmpfs(folder: Path, size: str) -> None:
    """Mount a tmpfs of `size` on `folder` (created), or skip: it needs root. For the tests
    of full disks and read-only mounts; the caller unmounts."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}",
                                            "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("mounting a tmpfs needs root")
