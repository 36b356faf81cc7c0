"""The service's settings: where it listens, who may call it, and how much one request may
ask for. One model, read by the command line and by the app."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ServeConfig", "is_loopback"]

LIBRARY = Path(__file__).resolve().parents[2] / "problems" / "library"


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine only. 0.0.0.0 and :: are every
    interface, so not."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class ServeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    token: str | None = Field(None, description="bearer token; required beyond loopback")
    backend: str = "docker"
    pool: int = Field(0, ge=0, description="sandbox containers; 0: one per CPU")
    queue: int = Field(64, ge=0, description="requests waiting for a slot before 429")
    max_body_bytes: int = Field(8 << 20, gt=0)
    max_code_bytes: int = Field(256 << 10, gt=0)
    max_tests: int = Field(5000, gt=0, description="tests per request (programs x tests)")
    max_run_s: float = Field(1800.0, gt=0, description="CPU seconds one request may ask "
                             "for: tests x programs x the time limit")
    max_memory_mb: int = Field(2048, gt=0)
    default_memory_mb: int = Field(1024, gt=0)
    problems: Path = Field(LIBRARY, description="root of the problems /judge may name")

    def check(self) -> None:
        """Refuse settings that would be unsafe: raises ValueError with one line."""
        if self.token is not None and not self.token.strip():
            raise ValueError("--token is empty")
        if self.token is None and not is_loopback(self.host):
            raise ValueError(f"listening on {self.host} (beyond loopback) needs a token: set "
                             "CPAGENT_SERVE_TOKEN or --token")
        if not self.problems.is_dir():
            raise ValueError(f"--problems {self.problems}: no such directory")
        if self.default_memory_mb > self.max_memory_mb:
            raise ValueError("the default memory limit is above the maximum")
