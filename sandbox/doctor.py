"""`cpagent sandbox doctor`: every part the sandbox needs, tried for real, one line each."""

from __future__ import annotations

from dataclasses import dataclass

from cpagent.problems.model import Limits
from cpagent.sandbox.errors import SandboxError
from cpagent.sandbox.languages import LANGUAGES
from cpagent.sandbox.model import Program

# Each probe prints "ok" only if the sandbox holds; anything else is what leaked.
PROBES = {
    "no network": "import socket\ntry:\n socket.create_connection(('10.0.0.1', 80), timeout=1)\n"
                  " print('connected')\nexcept OSError:\n print('ok')",
    "unprivileged user": "import os\nprint('ok' if os.getuid() != 0 else 'root')",
    "read-only system": "try:\n open('/usr/cpagent-probe', 'w')\n print('writable')\n"
                        "except OSError:\n print('ok')",
}


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def diagnose(backend: str = "docker") -> list[Check]:
    from cpagent.sandbox import open_sandbox

    checks: list[Check] = []
    try:
        box = open_sandbox(backend, **({"size": 1} if backend == "docker" else {"quiet": True}))
    except SandboxError as exc:
        return [Check(f"{backend} sandbox", False, str(exc))]
    with box:
        image = getattr(box, "image", "none: programs run on this machine, not isolated")
        checks.append(Check(f"{backend} sandbox", True, f"image {image}"))
        for name, spec in LANGUAGES.items():
            checks.append(_language(box, name, spec.self_test))
        if backend == "docker":
            for name, source in PROBES.items():
                out = box.run(Program(source=source), [""], Limits(time_s=3))[0]
                checks.append(Check(name, out.stdout.strip() == "ok", out.stdout.strip()
                                    or out.reason))
    return checks


def _language(box, name: str, source: str) -> Check:
    if name not in box.languages:
        return Check(name, False, "not available in this sandbox")
    try:
        out = box.run(Program(source=source, lang=name), ["20 22\n"], Limits())[0]
    except SandboxError as exc:
        return Check(name, False, str(exc))
    good = out.status == "ok" and out.stdout.strip() == "42"
    return Check(name, good, f"self-test {out.status}, {out.cpu_s:.3f}s" if good else out.reason)
