"""Hostile programs against the Docker sandbox.

Each test runs one hostile Python program and checks two things: the status the sandbox gives
it, and that the sandbox is healthy afterwards (a tiny good program, run in the same sandbox,
still answers "5"). Where isolation between tests is the point, the hostile program runs in a
batch with a second test -- the same program, asked to "probe" -- that reports what the first
one left behind: processes of the sandbox uid, files in the scratch dirs.

Tests whose program could break or poison a container use a pool of their own (`fresh_box`),
so that a regression there cannot spread to the shared one.
"""

from __future__ import annotations

import json
import textwrap
import threading
import time

import pytest

from cpagent.problems.model import Limits
from cpagent.sandbox import open_sandbox
from cpagent.sandbox.base import RUNNER_HEADROOM_MB
from cpagent.sandbox.model import Execution, Job, Program

pytestmark = pytest.mark.docker

LIMITS = Limits(time_s=1, memory_mb=256)
# For programs that are meant to run out of time: a CPU limit of 0.5 s makes RLIMIT_CPU 1 s
# and the wall limit 3.5 s.
QUICK = Limits(time_s=0.5, memory_mb=256)
GOOD = Program(source="print(sum(map(int, input().split())))")
STDERR_KEEP = 64 * 1024
MB = 1 << 20

# Prepended to every hostile program: stdin is read into DATA, and stdin "probe" makes the
# program report what a previous test may have left behind, instead of attacking.
PRELUDE = '''\
import json, os, sys

def _probe():
    me, uid = os.getpid(), os.getuid()
    procs = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != me:
            try:
                if os.stat("/proc/" + entry).st_uid != uid:
                    continue
                with open("/proc/%s/stat" % entry) as f:
                    procs.append(f.read()[:80])
            except OSError:
                continue
    files = {}
    for d in ("/tmp", "/dev/shm", "/box", "/box/run", "/box/data"):
        try:
            files[d] = sorted(os.listdir(d))
        except OSError as exc:
            files[d] = type(exc).__name__
    ipc = {}
    for kind in ("shm", "msg", "sem"):
        try:
            with open("/proc/sysvipc/" + kind) as f:
                ipc[kind] = len(f.read().strip().splitlines()) - 1
        except OSError:
            ipc[kind] = -1
    try:
        mqueue = sorted(os.listdir("/dev/mqueue"))
    except OSError:
        mqueue = []
    print(json.dumps({"procs": procs, "files": files, "ipc": ipc, "mqueue": mqueue}))

DATA = sys.stdin.read()
if DATA.startswith("probe"):
    _probe()
    sys.exit(0)
'''


def program(body: str) -> Program:
    return Program(source=PRELUDE + textwrap.dedent(body))


def assert_healthy(box) -> None:
    """A tiny good program still gets the right answer in this sandbox."""
    [done] = box.run(GOOD, ["2 3"], LIMITS)
    assert (done.status, done.stdout.strip()) == ("ok", "5"), done


def hostile(box, body: str, jobs, limits: Limits = LIMITS) -> list[Execution]:
    """Run a hostile program, then prove the sandbox still works."""
    results = box.run(program(body), jobs, limits)
    assert len(results) == len(jobs)
    assert_healthy(box)
    return results


def probed(execution: Execution) -> dict:
    assert execution.status == "ok", execution
    return json.loads(execution.stdout)


def assert_clean(execution: Execution, data: tuple[str, ...] = ()) -> dict:
    """The probe found nothing left behind by an earlier test."""
    found = probed(execution)
    assert found["procs"] == [], found
    files = found["files"]
    assert files["/tmp"] == [], files
    assert files["/dev/shm"] == [], files
    assert files["/box/run"] == [], files
    assert files["/box"] == sorted(["prog", "run", *(["data"] if data else [])]), files
    if data:
        assert files["/box/data"] == sorted(data), files
    return found


def output(execution: Execution) -> dict:
    assert execution.status == "ok", execution
    return json.loads(execution.stdout.strip().splitlines()[-1])


@pytest.fixture
def fresh_box(docker_sandbox):
    """A pool of its own, for programs that may break or poison a container."""
    box = open_sandbox("docker", size=1)
    yield box
    box.close()


