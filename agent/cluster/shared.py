"""What every node's model client shares: the call log (and so its replay cache), kept by one
actor beside the driver's SQLite file, and one rate-limit gate, so that ten nodes hitting a
429 all hold rather than each finding out with a 429 of its own.

On the nodes these stand in for `CallLog` and `RateGate`: the model client calls the same
methods and cannot tell the difference.
"""

from __future__ import annotations

from typing import Any

from cpagent.agent.llm import CallLog
from cpagent.agent.llm.log import CallRecord
from cpagent.agent.llm.retry import RateGate

__all__ = ["CallLogService", "GateService", "RemoteCallLog", "RemoteGate"]


class CallLogService:
    """The actor that owns the call log: the only process that writes it."""

    def __init__(self, path: str) -> None:
        self.log = CallLog(path)

    def record(self, fields: dict[str, Any]) -> int:
        return self.log.record(**fields)

    def lookup(self, key: str) -> CallRecord | None:
        return self.log.lookup(key)

    def get(self, call_id: int) -> CallRecord | None:
        return self.log.get(call_id)


class RemoteCallLog:
    """The call log as a node sees it: each read and write one call to the log's actor."""

    def __init__(self, actor: Any, path: str) -> None:
        self.actor, self.path = actor, path

    def __repr__(self) -> str:
        return f"RemoteCallLog({self.path!r})"

    def _ask(self, method: str, *args: Any) -> Any:
        import ray

        return ray.get(getattr(self.actor, method).remote(*args))

    def record(self, **fields: Any) -> int:
        return self._ask("record", fields)

    def lookup(self, key: str) -> CallRecord | None:
        return self._ask("lookup", key)

    def get(self, call_id: int) -> CallRecord | None:
        return self._ask("get", call_id)

    def close(self) -> None:
        pass  # the actor's, closed with the run


class GateService:
    """The actor that holds the shared pause: until when every node waits."""

    def __init__(self) -> None:
        self.gate = RateGate()

    def hold(self, seconds: float) -> None:
        self.gate.hold(seconds)

    def remaining(self) -> float:
        return self.gate.remaining()


class RemoteGate(RateGate):
    """A RateGate whose pause lives in the gate's actor, shared by every node."""

    def __init__(self, actor: Any) -> None:
        super().__init__()
        self.actor = actor

    def hold(self, seconds: float) -> None:
        import ray

        ray.get(self.actor.hold.remote(seconds))

    def remaining(self) -> float:
        import ray

        return ray.get(self.actor.remaining.remote())
