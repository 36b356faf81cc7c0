"""The batch runner. It runs inside the sandbox container (and, for the local backend, on the
host), so it uses only the standard library and never imports cpagent.

Protocol: one JSON request on stdin -- a program, limits and a list of tests. On stdout, a
JSON header line `{"hello": ...}`, then per test a JSON header line whose `payload` says how
many raw bytes of the program's stdout follow it. Raw bytes, because an output that is not
UTF-8 would grow sixfold as escaped JSON. A `{"fatal": ...}` line ends the batch early.

Each test runs in a child forked by the template, a pristine copy of this interpreter made
before the request is read (so no test's data is in its memory). A Python program runs in
that child as `python3 prog.py` would, without starting another interpreter; other
programs (PyPy, checkers in other languages) are exec'd. In the child:
- stdin is a memfd holding the input (a regular file, so `os.fstat(0).st_size` works);
  stdout is another memfd capped by RLIMIT_FSIZE; stderr is a pipe the runner drains,
  keeping its head, so a stderr flood costs the program time but no memory;
- the child gets rlimits, volunteers itself to the OOM killer, and in "isolate" mode drops
  to the batch's unprivileged uid, so it can neither signal, trace nor read the runner;
- the template is a child subreaper, so processes the program forks and abandons come back
  to it: their CPU time counts, through RUSAGE_CHILDREN;
- the runner waits for the template's word that the child exited, against a wall-clock
  deadline, samples the resident memory of all the test's processes so memory split over
  several still counts, and reads the cgroup's OOM-kill counter, because Docker reports an
  OOM kill only when the container's main process dies.

After every test everything the uid owns is killed and removed, then checked: a test that
leaves something behind ends the batch, and the host throws the container away.

A request with `interaction` (an interactor's argv, files and limits, and `interactor_uid`)
makes every test interactive: the test's files and args are the interactor's, and the
program talks to it through the runner's relay instead of reading stdin (see run_pair). The
header then carries no payload; the exchange is in its feedback, under "/interaction".
"""

from __future__ import annotations

import ctypes
import io
import json
import os
import resource
import select
import signal
import socket
import stat
import sys
import time
import types

STDERR_KEEP = 64 * 1024
PROGRAM_DIR = "prog"
DATA_DIR = "data"
WORK_DIR = "run"
SCRATCH_DIRS = ("/tmp", "/dev/shm", "/var/tmp", "/dev/mqueue")
OOM_FILES = ("/sys/fs/cgroup/memory/memory.oom_control", "/sys/fs/cgroup/memory.events")
SAMPLE_S = 0.01
PR_SET_CHILD_SUBREAPER = 36
PR_SET_DUMPABLE = 4


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


PAGE = os.sysconf("SC_PAGE_SIZE")


def group_rss(uid: int) -> int:
    """Resident memory of all the uid's processes together, in bytes."""
    total = 0
    for pid in live_processes(uid):
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


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


def force_remove(path: str) -> None:
    """Remove a tree we own whatever its modes, without recursion (a test may nest
    thousands of directories, or make them unreadable)."""
    dirs, stack = [], [path]
    while stack:
        p = stack.pop()
        try:
            mode = os.lstat(p).st_mode
        except OSError:
            continue
        if not stat.S_ISDIR(mode):
            try:
                os.unlink(p)
            except OSError:
                pass
            continue
        try:
            os.chmod(p, 0o700)
            names = os.listdir(p)
        except OSError:
            names = []
        dirs.append(p)
        stack.extend(os.path.join(p, n) for n in names)
    for d in reversed(dirs):  # children were found after their parents
        try:
            os.rmdir(d)
        except OSError:
            pass


def owned_entries(bases, uid: int) -> list[str]:
    found = []
    for base in bases:
        try:
            names = os.listdir(base)
        except OSError:
            continue
        for name in names:
            path = os.path.join(base, name)
            try:
                if os.lstat(path).st_uid == uid:
                    found.append(path)
            except OSError:
                continue
    return found


