"""`InputSpec`: the root of a spec, and the one object callers use.

    spec = InputSpec.model_validate({"input": [...]})   # or load_spec("input_spec.yaml")
    spec.strategy("tiny")        # hypothesis strategy of stdin texts
    spec.generate("max", seed=1) # one text, fast, for maximum sizes
    spec.parse(text)             # values by name, or SpecMismatch naming line and token
    spec.render(values)          # the inverse of parse

Validation errors of every kind (unknown element, bad bound, a name used before it is
defined) surface as one-line `SpecError`s, not pydantic's multi-line reports: a model
that wrote the spec reads the message back.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from cpagent.problems.spec.analysis import Plan, analyse
from cpagent.problems.spec.errors import SpecError
from cpagent.problems.spec.generate import Mode, Shape, generate_text
from cpagent.problems.spec.model import Element
from cpagent.problems.spec.parse import parse_values
from cpagent.problems.spec.render import render_values
from cpagent.problems.spec.strategies import input_strategy

__all__ = ["InputSpec"]


def _one_line(exc: ValidationError) -> str:
    errors = exc.errors()
    first = errors[0]
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, SpecError):
        message = str(cause)
    elif first["type"] == "union_tag_invalid":
        ctx = first["ctx"]
        message = f"unknown element type {ctx['tag']!r} (known: {ctx['expected_tags']})"
    else:
        message = " ".join(first["msg"].split())
    where = ".".join(str(part) for part in first["loc"])
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {message}{more}" if where else f"{message}{more}"


class InputSpec(BaseModel):
    """A problem's stdin: `input` lists its elements in order (see `problems.spec.model`)."""

    # Frozen: the plan is derived from `input` once; reassigning it would leave it stale.
    model_config = ConfigDict(extra="forbid", frozen=True)

    input: list[Element] = Field(min_length=1)
    _plan: Plan = PrivateAttr(default_factory=Plan)

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise SpecError(_one_line(exc)) from None

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> InputSpec:
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise SpecError(_one_line(exc)) from None

    @classmethod
    def model_validate_json(cls, json_data: Any, *args: Any, **kwargs: Any) -> InputSpec:
        try:
            return super().model_validate_json(json_data, *args, **kwargs)
        except ValidationError as exc:
            raise SpecError(_one_line(exc)) from None

    @model_validator(mode="before")
    @classmethod
    def _bare_list(cls, data: Any) -> Any:
        # A file may hold just the list of elements.
        return {"input": data} if isinstance(data, list) else data

    @model_validator(mode="after")
    def _analyse(self) -> InputSpec:
        self._plan = analyse(self.input)
        return self

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> InputSpec:
        # The plan is keyed by the identity of the elements: a deep copy needs its own.
        copy = super().__deepcopy__(memo)
        copy._plan = analyse(copy.input)
        return copy

    def model_copy(self, *, update: Any = None, deep: bool = False) -> InputSpec:
        copy = super().model_copy(update=update, deep=deep)
        copy._plan = analyse(copy.input)
        return copy

    def __eq__(self, other: object) -> bool:
        # By content: the private plan is derived, and keyed by object identity.
        if not isinstance(other, InputSpec):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]  # mutable, like every pydantic model

    def strategy(
        self, mode: Mode = "random", *, scale: float | None = None
    ) -> st.SearchStrategy[str]:
        """Stdin texts; `tiny` and `random` shrink, `max` comes from `generate`.
        `scale` caps random-mode sizes (their product), default 1000."""
        return input_strategy(self.input, self._plan, mode, scale)

    def generate(self, mode: Mode = "random", seed: int = 0, *, scale: float | None = None,
                 shape: Shape = "random") -> str:
        """One stdin text from `random.Random(seed)`; fast enough for 2*10^5-size inputs.
        In max mode `shape` draws a slow program's worst case (see `generate.SHAPES`)."""
        return generate_text(self.input, self._plan, mode, seed, scale, shape)

    def parse(self, text: str) -> dict[str, Any]:
        """Values by name; lists of dicts for `repeat` and `testcases`, a dict with `tag`
        for a `choice`.  Raises `SpecMismatch` naming the line and token."""
        return parse_values(self.input, self._plan, text)

    def validate(self, text: str) -> None:  # type: ignore[override]
        """Raise `SpecMismatch` unless `text` fits the spec."""
        self.parse(text)

    def render(self, values: dict[str, Any]) -> str:
        """The stdin text of `values`, in canonical layout; `render(parse(x)) == x` for a
        canonical `x`."""
        return render_values(self.input, values)
