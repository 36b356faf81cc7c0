"""Imports the harness adds to a model's program: only names that one standard-library
import binds, only when the program binds them nowhere, and never above a __future__."""

from __future__ import annotations

import subprocess
import sys

from cpagent.agent.flow.imports import add_missing_imports, missing_imports


def test_a_program_using_sys_and_heappop_without_imports_gets_both():
    code = "n = int(sys.stdin.readline())\nh = [1, 3]\nheappop(h)\nprint(n + h[0])\n"
    fixed, added = add_missing_imports(code)
    assert added == ["from heapq import heappop", "import sys"]
    run = subprocess.run([sys.executable, "-c", fixed], input="4\n", capture_output=True,
                         text=True, timeout=30)
    assert run.returncode == 0 and run.stdout == "7\n", run.stderr


def test_names_the_program_binds_itself_are_left_alone():
    code = ("def gcd(a, b):\n    return a if b == 0 else gcd(b, a % b)\n"
            "import math as sys\nfor deque in range(2):\n    print(gcd(4, 6), sys.pi, deque)\n"
            "try:\n    pass\nexcept Exception as Counter:\n    print(Counter)\n")
    assert missing_imports(code) == []


def test_unknown_names_builtins_and_broken_programs_add_nothing():
    assert missing_imports("print(len(undefined_thing), max(1, 2))\n") == []
    assert missing_imports("def f(:\n") == []
    code = "print(1)\n"
    assert add_missing_imports(code) == (code, [])


def test_imports_go_after_a_future_import_and_a_shebang():
    code = "#!/usr/bin/env python3\nfrom __future__ import annotations\nprint(math.gcd(4, 6))\n"
    fixed, added = add_missing_imports(code)
    assert added == ["import math"]
    assert fixed.splitlines()[:3] == ["#!/usr/bin/env python3",
                                      "from __future__ import annotations", "import math"]
    compile(fixed, "<fixed>", "exec")  # a __future__ import below another line would not
