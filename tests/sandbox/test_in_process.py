"""Python programs run in a fork of the runner's pristine template interpreter, not in a
freshly started one. The program must not be able to tell: each program here runs both
ways -- in-process, and exec'd through /usr/bin/env -- and must behave identically."""

from __future__ import annotations

import pytest

from cpagent.problems.model import Limits
from cpagent.sandbox.model import Job, Program

pytestmark = pytest.mark.docker

LIMITS = Limits(time_s=2, memory_mb=256)
EXEC = ["/usr/bin/env", "python3", "{prog}/sol.py"]

PROGRAMS = {
    "fast input": "import os\nprint(sum(map(int, os.read(0, os.fstat(0).st_size).split())))\n",
    "carriage returns kept": "print(repr(input()), repr(input()))\n",
    "buffer and text stdin": "import sys\nprint(sys.stdin.readline(), sys.stdin.buffer.read())\n",
    "open fd 0": "print(open(0).read().split())\n",
    "identity": "import os, sys\nprint(__name__, sys.argv, os.getcwd(), sorted(os.environ))\n",
    "exit code": "import sys\nprint('out')\nsys.exit(3)\n",
    "exit message": "print('partial', end='')\nexit('bye')\n",
    "exit builtin": "print(1)\nquit()\n",
    "exception": "def f(x):\n    return 1 // x\n\nprint(f(0))\n",
    "syntax error": "x = (\n",
    "keyboard interrupt": "raise KeyboardInterrupt\n",
    "thread main": (
        "import sys, threading\nsys.setrecursionlimit(10**6)\nthreading.stack_size(1 << 26)\n"
        "def depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)\n"
        "def main():\n    print(depth(50000))\n"
        "threading.Thread(target=main).start()\n"),
    "thread exception": (
        "import threading\nt = threading.Thread(target=lambda: 1 / 0)\nt.start()\nt.join()\n"
        "print('after')\n"),
    "deep recursion": (
        "import sys\nsys.setrecursionlimit(10**6)\n"
        "def depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)\nprint(depth(100000))\n"),
    "atexit": "import atexit\natexit.register(print, 'at exit')\nprint('main')\n",
    "unflushed at os._exit": "import os\nprint('lost')\nos._exit(0)\n",
    "unencodable": "print('\\udcff')\n",
    "stderr": "import sys\nprint('to err', file=sys.stderr)\nprint('to out')\n",
    "signals": ("import signal\nprint(signal.getsignal(signal.SIGPIPE), "
                "signal.getsignal(signal.SIGXFSZ), signal.getsignal(signal.SIGINT))\n"),
    "own proc files": ("import os\nprint(os.stat('/proc/self/status').st_uid == os.getuid())\n"
                       "open('/proc/self/oom_score_adj', 'w').write('1000')\n"),
    "main module": "import sys\nprint(sys.modules['__main__'].__file__, __spec__, __package__)\n",
}


def observed(execution):
    return (execution.status, execution.exit_code, execution.signal, execution.stdout,
            execution.stderr)


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_in_process_run_is_indistinguishable_from_exec(docker_sandbox, name):
    program = Program(source=PROGRAMS[name])
    job = Job(stdin="4 5\r\n6\r\n")
    [here] = docker_sandbox.run(program, [job], LIMITS)
    [there] = docker_sandbox.run(program, [job], LIMITS, argv=EXEC)
    assert observed(here) == observed(there)


def test_each_test_gets_fresh_interpreter_state(docker_sandbox):
    """Module state, seeds and globals do not carry from one test to the next."""
    source = ("import random, sys\nsys.modules.setdefault('seen', [])\n"
              "import builtins\nprint(hasattr(builtins, 'mark'), random.random())\n"
              "builtins.mark = 1\n")
    runs = docker_sandbox.run(Program(source=source), ["", "", ""], LIMITS)
    firsts = [r.stdout.split()[0] for r in runs]
    draws = {r.stdout.split()[1] for r in runs}
    assert firsts == ["False"] * 3 and len(draws) == 3


def test_a_test_cannot_find_an_earlier_test_s_data_in_its_memory(docker_sandbox):
    """The template forked before any test's data arrived: the first test's input, files and
    stderr appear nowhere in the second test's address space."""
    secret = "Zq" + "7f3a9c1e5b" * 3
    source = """import os, sys
wanted = [int(x) for x in sys.stdin.read().split()]
if not wanted:  # the first test: its data is the secret, and it shouts it on stderr
    print(open("/box/data/s.txt").read(), file=sys.stderr)
    sys.exit(0)
first, rest = bytes(wanted[:2]), wanted[2:]  # never the whole secret in one object
hits = 0
with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", 0) as mem:
    for line in maps:
        span, perms = line.split()[:2]
        if not perms.startswith("r") or "[v" in line:
            continue
        lo, hi = (int(x, 16) for x in span.split("-"))
        try:
            mem.seek(lo)
            chunk = mem.read(hi - lo)
        except (OSError, OverflowError, ValueError):
            continue
        at = chunk.find(first)
        while at >= 0:
            if all(chunk[at + 2 + k] == b for k, b in enumerate(rest) if at + 2 + k < len(chunk)):
                hits += 1
            at = chunk.find(first, at + 1)
print(hits)
"""
    first = Job(stdin=secret, files={"s.txt": secret})
    probe = Job(stdin=" ".join(str(b) for b in secret.encode()))
    _, scan = docker_sandbox.run(Program(source=source), [first, probe],
                                 Limits(time_s=10, memory_mb=256))
    assert scan.status == "ok", scan.stderr[-500:]
    assert scan.stdout == "0\n"
    # The control: with the secret really in memory (in the program's own source), the scan
    # finds it.
    [control] = docker_sandbox.run(Program(source=source + "# " + secret + "\n"), [probe],
                                   Limits(time_s=10, memory_mb=256))
    assert int(control.stdout) >= 1
