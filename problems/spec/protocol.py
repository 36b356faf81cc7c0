"""What stress, timing and `gen` need of a spec, whichever kind: a problem's stdin
(`InputSpec`) or the arguments of a method its tests call (`call_args.CallSpec`)."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from hypothesis import strategies as st

from cpagent.problems.spec.generate import Mode, Shape

__all__ = ["Spec"]


@runtime_checkable
class Spec(Protocol):
    def strategy(self, mode: Mode = "random", *, scale: float | None = None
                 ) -> st.SearchStrategy[str]:
        """Inputs as a hypothesis strategy, shrinkable in `tiny`, `random` and `edge`."""
        ...

    def generate(self, mode: Mode = "random", seed: int = 0, *, scale: float | None = None,
                 shape: Shape = "random") -> str:
        """One input from a seed; fast enough for the largest sizes."""
        ...

    def validate(self, text: str) -> None:
        """Raise `SpecMismatch` unless `text` is an input of this spec."""
        ...

    def model_dump(self, **kwargs: Any) -> dict[str, Any]: ...
