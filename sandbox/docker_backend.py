"""The Docker backend: a warm pool of hardened containers, each running the batch runner.

A batch of tests costs one `docker exec`; inside, the runner forks one process per test, so a
test costs about what a bare `python3` would. Containers carry labels naming their owner
process; whoever starts a pool first removes the containers of owners that are gone, so a
crash or a SIGKILL leaks nothing beyond the next start."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import queue
import random
import secrets
import socket
import struct
import threading
import time
from collections.abc import Iterator, Sequence

from cpagent.problems.model import Limits
from cpagent.sandbox.base import (
    RUNNER_HEADROOM_MB,
    SHM_MB,
    TMPFS_MB,
    Progress,
    ResultReader,
    Sandbox,
    as_jobs,
    build_request,
    classify,
    runner_source,
    wall_limit,
)
from cpagent.sandbox.errors import SandboxUnavailable
from cpagent.sandbox.image import LABEL, find_image
from cpagent.sandbox.model import Execution, Job, Program
from cpagent.sandbox.owner import owner_alive, owner_tag

OWNER = "cpagent.owner"
BOX = "/box"
OOM_FILE = "/sys/fs/cgroup/memory/memory.oom_control"
# Unprivileged uids, one per container: RLIMIT_NPROC counts per uid across the machine, so
# two containers must not share one or a fork bomb in one would starve the other.
UID_RANGE = (200_000, 260_000)
INTERACTOR_UID = 100_000  # added to the container's uid, past the range


@contextlib.contextmanager
def docker_errors(what: str) -> Iterator[None]:
    """Translate the docker SDK's exceptions into our one-line SandboxUnavailable."""
    from docker.errors import DockerException

    try:
        yield
    except DockerException as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SandboxUnavailable(f"{what}: {reason[:300]}") from exc
    except OSError as exc:
        raise SandboxUnavailable(f"{what}: {exc}") from exc


def connect():
    import docker

    with docker_errors("Docker is not reachable"):
        client = docker.from_env(timeout=60)
        client.ping()
    return client


def labelled_containers(client) -> list:
    """Our containers, listed without inspecting each: one may vanish while we list."""
    with docker_errors("cannot list containers"):
        return client.containers.list(all=True, filters={"label": LABEL}, sparse=True)


def reap_stale(client) -> int:
    """Remove sandbox containers whose owner process is gone. Returns how many."""
    removed = 0
    for container in labelled_containers(client):
        if owner_alive((container.attrs.get("Labels") or {}).get(OWNER, "")):
            continue
        with contextlib.suppress(Exception):
            container.remove(force=True)
            removed += 1
    return removed


class _Slot:
    def __init__(self, container, uid: int, memory_mb: int) -> None:
        self.container = container
        self.uid = uid
        self.memory_mb = memory_mb
        self.broken = False  # to be thrown away instead of going back to the pool