def run_within(box, body: str, jobs, limits: Limits, seconds: float) -> list[Execution]:
    """Run in a thread; past `seconds`, close the pool (which kills its container) and fail."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["results"] = box.run(program(body), jobs, limits)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    start = time.monotonic()
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        box.close()
        thread.join(30)
        pytest.fail(f"no result after {time.monotonic() - start:.0f}s (allowed {seconds}s)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["results"]


# -- processes -----------------------------------------------------------------------------


def test_fork_bomb(docker_sandbox):
    body = """
    while True:
        try:
            os.fork()
        except OSError:
            pass
    """
    bomb, after = hostile(docker_sandbox, body, ["attack", "probe"], QUICK)
    assert bomb.status in ("tle", "re"), bomb
    assert_clean(after)


def test_setsid_daemon_does_not_outlive_its_test(docker_sandbox):
    body = """
    import signal, time
    MARKERS = ("/tmp/marker", "/box/marker", "/dev/shm/marker", "/box/run/marker")

    def daemon(hop):
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_IGN)
        while True:
            for path in MARKERS:
                try:
                    with open(path + str(hop), "a") as f:
                        f.write("x")
                except OSError:
                    pass
            if hop and os.fork() != 0:  # a daemon that changes its pid all the time
                os._exit(0)
            time.sleep(0.005)

    for hop in (0, 1):
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.closerange(0, 3)
                daemon(hop)
            os._exit(0)
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and not all(
            os.path.exists("/tmp/marker%d" % hop) for hop in (0, 1)):
        time.sleep(0.01)
    print(json.dumps({"running": [os.path.exists("/tmp/marker%d" % hop) for hop in (0, 1)]}))
    """
    attack, after = hostile(docker_sandbox, body, ["attack", "probe"])
    assert output(attack) == {"running": [True, True]}  # both daemons ran during the test
    assert_clean(after)
    [later] = docker_sandbox.run(program(body), ["probe"], LIMITS)
    assert_clean(later)


def test_zombies_are_reaped(docker_sandbox):
    body = """
    import time

    def zombies():
        count = 0
        for entry in os.listdir("/proc"):
            try:
                with open("/proc/%s/stat" % entry) as f:
                    count += f.read().rsplit(")", 1)[1].split()[0] == "Z"
            except (OSError, IndexError):
                pass
        return count

    for _ in range(40):
        if os.fork() == 0:
            os._exit(0)
    deadline = time.monotonic() + 2
    while zombies() < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    print(json.dumps({"zombies": zombies()}))  # exits without waiting for them
    """
    attack, after = hostile(docker_sandbox, body, ["attack", "probe"])
    assert output(attack)["zombies"] == 40
    assert_clean(after)


def test_kill_every_pid_fails_and_the_batch_continues(docker_sandbox):
    body = """
    import signal
    sent = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGSTOP, signal.SIGSEGV):
                try:
                    os.kill(int(entry), sig)
                    sent.setdefault(entry, []).append(int(sig))
                except OSError:
                    pass
            try:
                os.killpg(int(entry), signal.SIGKILL)
                sent.setdefault(entry, []).append("pg")
            except OSError:
                pass
    sent.pop("1", None) if sent.get("1") == ["pg"] else None  # see below
    alive = [os.path.exists("/proc/%d" % pid) for pid in (1, os.getppid())]
    print(json.dumps({"sent": sent, "alive": alive}))
    """
    attack, after = hostile(docker_sandbox, body, ["attack", "probe"])
    # killpg(1, SIGKILL) reports success (the kernel drops it: pid 1 is the namespace's
    # init); every other signal to a process not of the sandbox uid is refused.
    assert output(attack) == {"sent": {}, "alive": [True, True]}
    assert_clean(after)


def test_kill_minus_one_reaches_only_the_solution_s_own_processes(docker_sandbox):
    body = """
    import signal, time
    kids = []
    for _ in range(5):
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        kids.append(pid)
    os.kill(-1, signal.SIGKILL)
    codes = [os.waitpid(k, 0)[1] for k in kids]
    print(json.dumps({"killed": [os.WIFSIGNALED(c) and os.WTERMSIG(c) == 9 for c in codes]}))
    """
    attack, after = hostile(docker_sandbox, body, ["attack", "probe"])
    assert output(attack)["killed"] == [True] * 5  # its children died, it and the runner live
    assert_clean(after)


def test_killing_pid_1_fails(docker_sandbox):
    body = """
    import signal
    sent = []
    for sig in range(1, 32):
        try:
            os.kill(1, sig)
            sent.append(sig)
        except OSError:
            pass
    try:
        os.kill(0, 0)  # its own group: allowed, harmless
        own = True
    except OSError:
        own = False
    print(json.dumps({"sent": sent, "own": own}))
    """
    [attack] = hostile(docker_sandbox, body, ["attack"])
    assert output(attack) == {"sent": [], "own": True}


def test_ptrace_attach_to_every_pid_fails(docker_sandbox):
    body = """
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
    PTRACE_ATTACH, PTRACE_SEIZE = 16, 0x4206
    attached = []
    pids = [int(e) for e in os.listdir("/proc") if e.isdigit() and int(e) != os.getpid()]
    for pid in pids:
        for request in (PTRACE_ATTACH, PTRACE_SEIZE):
            if libc.ptrace(request, pid, None, None) == 0:
                attached.append(pid)

    class IoVec(ctypes.Structure):
        _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]

    buf = ctypes.create_string_buffer(64)
    local = IoVec(ctypes.cast(buf, ctypes.c_void_p), 64)
    remote = IoVec(0x400000, 64)
    read = [pid for pid in pids
            if libc.process_vm_readv(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0) > 0]
    print(json.dumps({"pids": len(pids), "attached": attached, "read": read}))
    """
    [attack] = hostile(docker_sandbox, body, ["attack"])
    found = output(attack)
    assert found["pids"] >= 3  # docker-init, sleep, the runner at least
    assert found["attached"] == [] and found["read"] == []


def test_runner_proc_files_are_unreadable(docker_sandbox):
    body = """
    opened = []
    runner = os.getppid()
    for pid in (1, runner):
        for name in ("environ", "mem", "maps", "stack", "syscall", "auxv", "pagemap",
                     "fd", "fdinfo", "map_files", "cwd", "root", "fd/0", "fd/1", "fd/2"):
            path = "/proc/%d/%s" % (pid, name)
            try:
                if os.path.isdir(path):
                    os.listdir(path)
                else:
                    with open(path, "rb") as f:
                        f.read(1)
                opened.append(path)
            except OSError:
                pass
    with open("/proc/%d/cmdline" % runner, "rb") as f:
        cmdline = f.read()
    print(json.dumps({"opened": opened, "runner_is_root": os.stat("/proc/%d" % runner).st_uid == 0,
                      "runner_cmd": cmdline.split(b"\\0")[0].decode()}))
    """
    [attack] = hostile(docker_sandbox, body, ["attack"])
    found = output(attack)
    assert found["runner_is_root"] and found["runner_cmd"] == "python3"
    assert found["opened"] == []


def test_many_threads_hit_the_process_limit(docker_sandbox):
    body = """
    import threading
    stop = threading.Event()
    started = 0
    try:
        while started < 10000:
            threading.Thread(target=stop.wait, daemon=True).start()
            started += 1
    except RuntimeError:
        pass
    stop.set()
    print(json.dumps({"threads": started}))
    """
    attack, after = hostile(docker_sandbox, body, ["attack", "probe"])
    assert 1 <= output(attack)["threads"] < 256
    assert_clean(after)


def test_many_open_files_hit_rlimit_nofile(docker_sandbox):
    body = """
    import errno
    files = []
    try:
        while len(files) < 100000:
            files.append(os.open("/dev/null", os.O_RDONLY))
        code = 0
    except OSError as exc:
        code = exc.errno
    print(json.dumps({"open": len(files), "emfile": code == errno.EMFILE}))
    """
    [attack] = hostile(docker_sandbox, body, ["attack"])
    found = output(attack)
    assert found["emfile"] and found["open"] <= 256


def test_huge_argv_to_exec_fails_with_e2big(docker_sandbox):
    body = """
    import errno
    big = "x" * 100000
    codes = []
    for argv in (["true"] + [big] * 1000, ["true", "y" * 200000]):
        try:
            os.execv("/bin/true", argv)
        except OSError as exc:
            codes.append(exc.errno == errno.E2BIG)
    print(json.dumps({"e2big": codes}))
    """
    [attack] = hostile(docker_sandbox, body, ["attack"])
    assert output(attack)["e2big"] == [True, True]


def test_no_runner_descriptor_leaks_into_the_solution(docker_sandbox):
    body = """
    fds = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            fds[fd] = os.readlink("/proc/self/fd/" + fd)
        except OSError:
            pass  # the descriptor of the listing itself, already closed
    print(json.dumps(fds))
    """
    [attack] = hostile(docker_sandbox, body, ["attack"])
    fds = output(attack)
    assert sorted(fds) == ["0", "1", "2"], fds
    assert fds["0"].startswith("/memfd:stdin") and fds["1"].startswith("/memfd:stdout"), fds
    assert fds["2"].startswith("pipe:"), fds


def test_rlimits_cannot_be_raised(docker_sandbox):
    body = """
    import resource
    raised = []
    for name in ("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_CORE",
                 "RLIMIT_STACK"):
        which = getattr(resource, name)
        soft, hard = resource.getrlimit(which)
        try:
            resource.setrlimit(which, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            raised.append(name)
        except (ValueError, OSError):
            pass
    print(json.dumps({"raised": raised,
                      "nproc": resource.getrlimit(resource.RLIMIT_NPROC)[1],
                      "cpu": resource.getrlimit(resource.RLIMIT_CPU)[1]}))
    """
    [attack] = hostile(docker_sandbox, body, ["attack"])
    assert output(attack) == {"raised": [], "nproc": 64, "cpu": 3}


def test_stopping_itself_is_a_wall_tle(docker_sandbox):
    body = """
    import signal
    os.kill(os.getpid(), signal.SIGSTOP)
    print("resumed")
    """
    stopped, after = hostile(docker_sandbox, body, ["attack", "probe"], QUICK)
    assert stopped.status == "tle" and "wall" in stopped.reason, stopped
    assert_clean(after)


# -- time and memory -----------------------------------------------------------------------


def test_busy_loop_is_tle(docker_sandbox):
    [busy] = hostile(docker_sandbox, "while True:\n    pass\n", ["attack"], QUICK)
    assert busy.status == "tle", busy
    assert busy.cpu_s > 0.5 or "wall" in busy.reason, busy  # a loaded machine may hit the wall


def test_sleep_forever_is_tle_by_wall_clock(docker_sandbox):
    body = """
    import time
    time.sleep(3600)
    """
    [asleep] = hostile(docker_sandbox, body, ["attack"], QUICK)
    assert asleep.status == "tle" and "wall" in asleep.reason, asleep
    assert asleep.cpu_s < 0.5 and asleep.wall_s >= 3.0


def test_memory_bomb_is_mle(docker_sandbox):
    body = """
    hoard = []
    while True:
        hoard.append(b"x" * (8 << 20))
    """
    bomb, after = hostile(docker_sandbox, body, ["attack", "probe"])
    assert bomb.status == "mle", bomb
    assert_clean(after)


def test_deep_recursion_with_raised_limit(docker_sandbox):
    body = """
    sys.setrecursionlimit(10 ** 9)

    def down(n):
        return down(n + 1) + 1

    down(0)
    """
    small = Limits(time_s=1, memory_mb=64)  # a smaller cgroup: the OOM comes sooner
    deep, after = hostile(docker_sandbox, body, ["attack", "probe"], small)
    assert deep.status in ("re", "mle"), deep
    assert_clean(after)


def test_memory_split_over_processes_is_mle(docker_sandbox):
    body = """
    import time
    kids = []
    for _ in range(3):
        pid = os.fork()
        if pid == 0:
            hoard = b"x" * (120 << 20)
            time.sleep(0.5)
            os._exit(0)
        kids.append(pid)
    for pid in kids:
        os.waitpid(pid, 0)
    print("done")
    """
    [split] = hostile(docker_sandbox, body, ["attack"])
    assert split.status == "mle", split


def test_cpu_split_over_unwaited_children_is_counted(docker_sandbox):
    body = """
    import time

    def burn(seconds):
        start = time.process_time()
        while time.process_time() - start < seconds:
            pass

    r, w = os.pipe()
    for _ in range(2):
        if os.fork() == 0:
            burn(0.45)
            os.write(w, b"k")
            os._exit(0)
    burn(0.45)
    print(len(os.read(r, 1) + os.read(r, 1)))  # never waits: the children's rusage is lost
    """
    [split] = hostile(docker_sandbox, body, ["attack"])
    assert split.cpu_s > 1.0 and split.status == "tle", split


# -- output --------------------------------------------------------------------------------


def test_infinite_stdout_is_ole(docker_sandbox):
    body = """
    chunk = "y" * 65536
    while True:
        sys.stdout.write(chunk)
    """
    flood, after = hostile(docker_sandbox, body, ["attack", "probe"])
    assert flood.status == "ole", flood
    assert flood.stdout_bytes >= LIMITS.output_mb * MB
    assert len(flood.stdout) <= STDERR_KEEP  # only the head comes back
    assert_clean(after)


def test_stderr_flood_is_contained(docker_sandbox):
    body = """
    chunk = b"e" * 65536
    for _ in range(1600):  # 100 MB
        os.write(2, chunk)
    print(5)
    """
    [flood] = hostile(docker_sandbox, body, ["attack"])
    assert (flood.status, flood.stdout) == ("ok", "5\n"), flood
    assert 0 < len(flood.stderr) <= STDERR_KEEP


def test_closing_stdio_early(docker_sandbox):
    body = """
    sys.stdout.write("5\\n")
    sys.stdout.flush()
    os.close(1)
    os.close(0)
    os.close(2)
    total = sum(range(10 ** 6))
    os._exit(0)
    """
    [closed] = hostile(docker_sandbox, body, ["attack"])
    assert (closed.status, closed.stdout) == ("ok", "5\n"), closed


def test_binary_garbage_on_stdout_is_still_a_result(docker_sandbox):
    body = """
    sys.stdout.buffer.write(bytes(range(256)) * 4096)  # 1 MB, invalid UTF-8
    """
    [garbage] = hostile(docker_sandbox, body, ["attack"])
    assert garbage.status == "ok", garbage.reason
    assert garbage.stdout_bytes == MB
    assert "\ufffd" in garbage.stdout and garbage.stdout.startswith("\x00\x01\x02")


def test_ten_megabyte_single_line(docker_sandbox):
    body = """
    sys.stdout.write("a" * (10 << 20))
    """
    [line] = hostile(docker_sandbox, body, ["attack"])
    assert line.status == "ok", line.reason
    assert line.stdout_bytes == 10 * MB and len(line.stdout) == 10 * MB
    assert line.stdout == "a" * (10 * MB)


def test_invalid_utf8_stdout_flood_returns_promptly(fresh_box):
    body = """
    sys.stdout.buffer.write(b"\\xff" * (10 << 20))
    """
    [garbage] = run_within(fresh_box, body, ["attack"], LIMITS, seconds=12)
    assert garbage.status == "ok" and garbage.stdout_bytes == 10 * MB, garbage.reason
    assert_healthy(fresh_box)


def test_sparse_stdout_does_not_kill_the_runner(fresh_box):
    body = """
    os.ftruncate(1, 60 << 20)
    """
    sparse, after = run_within(fresh_box, body, ["attack", "probe"], LIMITS, seconds=15)
    assert sparse.stdout_bytes == 60 * MB, sparse
    assert_clean(after)
    assert_healthy(fresh_box)


# -- the file system -----------------------------------------------------------------------


def test_environment_holds_nothing_of_the_host(docker_sandbox):
    body = """
    found = {"env": dict(os.environ), "readable": []}
    for path in ("/proc/1/environ", "/proc/%d/environ" % os.getppid()):
        try:
            with open(path, "rb") as f:
                f.read(1)
            found["readable"].append(path)
        except OSError:
            pass
    print(json.dumps(found))
    """
    [attack] = hostile(docker_sandbox, body, ["attack"])
    found = output(attack)
    assert found["readable"] == []
    assert found["env"] == {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/box/run",
        "TMPDIR": "/box/run",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def test_host_files_are_absent_or_unreadable(docker_sandbox):
    body = """
    readable = []
    for path in ("/etc/shadow", "/etc/gshadow", "/root", "/root/.ssh", "/root/.docker/config.json",
                 "/work", "/work/main", "/var/run/docker.sock", "/run/docker.sock",
                 "/proc/kcore", "/dev/mem", "/dev/kmsg", "/proc/1/root/etc"):
        try:
            if os.path.isdir(path):
                os.listdir(path)
            else:
                with open(path, "rb") as f:
                    f.read(1)
            readable.append(path)
        except OSError:
            pass
    suspicious = []
    for top in os.listdir("/"):
        if top in ("proc", "sys", "dev"):
            continue
        for dirpath, dirnames, filenames in os.walk("/" + top):
            for name in dirnames + filenames:
                low = name.lower()
                if low.endswith(".ans") or "cpagent" in low:
                    suspicious.append(os.path.join(dirpath, name))
    print(json.dumps({"readable": readable, "suspicious": suspicious}))
    """
    # Walking the whole file system takes about a second of CPU: a wide limit keeps a loaded
    # machine from turning the probe into a time-out.
    [attack] = hostile(docker_sandbox, body, ["attack"], Limits(time_s=10, memory_mb=256))
    found = output(attack)
    assert found["readable"] == [], found
    assert found["suspicious"] == [], found


def test_writing_outside_the_scratch_dirs_fails(docker_sandbox):
    body = """
    written, refused = [], []
    for path in ("/evil", "/usr/evil", "/etc/evil", "/etc/passwd", "/root/evil", "/home/evil",
                 "/var/tmp/evil", "/dev/evil", "/box/prog/evil", "/box/prog/sol.py",
                 "/sys/fs/cgroup/memory/memory.limit_in_bytes", "/usr/lib/python3/evil.pth"):
        try:
            with open(path, "a") as f:
                f.write("x")
            written.append(path)
        except OSError:
            refused.append(path)
    changed = []
    for action in (lambda: os.chmod("/box/prog", 0o777), lambda: os.chmod("/box", 0o700),
                   lambda: os.rename("/box/prog", "/box/gone"), lambda: os.rmdir("/box/prog"),
                   lambda: os.chmod("/box/prog/sol.py", 0o666),
                   lambda: os.unlink("/box/prog/sol.py")):
        try:
            action()
            changed.append(True)
        except OSError:
            pass
    for path in ("/box/run/fine", "/tmp/fine", "/box/fine", "/dev/shm/fine"):
        with open(path, "w") as f:  # allowed, and removed after the test
            f.write("x")
    print(json.dumps({"written": written, "changed": changed}))
    """
    attack, after = hostile(docker_sandbox, body, ["attack", "probe"])
    assert output(attack) == {"written": [], "changed": []}
    assert_clean(after)


def test_filling_the_tmpfs_is_contained(docker_sandbox):
    body = """
    import errno
    chunk = b"z" * (1 << 20)
    full = {}
    for d in ("/box/run", "/box", "/tmp", "/dev/shm"):
        i, code = 0, 0
        try:
            while True:  # files of 32 MB: RLIMIT_FSIZE (the output limit) caps each file
                with open("%s/fill%d" % (d, i), "wb") as f:
                    for _ in range(32):
                        f.write(chunk)
                i += 1
        except OSError as exc:
            code = exc.errno
        full[d] = code == errno.ENOSPC
    print(json.dumps(full))
    """
    attack, after = hostile(docker_sandbox, body, ["attack", "probe"])
    assert attack.status in ("ok", "mle"), attack
    if attack.status == "ok":
        assert all(output(attack).values()), attack.stdout
    assert_clean(after)


def test_filling_the_tmpfs_past_the_memory_limit_is_contained(docker_sandbox):
    body = """
    chunk = b"z" * (1 << 20)
    for d in ("/box/run", "/tmp", "/dev/shm"):
        for i in range(8):
            try:
                with open("%s/fill%d" % (d, i), "wb") as f:
                    for _ in range(32):
                        f.write(chunk)
            except OSError:
                break
    print("filled")
    """
    small = Limits(time_s=1, memory_mb=64)  # cgroup 64 + 64 + 96 MB < 384 MB of tmpfs
    attack, after = docker_sandbox.run(program(body), ["attack", "probe"], small)
    assert attack.status in ("mle", "ok"), attack
    assert_clean(after)
    assert_healthy(docker_sandbox)


def test_filling_dev_shm_is_contained(docker_sandbox):
    body = """
    import errno, mmap
    chunk = b"s" * (1 << 20)
    code = 0
    try:
        for i in range(100):
            with open("/dev/shm/seg%d" % i, "wb") as f:
                for _ in range(16):
                    f.write(chunk)
    except OSError as exc:
        code = exc.errno
    with open("/dev/shm/seg0", "r+b") as f:  # and map one, as shared memory
        view = mmap.mmap(f.fileno(), 0)
        view[0:1] = b"S"
    print(json.dumps({"enospc": code == errno.ENOSPC}))
    """
    attack, after = hostile(docker_sandbox, body, ["attack", "probe"])
    assert output(attack) == {"enospc": True}
    assert_clean(after)


def test_read_only_files_fifos_and_sockets_are_removed(docker_sandbox):
    body = """
    import socket
    for base in ("/box/run", "/tmp", "/box", "/dev/shm"):
        top = os.path.join(base, "sticky")
        os.makedirs(os.path.join(top, "sub"))
        for d in (os.path.join(top, "sub"), top):
            with open(os.path.join(d, "f"), "w") as f:
                f.write("x")
            os.chmod(os.path.join(d, "f"), 0)
            os.mkfifo(os.path.join(d, "fifo"))
            os.symlink("/box/prog/sol.py", os.path.join(d, "link"))
            socket.socket(socket.AF_UNIX).bind(os.path.join(d, "sock"))
            os.chmod(d, 0o500)  # readable and searchable, not writable
    print("done")
    """
    attack, after = hostile(docker_sandbox, body, ["attack", "probe"])
    assert attack.status == "ok", attack
    assert_clean(after)


def test_locked_work_dir_is_cleaned_up(fresh_box):
    body = """
    os.makedirs("/box/run/locked/inner")
    os.chmod("/box/run/locked/inner", 0)
    os.chmod("/box/run/locked", 0)
    try:
        os.chmod("/box/run", 0)  # the runner's own dir: refused
        print("locked the work dir")
    except PermissionError:
        print("locked")
    """
    attack, after = fresh_box.run(program(body), ["attack", "probe"], LIMITS)
    assert (attack.status, attack.stdout) == ("ok", "locked\n"), attack
    assert_clean(after)
    assert_healthy(fresh_box)


def test_locked_dirs_in_scratch_do_not_persist(fresh_box):
    body = """
    for base in ("/tmp", "/dev/shm", "/box"):
        inner = os.path.join(base, "locked", "inner")
        os.makedirs(inner)
        with open(os.path.join(inner, "payload"), "wb") as f:
            f.write(b"p" * (8 << 20))
        os.chmod(inner, 0)
        os.chmod(os.path.dirname(inner), 0)
    print("locked")
    """
    attack, after = fresh_box.run(program(body), ["attack", "probe"], LIMITS)
    assert attack.status == "ok", attack
    assert_clean(after)
    [later] = fresh_box.run(program(body), ["probe"], LIMITS)
    assert_clean(later)
    assert_healthy(fresh_box)


def test_booby_trapped_box_does_not_redirect_the_next_test(docker_sandbox):
    body = """
    os.chdir("/")
    try:
        os.rename("/box/run", "/box/old-run")  # the runner's dir in a sticky /box: refused
        os.symlink("/box/prog", "/box/run")
    except PermissionError:
        pass
    os.mkdir("/tmp/trap")
    os.symlink("/tmp/trap", "/box/data")  # where the runner writes the next test's files
    print("trapped")
    """
    trap, after = hostile(docker_sandbox, body, ["attack", Job(stdin="probe",
                                                               files={"in.txt": "secret"})])
    assert trap.status == "ok", trap
    assert_clean(after, data=("in.txt",))


def test_tests_cannot_see_each_other(docker_sandbox):
    body = """
    mine = DATA.strip()
    other = "secret-" + {"first": "two", "second": "one"}[mine]
    seen = {}
    for d in ("/box", "/box/data", "/box/run", "/tmp", "/dev/shm"):
        seen[d] = sorted(os.listdir(d))
    found = []
    for top in ("/box", "/tmp", "/dev/shm"):
        for dirpath, _, filenames in os.walk(top):
            for name in filenames:
                try:
                    with open(os.path.join(dirpath, name), errors="replace") as f:
                        if other in f.read():
                            found.append(os.path.join(dirpath, name))
                except OSError:
                    pass
    for path in ("/box/run/trace", "/tmp/trace", "/box/trace", "/dev/shm/trace"):
        with open(path, "w") as f:  # left for the next test to find
            f.write("secret-" + {"first": "one", "second": "two"}[mine])
    print(json.dumps({"seen": seen, "found": found}))
    """
    first, second = hostile(docker_sandbox, body, [
        Job(stdin="first", files={"one.txt": "secret-one"}),
        Job(stdin="second", files={"two.txt": "secret-two"}),
    ])
    for execution, data in ((first, "one.txt"), (second, "two.txt")):
        found = output(execution)
        assert found["found"] == [], found
        assert found["seen"]["/box/data"] == [data]
        assert found["seen"]["/box"] == ["data", "prog", "run"]
        assert found["seen"]["/box/run"] == found["seen"]["/tmp"] == found["seen"]["/dev/shm"] == []


def test_privilege_escalation_fails(docker_sandbox):
    body = """
    import ctypes, stat
    allowed = []
    attempts = {
        "setuid": lambda: os.setuid(0),
        "setgid": lambda: os.setgid(0),
        "setresuid": lambda: os.setresuid(0, 0, 0),
        "setgroups": lambda: os.setgroups([0]),
        "chown": lambda: os.chown("/box/prog/sol.py", os.getuid(), os.getgid()),
        "chown_own_to_root": lambda: os.chown("/box/run/x", 0, 0),
        "exec_setuid_copy": lambda: os.execv("/box/run/x", ["x"]),
        "mknod": lambda: os.mknod("/box/run/mem", stat.S_IFCHR | 0o666, os.makedev(1, 1)),
    }
    with open("/box/run/x", "w") as f:
        f.write("#!/bin/sh\\nid -u\\n")
    os.chmod("/box/run/x", 0o6755)  # its own file: allowed, but /box is noexec, nosuid
    for name, attempt in attempts.items():
        try:
            attempt()
            allowed.append(name)
        except OSError:
            pass
    libc = ctypes.CDLL(None, use_errno=True)
    for name, flag in (("userns", 0x10000000), ("mountns", 0x00020000), ("netns", 0x40000000)):
        if libc.unshare(flag) == 0:
            allowed.append(name)
    if libc.mount(b"none", b"/box/run", b"tmpfs", 0, None) == 0:
        allowed.append("mount")
    with open("/proc/self/status") as f:
        status = dict(line.split(":\\t", 1) for line in f.read().splitlines() if ":\\t" in line)
    print(json.dumps({"allowed": allowed, "uid": os.getuid(), "caps": status["CapEff"].strip(),
                      "nnp": status["NoNewPrivs"].strip()}))
    """
    [attack] = hostile(docker_sandbox, body, ["attack"])
    found = output(attack)
    assert found["allowed"] == [], found
    assert found["uid"] != 0 and int(found["caps"], 16) == 0 and found["nnp"] == "1"


def test_writing_proc_sys_fails(docker_sandbox):
    body = """
    written = []
    for path in ("/proc/sys/kernel/hostname", "/proc/sys/vm/drop_caches",
                 "/proc/sys/kernel/core_pattern", "/proc/sys/vm/overcommit_memory",
                 "/proc/sysrq-trigger", "/proc/sys/kernel/shm_rmid_forced"):
        try:
            with open(path, "w") as f:
                f.write("1")
            written.append(path)
        except OSError:
            pass
    print(json.dumps({"written": written}))
    """
    [attack] = hostile(docker_sandbox, body, ["attack"])
    assert output(attack) == {"written": []}


def test_oom_score_adj_cannot_go_below_the_runner(docker_sandbox):
    body = """
    def write(path, value):
        try:
            with open(path, "w") as f:
                f.write(value)
            return True
        except OSError:
            return False

    with open("/proc/self/oom_score_adj") as f:
        start = int(f.read())
    found = {
        "start": start,
        "below_zero": write("/proc/self/oom_score_adj", "-1000"),
        "others": [write("/proc/%d/oom_score_adj" % pid, "1000") for pid in (1, os.getppid())],
    }
    print(json.dumps(found))
    """
    [attack] = hostile(docker_sandbox, body, ["attack"])
    assert output(attack) == {"start": 1000, "below_zero": False, "others": [False, False]}


def test_cgroup_files_are_readable_but_read_only(docker_sandbox):
    body = """
    v1 = os.path.exists("/sys/fs/cgroup/memory/memory.limit_in_bytes")
    base = "/sys/fs/cgroup/memory/" if v1 else "/sys/fs/cgroup/"
    with open(base + ("memory.limit_in_bytes" if v1 else "memory.max")) as f:
        limit = int(f.read())
    written = []
    for name in ("memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.oom_control",
                 "memory.max", "memory.swap.max", "memory.oom.group", "cgroup.procs",
                 "pids.max", "../pids/pids.max", "cpu.max", "cgroup.subtree_control"):
        try:
            with open(base + name, "w") as f:
                f.write("-1")
            written.append(name)
        except OSError:
            pass
    print(json.dumps({"limit": limit, "written": written}))
    """
    [attack] = hostile(docker_sandbox, body, ["attack"])
    found = output(attack)
    assert found["written"] == []
    total = LIMITS.memory_mb + LIMITS.output_mb + RUNNER_HEADROOM_MB
    assert found["limit"] == total * MB


def test_network_is_unreachable(docker_sandbox):
    body = """
    import socket
    reached = []
    for family, address in ((socket.AF_INET, ("1.1.1.1", 53)), (socket.AF_INET, ("8.8.8.8", 443)),
                            (socket.AF_INET, ("172.17.0.1", 2375)),
                            (socket.AF_INET6, ("2606:4700:4700::1111", 53))):
        try:
            with socket.socket(family, socket.SOCK_STREAM) as s:
                s.settimeout(1)
                s.connect(address)
            reached.append(address[0])
        except OSError:
            pass
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.sendto(b"x", address)
            reached.append("udp " + address[0])
        except OSError:
            pass
    try:
        socket.getaddrinfo("example.com", 80)
        reached.append("dns")
    except OSError:
        pass
    print(json.dumps({"reached": reached, "interfaces": sorted(os.listdir("/sys/class/net"))}))
    """
    [attack] = hostile(docker_sandbox, body, ["attack"])
    assert output(attack) == {"reached": [], "interfaces": ["lo"]}


# -- IPC and cleanup bugs (own pools) ------------------------------------------------------


def test_sysv_shared_memory_does_not_outlive_the_test(fresh_box):
    body = """
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmat.restype = ctypes.c_void_p
    made = 0
    for key in range(8):
        sid = libc.shmget(0x5000 + key, 60 << 20, 0o1600)  # IPC_CREAT | 0600
        if sid < 0:
            break
        addr = libc.shmat(sid, None, 0)
        ctypes.memset(ctypes.c_void_p(addr), 1, 60 << 20)
        libc.shmdt(ctypes.c_void_p(addr))
        made += 1
        print(made, flush=True)
    """
    hog, after = fresh_box.run(program(body), ["attack", "probe"], LIMITS)
    assert hog.status in ("ok", "mle"), hog
    found = probed(after)
    assert found["ipc"]["shm"] == 0, found
    assert_healthy(fresh_box)


def test_ipc_objects_do_not_outlive_the_test(fresh_box):
    body = """
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    queue = libc.msgget(0x77, 0o1600)
    message = ctypes.create_string_buffer(b"\\x01\\0\\0\\0\\0\\0\\0\\0" + b"leaked" * 100)
    libc.msgsnd(queue, message, 600, 0o4000)
    libc.semget(0x78, 4, 0o1600)
    rt = ctypes.CDLL("librt.so.1", use_errno=True)
    rt.mq_open(b"/leak", os.O_CREAT | os.O_RDWR, 0o600, None)
    print("made")
    """
    made, after = fresh_box.run(program(body), ["attack", "probe"], LIMITS)
    assert made.status == "ok", made
    found = probed(after)
    assert found["ipc"] == {"shm": 0, "msg": 0, "sem": 0} and found["mqueue"] == [], found
    assert_healthy(fresh_box)


def test_deep_directory_tree_is_cleaned_up(fresh_box):
    body = """
    os.chdir("/box/run")
    for _ in range(3000):
        os.mkdir("d")
        os.chdir("d")
    print("deep")
    """
    deep, after = fresh_box.run(program(body), ["attack", "probe"], LIMITS)
    assert deep.status == "ok", deep
    assert_clean(after)
    assert_healthy(fresh_box)


def test_lowered_oom_score_adj_does_not_get_the_runner_killed(fresh_box):
    body = """
    with open("/proc/self/oom_score_adj", "w") as f:
        f.write("0")
    script = ("for d in /box/run /tmp /dev/shm; do for i in 1 2 3 4 5; do "
              "dd if=/dev/zero of=$d/f$i bs=1M count=60 2>/dev/null; done; done; echo done")
    os.execv("/bin/sh", ["sh", "-c", script])
    """
    small = Limits(time_s=1, memory_mb=64)
    hog, after = fresh_box.run(program(body), ["attack", "probe"], small)
    # The tmpfs sizes fit in the container's headroom, so filling them all is no OOM; where
    # memory does run out, the host records the test as mle and the batch goes on.
    assert hog.status in ("ok", "mle"), hog
    assert_clean(after)
    assert_healthy(fresh_box)
