"""The batch runner. It runs inside the sandbox container (and, for the local backend, on the
host), so it uses only the standard library and never imports cpagent.

It reads one JSON request on stdin -- a program, limits and a list of tests -- and writes one
JSON line per test on stdout as soon as the test is done. Each test runs in a forked child:

- stdin is a memfd holding the input (a regular file, so `os.fstat(0).st_size` works) and
  stdout is another memfd capped by RLIMIT_FSIZE; stderr is a pipe the runner drains,
  keeping only its head, so a stderr flood costs the solution time but no memory;
- the child gets rlimits (CPU, file size, processes, core, open files), volunteers itself to
  the OOM killer, and in "isolate" mode drops to an unprivileged uid of its own, so it can
  neither signal nor trace nor read the runner, which stays root;
- the runner watches a pidfd against a wall-clock deadline, reaps the child with wait4 for
  its rusage, and reads the cgroup's OOM-kill counter before and after, because Docker
  reports an OOM kill only when the container's main process dies.

After every test everything the uid owns is killed and its files are removed, so a
daemonised leftover or a file cannot reach the next test.
"""

from __future__ import annotations

import json
import os
import resource
import select
import shutil
import signal
import sys
import time

STDERR_KEEP = 64 * 1024
PROGRAM_DIR = "prog"
DATA_DIR = "data"
WORK_DIR = "run"
SCRATCH_DIRS = ("/tmp", "/dev/shm", "/var/tmp")
OOM_FILES = ("/sys/fs/cgroup/memory/memory.oom_control", "/sys/fs/cgroup/memory.events")


def oom_kills() -> int:
    """The cgroup's count of OOM kills so far, or -1 where it cannot be read."""
    for path in OOM_FILES:
        try:
            with open(path) as f:
                for line in f:
                    key, _, value = line.partition(" ")
                    if key == "oom_kill":
                        return int(value)
        except OSError:
            continue
    return -1


def write_tree(root: str, files: dict[str, str], mode: int) -> None:
    os.makedirs(root, mode=0o755, exist_ok=True)
    os.chmod(root, 0o755)
    for name, text in files.items():
        path = os.path.join(root, name)
        with open(path, "wb") as f:
            f.write(text.encode("utf-8", "surrogateescape"))
        os.chmod(path, mode)


def memfd(name: str, data: bytes = b"") -> int:
    fd = os.memfd_create(name, 0)
    if data:
        os.write(fd, data)
        os.lseek(fd, 0, os.SEEK_SET)
    return fd


class Box:
    """The directory tree one batch works in, and the identity its programs run as."""

    def __init__(self, root: str, isolate: bool, uid: int) -> None:
        self.root = root
        self.isolate = isolate
        self.uid = uid
        self.prog = os.path.join(root, PROGRAM_DIR)
        self.data = os.path.join(root, DATA_DIR)
        self.work = os.path.join(root, WORK_DIR)

    def drop_privileges(self) -> None:
        if self.isolate:
            os.setgroups([])
            os.setresgid(self.uid, self.uid, self.uid)
            os.setresuid(self.uid, self.uid, self.uid)

    def kill_all(self, pgid: int) -> None:
        """Kill every process the test left behind."""
        if self.isolate:
            self.as_uid(kill_uid)
        else:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except OSError:
                pass

    def cleanup(self, pgid: int) -> None:
        """Kill what the test left running, then remove what it wrote (its work dir and
        anything it owns in the scratch dirs), in one forked child."""
        if self.isolate:
            self.as_uid(lambda: (kill_uid(), remove_owned((self.root, *SCRATCH_DIRS))))
        else:
            self.kill_all(pgid)
            rmtree(self.work)
        if os.path.isdir(self.data):
            shutil.rmtree(self.data, ignore_errors=True)

    def as_uid(self, action) -> None:
        """Run `action` in a child that has become the sandbox uid (no capability needed)."""
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                self.drop_privileges()
                action()
            except BaseException:
                code = 1
            os._exit(code)
        os.waitpid(pid, 0)


