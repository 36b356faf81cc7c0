"""Every run status and verdict, from evidence, on the real Docker engine, for both
interpreters; the local backend on the same programs where it can tell them apart."""

from __future__ import annotations

import pytest

from cpagent.problems.model import Limits, Problem, TestCase
from cpagent.sandbox import Program, Verdict, judge

SUM = "import os\nd = os.read(0, os.fstat(0).st_size).split()\nprint(sum(map(int, d)))\n"
PROGRAMS = {
    "ok": (SUM, "ok"),
    "re": ("import sys\nsys.exit(3)\n", "re"),
    "exception": ("raise ValueError('boom')\n", "re"),
    "segfault": ("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n", "re"),
    "busy": ("while True:\n    pass\n", "tle"),
    "sleep": ("import time\ntime.sleep(60)\n", "tle"),
    "memory": ("x = bytearray(400 << 20)\nx[::4096] = b'1' * len(x[::4096])\nprint(len(x))\n",
               "mle"),
    "output": ("import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n", "ole"),
}
LIMITS = Limits(time_s=1, memory_mb=128, output_mb=4)


@pytest.mark.docker
@pytest.mark.parametrize("lang", ["python", "pypy"])
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_docker_status(docker_sandbox, lang, name):
    source, status = PROGRAMS[name]
    run = docker_sandbox.run(Program(source=source, lang=lang), ["4 5\n"], LIMITS)[0]
    assert run.status == status, (run.reason, run.stderr[-300:])
    if status == "ok":
        assert run.stdout == "9\n" and run.exit_code == 0 and run.memory_kb > 1000
    if name == "segfault":
        assert run.signal == 11
    if name == "sleep":
        assert run.wall_s >= 2 and run.cpu_s < 0.5  # a wall-clock kill, not a CPU one
    if name == "busy":
        assert run.cpu_s > LIMITS.time_s
    if name == "memory" and lang == "python":
        assert "out-of-memory" in run.reason  # the cgroup's OOM counter said so


@pytest.mark.parametrize("name", ["ok", "re", "exception", "busy", "sleep", "output"])
def test_local_status(local_sandbox, name):
    source, status = PROGRAMS[name]
    run = local_sandbox.run(Program(source=source), ["4 5\n"], LIMITS)[0]
    assert run.status == status, run.reason


def test_local_memory_limit(local_sandbox):
    run = local_sandbox.run(Program(source=PROGRAMS["memory"][0]), [""], LIMITS)[0]
    assert run.status == "mle"  # the address-space rlimit turns into MemoryError


@pytest.mark.docker
def test_stdin_is_a_regular_file_and_batches_keep_order(docker_sandbox):
    source = "import os, stat\nst = os.fstat(0)\nprint(stat.S_ISREG(st.st_mode), st.st_size)\n"
    inputs = [f"{'x' * i}\n" for i in range(1, 30)]
    runs = docker_sandbox.run(Program(source=source), inputs, LIMITS)
    assert [r.stdout for r in runs] == [f"True {i + 1}\n" for i in range(1, 30)]


# The shape of the fast-I/O class many Codeforces Python solutions start with: it reads
# the std streams' `mode`, which CPython sets at start-up.
FAST_IO = """import os, sys
from io import BytesIO, IOBase
class FastIO(IOBase):
    def __init__(self, file):
        self._fd = file.fileno()
        self.buffer = BytesIO()
        self.writable = "x" in file.mode or "r" not in file.mode
        self.write = self.buffer.write if self.writable else None
    def read(self):
        return os.read(self._fd, os.fstat(self._fd).st_size)
    def flush(self):
        if self.writable:
            os.write(self._fd, self.buffer.getvalue())
            self.buffer.truncate(0), self.buffer.seek(0)
inp, out = FastIO(sys.stdin), FastIO(sys.stdout)
out.write(str(sum(map(int, inp.read().split()))).encode() + b" " + sys.stdin.mode.encode()
          + sys.stdout.mode.encode() + b"\\n")
out.flush()
"""


