"""InputSpec: a declarative, JSON-serialisable description of a problem's stdin.

It is data, never code: a language model may write one, and nothing in it is executed
(bounds are tiny arithmetic parsed by `expr`).  From a spec we draw inputs (hypothesis
strategies that shrink, or fast seeded generation for maximum sizes), parse and validate
inputs with errors that name the line and token, and render values back to text.

Modules, one job each:
    expr        bound expressions (`2*10**5`, `n-1`, `min(n, m)`)
    model       the schema: one pydantic model per element kind
    analysis    static checks; sizes, implied bounds and sum rules
    source      random choices from hypothesis or random.Random
    generate    values in tiny / random / max mode
    strategies  hypothesis strategies of whole inputs
    parse       text to values, checking every rule
    render      values to canonical text
    inputspec   the root model, `InputSpec`, tying them together
    load        `load_spec(path)` for YAML and JSON files
    cases       a multi-case test split into one test per case
    infer       a spec read off sample inputs alone, bounds within the samples' values
    naming      its values named as the statement's Input section names them
    bounds      its sizes and values bounded as the statement bounds them: the domain
                stress draws from, and the largest inputs timing draws
    words       the bounds a statement writes in words ("up to 10^5 digits")
    drawn       what an input drew, beside the bounds it was drawn from
    protocol    `Spec`: what stress and timing need of a spec, whichever kind
    reader      Python code that reads an input into the spec's names
"""

from cpagent.problems.spec.errors import SpecError, SpecMismatch
from cpagent.problems.spec.generate import (
    DEFAULT_SCALE,
    MODES,
    SHAPES,
    TINY_COUNT,
    TINY_SIZE,
    Mode,
    Shape,
)
from cpagent.problems.spec.inputspec import InputSpec
from cpagent.problems.spec.load import load_spec
from cpagent.problems.spec.model import ALPHABETS
from cpagent.problems.spec.protocol import Spec

__all__ = [
    "ALPHABETS",
    "DEFAULT_SCALE",
    "MODES",
    "SHAPES",
    "TINY_COUNT",
    "TINY_SIZE",
    "InputSpec",
    "Mode",
    "Shape",
    "Spec",
    "SpecError",
    "SpecMismatch",
    "load_spec",
]