def kill_uid() -> None:
    """kill(-1) from the sandbox uid reaches exactly the processes of that uid in this pid
    namespace, never the caller: everything the test started, setsid escapes included.
    Repeat until /proc shows none, as a fork bomb forks while we kill (bounded, because a
    zombie not yet reaped by init still shows)."""
    for _ in range(400):
        os.kill(-1, signal.SIGKILL)
        if not others_alive():
            return
        time.sleep(0.0005)


def others_alive() -> bool:
    me, uid = str(os.getpid()), os.getuid()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and entry != me:
            try:
                if os.stat("/proc/" + entry).st_uid == uid:
                    return True
            except OSError:
                continue
    return False


def remove_owned(bases) -> None:
    for base in bases:
        try:
            names = os.listdir(base)
        except OSError:
            continue
        for name in names:
            path = os.path.join(base, name)
            try:
                if os.lstat(path).st_uid == os.getuid():
                    rmtree(path)
            except OSError:
                pass


def rmtree(path: str) -> None:
    def fix(func, p, _exc):  # a test may have made its files unwritable: make them writable
        try:
            os.chmod(os.path.dirname(p) or ".", 0o700)
            os.chmod(p, 0o700)
            func(p)
        except OSError:
            pass

    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, onerror=fix)
    elif os.path.lexists(path):
        try:
            os.unlink(path)
        except OSError:
            pass


def child(box: Box, argv: list[str], limits: dict, fds: tuple[int, int, int], feedback: bool):
    """In the forked child: limit, drop privileges, wire up stdio, exec. Never returns."""
    try:
        stdin_fd, stdout_fd, stderr_w = fds
        os.setsid()
        # A second past the limit, so that a TLE is measured over the limit, not at it.
        cpu = int(limits["cpu_s"]) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits["output_bytes"], limits["output_bytes"]))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
        stack = limits["memory_bytes"]
        resource.setrlimit(resource.RLIMIT_STACK, (stack, stack))
        if limits.get("address_space_bytes"):
            asb = limits["address_space_bytes"]
            resource.setrlimit(resource.RLIMIT_AS, (asb, asb))
        try:
            with open("/proc/self/oom_score_adj", "w") as f:
                f.write("1000")
        except OSError:
            pass
        box.drop_privileges()
        if box.isolate:
            # Per-uid, and each sandbox has a uid of its own: a fork bomb hits this wall and
            # leaves the runner room to fork its cleanup.
            n = limits["processes"]
            resource.setrlimit(resource.RLIMIT_NPROC, (n, n))
        os.mkdir(box.work, 0o755)
        if feedback:
            os.mkdir(os.path.join(box.work, "feedback"), 0o755)
        os.chdir(box.work)
        os.dup2(stdin_fd, 0)
        os.dup2(stdout_fd, 1)
        os.dup2(stderr_w, 2)
        os.closerange(3, 1 << 16)
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": box.work,
            "TMPDIR": box.work,
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        os.execvpe(argv[0], argv, env)
    except BaseException as exc:  # report the setup failure the only way left: stderr, 127
        try:
            where = exc.__traceback__
            while where.tb_next:
                where = where.tb_next
            line = where.tb_lineno
            os.write(2, f"runner: cannot start program: {exc!r} (runner line {line})\n".encode())
        finally:
            os._exit(127)