class DockerSandbox(Sandbox):
    """A pool of `size` containers. Thread-safe: concurrent `run` calls use different
    containers, and wait when all are busy."""

    name = "docker"

    def __init__(self, *, size: int | None = None, image: str | None = None) -> None:
        self.client = connect()
        if image is None:
            image, self.languages = find_image(self.client)
        self.image = image
        self.size = size or max(1, os.cpu_count() or 1)
        self.owner = owner_tag()
        reap_stale(self.client)
        self._free: queue.Queue[_Slot] = queue.Queue()
        self._all: list[_Slot] = []
        self._reserved = 0
        self._naming: set[str] = set()  # containers being created, by name
        self._lock = threading.Lock()
        self._closed = False
        atexit.register(self.close)

    # -- the pool --------------------------------------------------------------------------

    def _create(self, memory_mb: int) -> _Slot:
        uid = random.randrange(*UID_RANGE)
        total = memory_mb + RUNNER_HEADROOM_MB
        # Named before it exists, then registered, then started: a Ctrl-C at any point
        # leaves it where close() finds it, even while the create call is in flight.
        name = f"cpagent-sandbox-{os.getpid()}-{secrets.token_hex(4)}"
        with self._lock:
            self._naming.add(name)
        with docker_errors("cannot start a sandbox container"):
            container = self.client.containers.create(
                self.image,
                ["sleep", "infinity"],
                name=name,
                init=True,
                user="0",
                network_mode="none",
                read_only=True,
                tmpfs={path: f"rw,noexec,nosuid,nodev,size={mb}m,mode=1777"
                       for path, mb in TMPFS_MB.items()},
                shm_size=f"{SHM_MB}m",
                # SysV and POSIX IPC objects outlive the process that made them: forbid
                # queues and semaphores, and remove shared memory when its users exit.
                sysctls={"kernel.shm_rmid_forced": "1", "kernel.msgmni": "0",
                         "kernel.sem": "0 0 0 0", "fs.mqueue.queues_max": "0"},
                mem_limit=f"{total}m",
                memswap_limit=f"{total}m",
                pids_limit=256,
                nano_cpus=1_000_000_000,
                cap_drop=["ALL"],
                # Only the runner, as root, holds these two, to become the unprivileged uid;
                # the solution runs with an empty capability set.
                cap_add=["SETUID", "SETGID"],
                security_opt=["no-new-privileges"],
                ipc_mode="private",
                hostname="sandbox",
                labels={LABEL: "1", OWNER: self.owner},
                environment={},
            )
            slot = _Slot(container, uid, memory_mb)
            with self._lock:
                self._all.append(slot)
                self._naming.discard(name)
            try:
                container.start()
            except BaseException:
                with self._lock:
                    self._all.remove(slot)
                with contextlib.suppress(Exception):
                    container.remove(force=True)
                raise
        return slot

    @contextlib.contextmanager
    def _slot(self, memory_mb: int) -> Iterator[_Slot]:
        if self._closed:
            raise SandboxUnavailable("the sandbox is closed")
        slot = self._take(memory_mb)
        healthy = False
        try:
            if slot.memory_mb != memory_mb:
                total = memory_mb + RUNNER_HEADROOM_MB
                with docker_errors("cannot resize a sandbox container"):
                    slot.container.update(mem_limit=f"{total}m", memswap_limit=f"{total}m")
                slot.memory_mb = memory_mb
            yield slot
            healthy = not slot.broken
        finally:
            if healthy:
                self._free.put(slot)
            else:
                self._discard(slot)

    def _take(self, memory_mb: int) -> _Slot:
        try:
            return self._free.get_nowait()
        except queue.Empty:
            pass
        with self._lock:  # reserve the place before the slow create, or callers overshoot
            room = self._reserved < self.size
            self._reserved += room
        if not room:
            return self._free.get()
        try:
            return self._create(memory_mb)
        except BaseException:
            with self._lock:
                self._reserved -= 1
            raise

    def _discard(self, slot: _Slot) -> None:
        with self._lock:
            if slot in self._all:
                self._all.remove(slot)
                self._reserved -= 1
        with contextlib.suppress(Exception):
            slot.container.remove(force=True)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            slots, self._all = list(self._all), []
            naming, self._naming = set(self._naming), set()
        for slot in slots:
            with contextlib.suppress(Exception):
                slot.container.remove(force=True)
        for name in naming:
            with contextlib.suppress(Exception):
                self.client.containers.get(name).remove(force=True)
        with contextlib.suppress(Exception):
            self.client.close()  # its connection pool holds the engine's socket open

    # -- running ---------------------------------------------------------------------------

    def run(
        self,
        program: Program,
        jobs: Sequence[Job | str],
        limits: Limits,
        *,
        argv: list[str] | None = None,
        progress: Progress | None = None,
        interaction: dict | None = None,
    ) -> list[Execution]:
        if program.lang not in self.languages:
            raise SandboxUnavailable(f"the image {self.image} has no {program.lang}")
        pending = as_jobs(jobs)
        results: list[Execution] = []
        # A batch that breaks its container (a test that cannot be cleaned up after, or one
        # that got the runner itself killed) goes on in a fresh container.
        for _ in range(len(pending) + 1):
            if not pending:
                return results
            with self._slot(limits.memory_mb + limits.output_mb) as slot:
                done = self._batch(slot, program, pending, limits, argv, progress, len(results),
                                   interaction)
                results += done
                pending = pending[len(done):]
                if pending or slot.broken:
                    slot.broken = True
        raise SandboxUnavailable("the sandbox keeps failing on this batch")

    def _batch(self, slot: _Slot, program: Program, jobs: list[Job], limits: Limits,
               argv: list[str] | None, progress: Progress | None, offset: int,
               interaction: dict | None = None) -> list[Execution]:
        """Run what the container can of `jobs`; the rest is for a fresh container."""
        request = build_request(program, jobs, limits, argv=argv, root=BOX, uid=slot.uid)
        if interaction:
            # The interactor's uid: one of its own, so the solution cannot read its files.
            request.update(interaction=interaction, interactor_uid=slot.uid + INTERACTOR_UID)
        # The host's watchdog: every test at its wall limit, plus room for the runner.
        budget = len(jobs) * (wall_limit(limits) + 1.0) + 30.0
        results: list[Execution] = []
        reader = ResultReader()
        last_oom = -1
        for raw in self._exec_runner(slot, request, budget, reader):
            if "fatal" in raw:
                if not results:
                    raise SandboxUnavailable(f"sandbox runner: {raw['fatal']}")
                slot.broken = True
                return results
            last_oom = raw.get("oom_kills", last_oom)
            execution = classify(raw, limits)
            results.append(execution)
            if progress:
                progress(offset + len(results) - 1, execution)
        if len(results) < len(jobs):
            slot.broken = True
            before = last_oom if results else reader.hello.get("oom_kills", -1)
            if before >= 0 and self._oom_kills(slot) > before:
                # The OOM killer took the runner during this test: the test filled memory
                # no process of its own holds (tmpfs), which is the test's doing.
                results.append(Execution(status="mle", reason="the sandbox ran out of memory "
                                         "during this test"))
                if progress:
                    progress(offset + len(results) - 1, results[-1])
            elif not results:
                raise SandboxUnavailable("the sandbox runner died before the first test")
        return results

    def _oom_kills(self, slot: _Slot) -> int:
        with contextlib.suppress(Exception):
            out = slot.container.exec_run(["cat", OOM_FILE], user="0").output.decode()
            for line in out.splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        return -1

    def _exec_runner(self, slot: _Slot, request: dict, budget: float,
                     reader: ResultReader) -> Iterator[dict]:
        """Start the runner with `docker exec`, send the request on its stdin and yield its
        results as they arrive."""
        api = self.client.api
        cmd = ["python3", "-I", "-S", "-c", runner_source()]
        with docker_errors("cannot run in the sandbox"):
            exec_id = api.exec_create(
                slot.container.id, cmd, stdin=True, stdout=True, stderr=True, user="0"
            )["Id"]
            sock = api.exec_start(exec_id, socket=True)
        raw = getattr(sock, "_sock", sock)
        deadline = time.monotonic() + budget
        try:
            raw.sendall(json.dumps(request).encode())
            raw.shutdown(socket.SHUT_WR)
            for stream, payload in _frames(raw, deadline):
                if stream == 1:
                    yield from reader.feed(payload)
        except TimeoutError as exc:
            slot.broken = True
            raise SandboxUnavailable("the sandbox runner did not finish in time") from exc
        finally:
            # The SocketIO wrapper holds a reference that defers the socket's real close.
            for handle in (sock, raw):
                with contextlib.suppress(OSError):
                    handle.close()


def _frames(sock, deadline: float) -> Iterator[tuple[int, bytes]]:
    """Docker's multiplexed stream: an 8-byte header (stream, 0, 0, 0, big-endian size)."""
    pending = bytearray()
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        sock.settimeout(left)
        chunk = sock.recv(1 << 20)
        if not chunk:
            return
        pending += chunk
        while len(pending) >= 8:
            stream, size = struct.unpack(">BxxxI", pending[:8])
            if len(pending) < 8 + size:
                break
            yield stream, bytes(pending[8 : 8 + size])
            del pending[: 8 + size]