@pytest.mark.docker
@pytest.mark.parametrize("lang", ["python", "pypy"])
def test_std_streams_have_the_mode_cpython_gives_them(docker_sandbox, lang):
    runs = docker_sandbox.run(Program(source=FAST_IO, lang=lang), ["1 2 3\n", "40 2\n"], LIMITS)
    assert [(r.status, r.stdout) for r in runs] == [("ok", "6 rw\n"), ("ok", "42 rw\n")], runs


# Two ways programs end that the interpreter's shutdown must honour: output written to
# sys.__stdout__ by an atexit hook after sys.stdout was swapped for a buffer, and a stdout
# the program closed itself (`with sys.stdout as out`).
SHUTDOWN_PROGRAMS = {
    "atexit_writes_the_buffer": (
        "import atexit, io, sys\nbuf = io.StringIO()\nsys.stdout = buf\n"
        "atexit.register(lambda: sys.__stdout__.write(buf.getvalue()))\n"
        "print(sum(map(int, sys.stdin.read().split())))\n"),
    "closes_its_stdout": (
        "import sys\nwith sys.stdin as fin, sys.stdout as out:\n"
        "    print(sum(map(int, fin.read().split())), file=out)\n"),
}


@pytest.mark.docker
@pytest.mark.parametrize("lang", ["python", "pypy"])
@pytest.mark.parametrize("name", sorted(SHUTDOWN_PROGRAMS))
def test_output_survives_the_ways_programs_end(docker_sandbox, lang, name):
    program = Program(source=SHUTDOWN_PROGRAMS[name], lang=lang)
    runs = docker_sandbox.run(program, ["1 2 3\n", "40 2\n"], LIMITS)
    assert [(r.status, r.exit_code, r.stdout) for r in runs] == [
        ("ok", 0, "6\n"), ("ok", 0, "42\n")], runs


@pytest.mark.docker
def test_memory_is_measured(docker_sandbox):
    source = "x = bytearray(60 << 20)\nx[::4096] = b'1' * len(x[::4096])\nprint('done')\n"
    run = docker_sandbox.run(Program(source=source), [""], Limits(memory_mb=256))[0]
    assert run.status == "ok"
    assert 60 * 1024 < run.memory_kb < 120 * 1024


@pytest.mark.docker
def test_limits_change_between_batches(docker_sandbox):
    """A pooled container is resized when the next batch has another memory limit."""
    source = "x = bytearray(150 << 20)\nx[::4096] = b'1' * len(x[::4096])\nprint('done')\n"
    small = docker_sandbox.run(Program(source=source), [""], Limits(memory_mb=100))[0]
    large = docker_sandbox.run(Program(source=source), [""], Limits(memory_mb=400))[0]
    assert (small.status, large.status) == ("mle", "ok")


def _problem(answer: str, **fields) -> Problem:
    return Problem(id="t", tests=[TestCase(name="1", input="4 5\n", answer=answer)], **fields)


@pytest.mark.docker
@pytest.mark.parametrize("lang", ["python", "pypy"])
@pytest.mark.parametrize(
    ("name", "answer", "verdict"),
    [("ok", "9", Verdict.AC), ("ok", "10", Verdict.WA), ("re", "9", Verdict.RE),
     ("busy", "9", Verdict.TLE), ("memory", "9", Verdict.MLE), ("output", "9", Verdict.OLE)],
)
def test_judge_verdicts(docker_sandbox, lang, name, answer, verdict):
    problem = _problem(answer, limits=LIMITS)
    report = judge(docker_sandbox, Program(source=PROGRAMS[name][0], lang=lang), problem)
    assert report.verdict is verdict
    assert report.tests[0].verdict is verdict


@pytest.mark.docker
def test_judge_reports_first_failure_and_counts(docker_sandbox):
    tests = [TestCase(name=str(i), input=f"{i} {i}\n", answer=str(2 * i + (i == 3)))
             for i in range(1, 6)]
    report = judge(docker_sandbox, Program(source=SUM), Problem(id="t", tests=tests))
    assert (report.verdict, report.passed, report.total) == (Verdict.WA, 4, 5)
    assert report.first_failure().name == "3"
    assert "expected '7', got '6'" in report.first_failure().message