def run_one(box: Box, request: dict, test: dict) -> dict:
    limits = request["limits"]
    argv = [a.replace("{prog}", box.prog).replace("{data}", box.data) for a in request["argv"]]
    extra = test.get("args", [])
    argv += [a.replace("{data}", box.data).replace("{work}", box.work) for a in extra]
    if test.get("files"):
        write_tree(box.data, test["files"], 0o444)
    feedback = bool(test.get("feedback_dir"))
    stdin_fd = memfd("stdin", test.get("stdin", "").encode("utf-8", "surrogateescape"))
    stdout_fd = memfd("stdout")
    err_r, err_w = os.pipe()
    oom_before = oom_kills()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(err_r)
        child(box, argv, limits, (stdin_fd, stdout_fd, err_w), feedback)
    os.close(err_w)
    os.close(stdin_fd)
    status, rusage, wall_killed, stderr = watch(box, pid, err_r, start + limits["wall_s"])
    wall = time.monotonic() - start
    fed = read_feedback(os.path.join(box.work, "feedback")) if feedback else None
    box.cleanup(pid)
    stderr += drain(err_r, STDERR_KEEP - len(stderr))
    os.close(err_r)
    result = {
        "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "cpu_s": round(rusage.ru_utime + rusage.ru_stime, 4),
        "wall_s": round(wall, 4),
        "memory_kb": rusage.ru_maxrss,
        "wall_killed": wall_killed,
        "oom_killed": oom_kills() > oom_before >= 0,
        "stderr": stderr[:STDERR_KEEP].decode("utf-8", "replace"),
    }
    size = os.fstat(stdout_fd).st_size
    hit = size >= limits["output_bytes"]
    # Past the limit the output is only evidence: its head is enough and saves a big copy.
    out = os.pread(stdout_fd, STDERR_KEEP if hit else size, 0) if size else b""
    os.close(stdout_fd)
    result["stdout_bytes"] = size
    result["output_limit_hit"] = hit
    result["stdout"] = out.decode("utf-8", "replace")
    if fed is not None:
        result["feedback"] = fed
    return result


def watch(box: Box, pid: int, err_r: int, deadline: float):
    """Drain stderr until the child exits or the deadline passes; return its wait4 result."""
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    stderr = bytearray()
    wall_killed = False
    open_fds = [err_r]
    while True:
        done, status, rusage = try_reap(pid)
        if done:
            break
        left = deadline - time.monotonic()
        if left <= 0:
            wall_killed = True
            box.kill_all(pid)
            _, status, rusage = os.wait4(pid, 0)
            break
        watched = open_fds + ([pidfd] if pidfd is not None else [])
        ready, _, _ = select.select(watched, [], [], min(left, 0.05 if pidfd is None else left))
        if err_r in ready:
            chunk = os.read(err_r, 65536)
            if not chunk:
                open_fds = []
            elif len(stderr) < STDERR_KEEP:
                stderr += chunk
        elif not open_fds and pidfd is None:
            time.sleep(0.001)
    if pidfd is not None:
        os.close(pidfd)
    return status, rusage, wall_killed, stderr


def drain(fd: int, limit: int) -> bytes:
    """What is left in the pipe, without blocking on a writer that escaped the kill."""
    os.set_blocking(fd, False)
    data = bytearray()
    try:
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            if len(data) < limit:
                data += chunk
    except BlockingIOError:
        pass
    return bytes(data[: max(limit, 0)])


def try_reap(pid: int):
    done_pid, status, rusage = os.wait4(pid, os.WNOHANG)
    return done_pid == pid, status, rusage


def read_feedback(path: str) -> dict[str, str]:
    out = {}
    try:
        for name in sorted(os.listdir(path))[:8]:
            with open(os.path.join(path, name), "rb") as f:
                out[name] = f.read(STDERR_KEEP).decode("utf-8", "replace")
    except OSError:
        pass
    return out


def main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    isolate = request.get("isolate", True)
    box = Box(request["root"], isolate, int(request.get("uid", 0)))
    if isolate and os.getuid() != 0:
        print(json.dumps({"fatal": "the runner must start as root to isolate"}), flush=True)
        return 2
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.makedirs(box.root, exist_ok=True)
    if isolate:
        os.chmod(box.root, 0o1777)  # the sandbox uid makes its work dir here
        box.cleanup(0)  # a runner killed half-way may have left processes and files behind
    write_tree(box.prog, request.get("files", {}), 0o444)
    for index, test in enumerate(request["tests"]):
        result = run_one(box, request, test)
        result["index"] = index
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()
    shutil.rmtree(box.prog, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