def live_processes(uid: int, me: int = -1) -> list[int]:
    """Processes of `uid` that are not zombies (a zombie waits for its parent, harmlessly)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            if os.stat("/proc/" + entry).st_uid != uid:
                continue
            with open("/proc/" + entry + "/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state not in ("Z", "X"):
            pids.append(int(entry))
    return pids


def kill_uid() -> None:
    """kill(-1) from the sandbox uid reaches exactly the processes of that uid in this pid
    namespace, never the caller: everything the test started, setsid escapes included.
    Repeat until none is left, as a fork bomb forks while we kill."""
    me, uid = os.getpid(), os.getuid()
    for _ in range(400):
        os.kill(-1, signal.SIGKILL)
        if not live_processes(uid, me):
            return
        time.sleep(0.0005)


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

    def as_uid(self, action) -> bool:
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
        _, status = os.waitpid(pid, 0)
        return status == 0

    def kill_all(self, pgid: int) -> None:
        if self.isolate:
            self.as_uid(kill_uid)
        else:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except OSError:
                pass

    def prepare(self, feedback: bool) -> None:
        """The test's work dir: the runner's, sticky and world-writable, so that the usual
        test -- plain files at most -- can be cleaned up after without forking."""
        for path in (self.work, os.path.join(self.work, "feedback"))[: 1 + feedback]:
            os.mkdir(path)
            os.chmod(path, 0o1777)

    def cleanup(self, pgid: int) -> str:
        """Kill what the test left running, remove what it wrote, reap the orphans; return
        what survived (empty when the box is clean)."""
        bases = (self.root, *SCRATCH_DIRS)
        workdirs = (self.work, os.path.join(self.work, "feedback"))
        if not self.isolate:
            self.kill_all(pgid)
        elif live_processes(self.uid) or not self.quick_clear(bases, workdirs):
            def sweep() -> None:
                kill_uid()
                for path in owned_entries(bases + workdirs, self.uid):
                    force_remove(path)

            self.as_uid(sweep)
        force_remove(self.work)
        force_remove(self.data)
        reap_orphans()
        if not self.isolate:
            return ""
        left = owned_entries(bases, self.uid) + [p for p in workdirs if os.path.lexists(p)]
        alive = live_processes(self.uid)
        if left or alive:
            return f"could not clean up: files {left[:3]}, processes {alive[:3]}"
        return ""

    def quick_clear(self, bases, workdirs) -> bool:
        """Remove plain files from the work dirs as root (the sticky dirs' owner may);
        False when anything else was left, for the sandbox uid to remove."""
        if owned_entries(bases, self.uid):
            return False
        for folder in workdirs:
            try:
                names = os.listdir(folder)
            except FileNotFoundError:
                continue
            for name in names:
                path = os.path.join(folder, name)
                if path in workdirs:
                    continue
                try:
                    if stat.S_ISDIR(os.lstat(path).st_mode):
                        return False
                    os.unlink(path)
                except OSError:
                    return False
        return True


def reap_orphans() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


CHILD_PATH = "/usr/local/bin:/usr/bin:/bin"


def child(box: Box, argv: list[str], limits: dict, fds: tuple[int, int, int], here: bool):
    """In the forked child: limit, drop privileges, wire up stdio, then run the program --
    in this very interpreter when it is one (`here`), else by exec. Never returns."""
    stdin_fd, stdout_fd, stderr_w = fds
    os.dup2(stderr_w, 2)  # first, so that a failure below is the test's stderr
    try:
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
        os.chdir(box.work)
        os.dup2(stdin_fd, 0)
        os.dup2(stdout_fd, 1)
        os.closerange(3, 1 << 16)
        env = {
            "PATH": CHILD_PATH,
            "HOME": box.work,
            "TMPDIR": box.work,
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        if here:
            # Changing uid made us undumpable, so /proc/self would stay root's; an exec would
            # have made the program dumpable again, the state it must see.
            ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
            os.environ.clear()
            os.environ.update(env)
            run_here(argv[1], argv[2:])
        os.execvpe(argv[0], argv, env)
    except BaseException as exc:
        try:
            os.write(2, f"runner: cannot start program: {exc!r}\n".encode())
        finally:
            os._exit(127)


# -- Running a Python program without starting an interpreter ----------------------------
#
# Most of what a small test costs is the interpreter's start-up, and under a FUSE storage
# driver every file it opens as a non-owner is a round trip. So a pristine interpreter -- the
# template, forked from the runner before the request is read, so that it holds no test's
# data -- forks once per test, and the child runs the program as `python3 prog.py` would.


def resolve(name: str) -> str:
    if "/" in name:
        return os.path.realpath(name)
    for folder in CHILD_PATH.split(":"):
        path = os.path.join(folder, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return os.path.realpath(path)
    return ""


def runs_here(argv: list[str]) -> bool:
    """`interpreter script.py args...` where the interpreter is this one."""
    return (len(argv) >= 2 and argv[1].endswith(".py") and not argv[1].startswith("-")
            and resolve(argv[0]) == os.path.realpath(sys.executable))


def stdio(fd: int, name: str, errors: str, write: bool) -> io.TextIOWrapper:
    """A standard stream built as CPython builds it at start-up on POSIX."""
    raw = io.FileIO(fd, "w" if write else "r", closefd=False)
    raw.name = name
    buffered = io.BufferedWriter(raw) if write else io.BufferedReader(raw)
    stream = io.TextIOWrapper(buffered, encoding="utf-8", errors=errors, newline="\n",
                              line_buffering=name == "<stderr>")
    # CPython sets `mode` on its std streams; the common fast-I/O template reads it.
    stream.mode = "w" if write else "r"  # type: ignore[misc]
    return stream


def run_here(path: str, args: list[str]) -> None:
    """Run the program in this interpreter with the start-up and exit rules of `python3 path
    args`: its own __main__, fresh stdio, exit codes, non-daemon threads waited for."""
    import builtins
    import importlib.machinery

    sys.argv = [path, *args]
    sys.path.insert(0, os.path.dirname(path))
    sys.dont_write_bytecode = True
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the output cap fails instead
    if "random" in sys.modules:  # seeded once in the template: reseed, as a fresh start would
        sys.modules["random"].seed()
    # The template's own streams stay referenced: collecting them would flush into fds that
    # now belong to the test.
    kept = (sys.stdin, sys.stdout, sys.stderr)  # noqa: F841
    # Under LANG=C.UTF-8, the child's locale, CPython picks surrogateescape for these two.
    sys.stdin = sys.__stdin__ = stdio(0, "<stdin>", "surrogateescape", write=False)
    sys.stdout = sys.__stdout__ = stdio(1, "<stdout>", "surrogateescape", write=True)
    sys.stderr = sys.__stderr__ = stdio(2, "<stderr>", "backslashreplace", write=True)
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__cached__ = None
    main.__builtins__ = builtins
    main.__loader__ = importlib.machinery.SourceFileLoader("__main__", path)
    sys.modules["__main__"] = main
    try:
        with open(path, "rb") as f:
            code = compile(f.read(), path, "exec")
        exec(code, main.__dict__)
        status = 0
    except SystemExit as exc:
        status = exit_status(exc)
    except BaseException as exc:
        show_uncaught(exc, path)
        status = -1 if isinstance(exc, KeyboardInterrupt) else 1
    if status == -1:
        # CPython reports an uncaught Ctrl-C to its parent by dying of SIGINT.
        finish(0)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        os._exit(130)
    os._exit(finish(status))


def exit_status(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    try:
        print(exc.code, file=sys.stderr)
    except BaseException:
        pass
    return 1


def show_uncaught(exc: BaseException, path: str) -> None:
    """The traceback from the program's first frame on, as the interpreter would print it."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != path:
        tb = tb.tb_next
    try:
        # The hook prints the exception's own traceback: trim that one.
        sys.excepthook(type(exc), exc.with_traceback(tb), tb)
    except BaseException:
        pass


def finish(status: int) -> int:
    """What interpreter shutdown does that a program can observe."""
    import atexit

    threading = sys.modules.get("threading")
    if threading is not None:
        try:
            threading._shutdown()
        except BaseException:
            pass
    atexit._run_exitfuncs()
    # CPython flushes sys.stdout and sys.stderr unless closed, and the original streams
    # flush as they are freed (a program may have swapped sys.stdout for a buffer and
    # written to sys.__stdout__ from an atexit hook). os._exit frees nothing: flush all.
    streams: list = []
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        if stream is not None and all(stream is not s for s in streams):
            streams.append(stream)
    for stream in streams:
        try:
            if not getattr(stream, "closed", False):
                stream.flush()
        except BaseException:
            if stream is sys.stdout and status == 0:
                status = 120  # what CPython exits with when it cannot flush stdout
    return status


def prepare_template() -> None:
    """Load now, once, what every program run here would otherwise load."""
    import atexit  # noqa: F401
    import builtins  # noqa: F401
    import importlib.machinery  # noqa: F401
    import site
    import traceback  # noqa: F401

    site.main()  # the runner starts without site; programs expect exit(), site-packages


def send_message(sock: socket.socket, message: dict, fds: list[int] | None = None) -> None:
    socket.send_fds(sock, [json.dumps(message).encode()], fds or [])


def recv_message(sock: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _, _ = socket.recv_fds(sock, 1 << 16, 8)
    if not data:
        raise EOFError("the runner's template process is gone")
    return json.loads(data), fds


def template_loop(sock: socket.socket) -> None:
    """The template's life: fork a test process on request, report its exit, and reap what
    it abandoned (we are its subreaper) so that their CPU time is counted."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    prepare_template()
    box: Box | None = None
    before = 0.0
    while True:
        try:
            message, fds = recv_message(sock)
        except (EOFError, OSError):
            os._exit(0)
        if "box" in message:
            box = Box(**message["box"])
            send_message(sock, {"ready": True})
        elif "run" in message and box is not None:
            argv, limits = message["run"]["argv"], message["run"]["limits"]
            here = runs_here(argv)
            before = children_cpu()
            pid = os.fork()
            if pid == 0:
                child(box, argv, limits, (fds[0], fds[1], fds[2]), here)
            for fd in fds:
                os.close(fd)
            send_message(sock, {"pid": pid})
            _, status, usage = os.wait4(pid, 0)
            send_message(sock, {"status": status, "cpu_s": usage.ru_utime + usage.ru_stime,
                                "memory_kb": usage.ru_maxrss})
        elif "pair" in message and box is not None:
            before = children_cpu()
            pair_loop(sock, box, message["pair"], fds)
        elif "reap" in message:
            reap_orphans()
            send_message(sock, {"cpu_s": children_cpu() - before})


class Template:
    """The runner's handle on its template process."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            ours.close()
            template_loop(theirs)
            os._exit(0)
        theirs.close()
        self.sock, self.pid = ours, pid

    def ask(self, message: dict, fds: list[int] | None = None) -> dict:
        send_message(self.sock, message, fds)
        return self.answer()

    def answer(self) -> dict:
        return recv_message(self.sock)[0]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_one(box: Box, template: Template, request: dict, test: dict) -> tuple[dict, int]:
    """Run one test; return its header and the stdout memfd (positioned for sending)."""
    limits = request["limits"]
    argv = [a.replace("{prog}", box.prog).replace("{data}", box.data) for a in request["argv"]]
    extra = test.get("args", [])
    argv += [a.replace("{data}", box.data).replace("{work}", box.work) for a in extra]
    if test.get("files"):
        write_tree(box.data, test["files"], 0o444)
    feedback = bool(test.get("feedback_dir"))
    box.prepare(feedback)
    stdin_fd = memfd("stdin", test.get("stdin", "").encode("utf-8", "surrogateescape"))
    stdout_fd = memfd("stdout")
    err_r, err_w = os.pipe()
    oom_before = oom_kills()
    start = time.monotonic()
    pid = template.ask({"run": {"argv": argv, "limits": limits}}, [stdin_fd, stdout_fd, err_w])
    pid = pid["pid"]
    os.close(err_w)
    os.close(stdin_fd)
    ended, wall_killed, stderr, peak = watch(box, template, pid, err_r, start + limits["wall_s"])
    wall = time.monotonic() - start
    fed = read_feedback(os.path.join(box.work, "feedback")) if feedback else None
    dirty = box.cleanup(pid)
    # Every process of the test is dead by now; the template reaps the abandoned ones.
    cpu = template.ask({"reap": True})["cpu_s"]
    stderr += drain(err_r, STDERR_KEEP - len(stderr))
    os.close(err_r)
    size = os.fstat(stdout_fd).st_size
    hit = size >= limits["output_bytes"]
    status = ended["status"]
    result = {
        "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "cpu_s": round(max(cpu, ended["cpu_s"]), 4),
        "wall_s": round(wall, 4),
        "memory_kb": ended["memory_kb"],
        "group_memory_kb": peak // 1024,
        "wall_killed": wall_killed,
        "oom_killed": oom_kills() > oom_before >= 0,
        "oom_kills": oom_kills(),
        "stderr": stderr[:STDERR_KEEP].decode("utf-8", "replace"),
        "stdout_bytes": size,
        "output_limit_hit": hit,
        # Past the limit the output is only evidence: its head is enough.
        "payload": min(size, STDERR_KEEP) if hit else size,
    }
    if fed is not None:
        result["feedback"] = fed
    if dirty:
        result["dirty"] = dirty
    return result, stdout_fd


def watch(box: Box, template: Template, pid: int, err_r: int, deadline: float):
    """Drain stderr and sample memory until the template reports the test's exit or the
    deadline passes."""
    stderr = bytearray()
    wall_killed = False
    peak = 0
    watched = [err_r, template.sock]
    sample = box.isolate  # only there do the test's processes have a uid of their own
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            wall_killed = True
            box.kill_all(pid)
            break
        ready, _, _ = select.select(watched, [], [], min(left, SAMPLE_S) if sample else left)
        if sample:  # memory split over several processes counts as one
            peak = max(peak, group_rss(box.uid))
        if err_r in ready:
            chunk = os.read(err_r, 65536)
            if not chunk:
                watched.remove(err_r)
            elif len(stderr) < STDERR_KEEP:
                stderr += chunk
        if template.sock in ready:
            break
    return template.answer(), wall_killed, stderr, peak


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


def read_feedback(path: str) -> dict[str, str]:
    out = {}
    try:
        for name in sorted(os.listdir(path))[:8]:
            with open(os.path.join(path, name), "rb") as f:
                out[name] = f.read(STDERR_KEEP).decode("utf-8", "replace")
    except OSError:
        pass
    return out


def send(header: dict, fd: int = -1) -> None:
    out = sys.stdout.buffer
    out.write(json.dumps(header).encode() + b"\n")
    out.flush()
    count = header.get("payload", 0)
    offset = 0
    while offset < count:  # straight from the memfd: no copy of the output in the runner
        sent = os.sendfile(1, fd, offset, count - offset)
        if sent == 0:
            break
        offset += sent


# -- Interactive tests: a solution and an interactor, joined only through the runner --------
#
# The request's `interaction` names the interactor (argv, files, limits). Each test then runs
# two children of the template at once: the solution, as the batch's uid, and the
# interactor, as a second uid (`interactor_uid`) whose files -- its program, the test's
# input and answer, its feedback dir -- sit in folders only that uid may read. The runner
# relays bytes between the two as they come (so an unflushed write stays unsent, as on a
# judge), keeps the head of that exchange as the transcript, and counts the solution's bytes
# against its output limit. A test ends when both have exited; when the interactor rejects,
# the solution is killed; when nothing moves -- no byte relayed, no CPU spent by either side
# -- for IDLE_S, both are killed ("idleness"), and at the wall deadline too.

TRANSCRIPT_KEEP = 64 * 1024
RELAY_CAP = 1 << 16
IDLE_S = 1.0
INTERACTION_KEY = "/interaction"  # no file name has a slash: it cannot clash with feedback


def pair_loop(sock: socket.socket, box: Box, pair: dict, fds: list[int]) -> None:
    """In the template: fork the solution and the interactor, then report each exit as it
    happens, reaping whatever else comes back to us meanwhile."""
    roles = {}
    for index, role in enumerate(("solution", "interactor")):
        spec = pair[role]
        run_box = Box(**spec["box"]) if "box" in spec else box
        pid = os.fork()
        if pid == 0:
            child(run_box, spec["argv"], spec["limits"], tuple(fds[3 * index: 3 * index + 3]),
                  runs_here(spec["argv"]))
        roles[pid] = role
    for fd in fds:
        os.close(fd)
    send_message(sock, {"pids": {role: pid for pid, role in roles.items()}})
    while roles:
        pid, status, usage = os.wait4(-1, 0)
        role = roles.pop(pid, None)
        if role is not None:
            send_message(sock, {"exited": role, "status": status,
                                "cpu_s": usage.ru_utime + usage.ru_stime,
                                "memory_kb": usage.ru_maxrss})


def as_uid_output(box: Box, action) -> bytes:
    """What `action` returns, run as the box's uid (to read what only that uid may)."""
    r, w = os.pipe()

    def write() -> None:
        os.close(r)
        data = action()
        view = memoryview(data)
        while view:
            view = view[os.write(w, view):]

    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            box.drop_privileges()
            write()
        except BaseException:
            code = 1
        os._exit(code)
    os.close(w)
    out = bytearray()
    while chunk := os.read(r, 65536):
        out += chunk
    os.close(r)
    os.waitpid(pid, 0)
    return bytes(out)


def private_tree(ibox: Box, files: dict[str, str]) -> None:
    """As the interactor's uid: its data and work dirs, readable by it alone."""
    os.umask(0o077)
    os.makedirs(ibox.root, exist_ok=True)
    os.chmod(ibox.root, 0o755)  # listable, so that the runner can check it was cleaned
    for path in (ibox.data, ibox.work, os.path.join(ibox.work, "feedback")):
        os.mkdir(path, 0o700)
    write_tree_private(ibox.data, files)


def write_tree_private(root: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        fd = os.open(os.path.join(root, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "wb") as f:
            f.write(text.encode("utf-8", "surrogateescape"))


def process_cpu(pids) -> tuple[int, bool]:
    """CPU ticks of these processes together, and whether any is running or in a disk wait
    (then it is busy, not idle, whatever its ticks say)."""
    ticks, busy = 0, False
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        busy |= fields[0] in ("R", "D")
        ticks += int(fields[11]) + int(fields[12])
    return ticks, busy


class Relay:
    """The bytes between the two programs: buffered one way each, kept as a transcript."""

    def __init__(self, output_bytes: int) -> None:
        self.buffers = {"solution": bytearray(), "interactor": bytearray()}  # bytes *from* each
        self.dead = {"solution": False, "interactor": False}  # its reader is gone
        self.sent = {"solution": 0, "interactor": 0}
        self.transcript: list[list[str]] = []
        self.kept = 0
        self.cut = False
        self.output_bytes = output_bytes

    def take(self, role: str, chunk: bytes) -> None:
        self.sent[role] += len(chunk)
        if not self.dead[role]:
            self.buffers[role] += chunk
        room = TRANSCRIPT_KEEP - self.kept
        if room <= 0:
            self.cut = True
            return
        text = chunk[:room].decode("utf-8", "replace")
        self.kept += min(room, len(chunk))
        self.cut |= len(chunk) > room
        side = role[0]
        if self.transcript and self.transcript[-1][0] == side:
            self.transcript[-1][1] += text
        else:
            self.transcript.append([side, text])

    @property
    def moved(self) -> int:
        return self.sent["solution"] + self.sent["interactor"]


def run_pair(box: Box, ibox: Box, template: Template, request: dict, test: dict) -> dict:
    """Run one interactive test; return its header (no payload: the exchange is in it)."""
    limits, interaction = request["limits"], request["interaction"]

    def paths(args, where: Box) -> list[str]:
        return [a.replace("{prog}", where.prog).replace("{data}", where.data)
                .replace("{work}", where.work) for a in args]

    argv = paths(request["argv"], box)
    iargv = [a.replace("{prog}", ibox.data) for a in interaction["argv"]]
    iargv = paths(iargv + test.get("args", []), ibox)
    files = {**interaction["files"], **test.get("files", {})}
    if not ibox.as_uid(lambda: private_tree(ibox, files)):
        return {"exit_code": 127, "stderr": "runner: cannot start program: the interactor's "
                "files could not be written", "payload": 0}
    box.prepare(False)
    s_in_r, s_in_w = os.pipe()
    s_out_r, s_out_w = os.pipe()
    s_err_r, s_err_w = os.pipe()
    i_in_r, i_in_w = os.pipe()
    i_out_r, i_out_w = os.pipe()
    i_err_r, i_err_w = os.pipe()
    ibox_spec = {"root": ibox.root, "isolate": ibox.isolate, "uid": ibox.uid}
    pair = {"solution": {"argv": argv, "limits": limits},
            "interactor": {"argv": iargv, "limits": interaction["limits"], "box": ibox_spec}}
    oom_before = oom_kills()
    start = time.monotonic()
    pids = template.ask({"pair": pair}, [s_in_r, s_out_w, s_err_w, i_in_r, i_out_w, i_err_w])
    pids = pids["pids"]
    for fd in (s_in_r, s_out_w, s_err_w, i_in_r, i_out_w, i_err_w):
        os.close(fd)
    relay = Relay(limits["output_bytes"])
    # A write to a program that has gone must fail, not kill the runner.
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    try:
        seen = watch_pair(box, ibox, template, pids, relay, start + limits["wall_s"],
                          {"solution": (s_out_r, i_in_w), "interactor": (i_out_r, s_in_w)},
                          {"solution": s_err_r, "interactor": i_err_r})
    finally:
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    wall = time.monotonic() - start
    def collect() -> bytes:
        """As the interactor's uid, in one fork: read its feedback, then kill and remove
        all it left (so that its cleanup below needs no fork of its own)."""
        fed = json.dumps(read_feedback(os.path.join(ibox.work, "feedback"))).encode()
        if ibox.isolate:
            kill_uid()
            for path in owned_entries((ibox.root, *SCRATCH_DIRS), ibox.uid):
                force_remove(path)
        return fed

    feedback = json.loads(as_uid_output(ibox, collect) or b"{}")
    dirty = box.cleanup(pids["solution"]) or ibox.cleanup(pids["interactor"])
    cpu = template.ask({"reap": True})["cpu_s"]
    ended, iended = seen["exits"]["solution"], seen["exits"]["interactor"]
    status, istatus = ended["status"], iended["status"]
    interactor = {
        "exit_code": os.WEXITSTATUS(istatus) if os.WIFEXITED(istatus) else None,
        "signal": os.WTERMSIG(istatus) if os.WIFSIGNALED(istatus) else None,
        "cpu_s": round(iended["cpu_s"], 4),
        "killed": seen["killed"].get("interactor", ""),
        "stderr": seen["stderr"]["interactor"][:STDERR_KEEP].decode("utf-8", "replace"),
    }
    meta = {"interactor": interactor, "first": seen["first"], "idle": seen["idle"],
            "killed": seen["killed"].get("solution", ""), "transcript": relay.transcript,
            "transcript_cut": relay.cut, "bytes": relay.sent}
    feedback[INTERACTION_KEY] = json.dumps(meta)
    result = {
        "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "cpu_s": round(max(ended["cpu_s"], cpu - iended["cpu_s"]), 4),
        "wall_s": round(wall, 4),
        "memory_kb": ended["memory_kb"],
        "group_memory_kb": seen["peak"] // 1024,
        "wall_killed": seen["wall_killed"],
        "oom_killed": oom_kills() > oom_before >= 0,
        "oom_kills": oom_kills(),
        "stderr": seen["stderr"]["solution"][:STDERR_KEEP].decode("utf-8", "replace"),
        "stdout_bytes": relay.sent["solution"],
        "output_limit_hit": relay.sent["solution"] > limits["output_bytes"],
        "feedback": feedback,
        "payload": 0,
    }
    if dirty:
        result["dirty"] = dirty
    return result


def watch_pair(box: Box, ibox: Box, template: Template, pids: dict, relay: Relay,
               deadline: float, routes: dict, errs: dict) -> dict:
    """Relay, drain both stderrs, sample memory and activity, until both programs exit."""
    boxes = {"solution": box, "interactor": ibox}
    readers = {route[0]: role for role, route in routes.items()}
    writers = {role: route[1] for role, route in routes.items()}  # where each role's bytes go
    for fd in writers.values():
        os.set_blocking(fd, False)
    err_of = {fd: role for role, fd in errs.items()}
    stderr = {"solution": bytearray(), "interactor": bytearray()}
    exits: dict = {}
    killed: dict = {}
    first = None
    wall_killed = idle = False
    peak = 0
    activity, still_since, next_sample = None, time.monotonic(), 0.0

    def kill(role: str, why: str) -> None:
        if role not in exits and role not in killed:
            killed[role] = why
            boxes[role].kill_all(pids[role])

    def close_writer(role: str) -> None:
        fd = writers[role]
        if fd >= 0:
            os.close(fd)
            writers[role] = -1
            routes[role] = (routes[role][0], -1)

    while len(exits) < 2:
        now = time.monotonic()
        if now >= deadline and not wall_killed:
            wall_killed = True
            kill("solution", "wall")
            kill("interactor", "wall")
        if now >= next_sample:
            next_sample = now + SAMPLE_S
            if box.isolate:
                peak = max(peak, group_rss(box.uid))
                procs = live_processes(box.uid) + live_processes(ibox.uid)
            else:
                procs = [pid for role, pid in pids.items() if role not in exits]
            ticks, busy = process_cpu(procs)
            now_activity = (ticks, relay.moved)
            if busy or now_activity != activity:
                activity, still_since = now_activity, now
            elif now - still_since >= IDLE_S and not wall_killed and not idle:
                idle = wall_killed = True
                kill("solution", "idle")
                kill("interactor", "idle")
        rlist = [template.sock, *err_of]
        for fd, role in readers.items():
            if len(relay.buffers[role]) < RELAY_CAP:
                rlist.append(fd)
        wlist = [writers[role] for role in writers
                 if writers[role] >= 0 and relay.buffers[role]]
        timeout = max(0.0, min(deadline - now, next_sample - now)) if not wall_killed else 0.05
        ready, writable, _ = select.select(rlist, wlist, [], timeout)
        for fd in ready:
            if fd in err_of:
                role = err_of[fd]
                chunk = os.read(fd, 65536)
                if not chunk:
                    del err_of[fd]
                    os.close(fd)
                elif len(stderr[role]) < STDERR_KEEP:
                    stderr[role] += chunk
            elif fd in readers:
                role = readers[fd]
                chunk = os.read(fd, RELAY_CAP)
                if not chunk:  # its stdout is closed: the other side reads EOF once drained
                    del readers[fd]
                    os.close(fd)
                    # Who stopped talking first ended first: a program's stdout closes as
                    # it exits, before its parent hears of the exit, and the other side
                    # reads EOF only after that.
                    first = first or role
                    if not relay.buffers[role]:
                        close_writer(role)
                    continue
                relay.take(role, chunk)
                if role == "solution" and relay.sent[role] > relay.output_bytes:
                    kill("solution", "output")
        for role, fd in list(writers.items()):
            if fd < 0 or fd not in writable:
                continue
            try:
                done = os.write(fd, relay.buffers[role])
                del relay.buffers[role][:done]
            except BlockingIOError:
                pass
            except OSError:  # the reader is gone: what it would have read is dropped
                relay.dead[role] = True
                relay.buffers[role].clear()
                close_writer(role)
                continue
            if not relay.buffers[role] and routes[role][0] not in readers:
                close_writer(role)
        if template.sock in ready:
            message = template.answer()
            role = message["exited"]
            exits[role] = message
            first = first or role
            if (role == "interactor" and not accepted_exit(message["status"])
                    and not dead(pids["solution"])):
                # The verdict is in: no more waiting for it. A solution already dead (its
                # exit just not heard yet) was not killed for it, and keeps its own verdict.
                kill("solution", "rejected")
    for fd, role in list(err_of.items()):
        stderr[role] += drain(fd, STDERR_KEEP - len(stderr[role]))
        os.close(fd)
    for fd in [*readers, *(fd for fd in writers.values() if fd >= 0)]:
        os.close(fd)
    return {"exits": exits, "first": first, "idle": idle, "wall_killed": wall_killed,
            "killed": killed, "stderr": stderr, "peak": peak}


def dead(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return True


def accepted_exit(status: int) -> bool:
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 42


STACK_BYTES = 1 << 30


def ensure_stack_room() -> None:
    """A program run in a fork of this interpreter grows its main stack into the gap the
    kernel left below it when this interpreter started, a gap sized from RLIMIT_STACK at
    that moment. So start over once with a generous limit: deep recursion then has the room
    a freshly started interpreter would have."""
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    want = STACK_BYTES if hard == resource.RLIM_INFINITY else min(STACK_BYTES, hard)
    if soft == resource.RLIM_INFINITY or soft >= want:
        return
    resource.setrlimit(resource.RLIMIT_STACK, (want, hard))
    with open("/proc/self/cmdline", "rb") as f:
        argv = f.read().split(b"\0")[:-1]
    os.execv(sys.executable, argv)


def main() -> int:
    # Forked before the request is read: no test's data is ever in the template's memory.
    template = Template()
    request = json.loads(sys.stdin.buffer.read())
    isolate = request.get("isolate", True)
    box = Box(request["root"], isolate, int(request.get("uid", 0)))
    if isolate and os.getuid() != 0:
        send({"fatal": "the runner must start as root to isolate"})
        return 2
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    os.makedirs(box.root, exist_ok=True)
    if isolate:
        os.chmod(box.root, 0o1777)  # the sandbox uid makes its work dir here
        dirty = box.cleanup(0)  # a runner killed half-way may have left things behind
        if dirty:
            send({"fatal": dirty})
            return 2
    write_tree(box.prog, request.get("files", {}), 0o444)
    ibox = None
    if request.get("interaction"):
        ibox = Box(os.path.join(box.root, "judge"), isolate,
                   int(request.get("interactor_uid", box.uid)))
    # Answered once the template has loaded what programs need: no test waits for that.
    template.ask({"box": {"root": box.root, "isolate": isolate, "uid": box.uid}})
    send({"hello": True, "oom_kills": oom_kills()})
    for index, test in enumerate(request["tests"]):
        try:
            if ibox is None:
                result, stdout_fd = run_one(box, template, request, test)
            else:
                result, stdout_fd = run_pair(box, ibox, template, request, test), -1
        except (EOFError, OSError) as exc:
            send({"fatal": f"the runner's template process failed: {exc}"})
            return 2
        result["index"] = index
        send(result, stdout_fd)
        if stdout_fd >= 0:
            os.close(stdout_fd)
        if result.get("dirty"):
            send({"fatal": result["dirty"]})
            return 2
    force_remove(box.prog)
    if ibox is not None:
        ibox.as_uid(lambda: force_remove(ibox.root))
    return 0


if __name__ == "__main__":
    ensure_stack_room()
    sys.exit(main())
