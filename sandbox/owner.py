"""Who owns a resource: a process named by host, pid and start time, so that a pid reused by
another process after a crash is not taken for the owner."""

from __future__ import annotations

import os
import socket

__all__ = ["owner_alive", "owner_tag"]


def _start_time(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def owner_tag() -> str:
    """This process: `host:pid:start time`."""
    return f"{socket.gethostname()}:{os.getpid()}:{_start_time(os.getpid())}"


def owner_alive(tag: str) -> bool:
    """Whether the process `tag` names still runs. One on another host is taken to be alive:
    it is not ours to judge."""
    host, _, rest = tag.partition(":")
    pid, _, start = rest.partition(":")
    if host != socket.gethostname():
        return True
    return pid.isdigit() and _start_time(int(pid)) == start
