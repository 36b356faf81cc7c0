"""Errors of the InputSpec machinery.

SpecError              the spec itself is wrong (bad file, unknown element, bad bound)
 └── SpecMismatch      an input does not fit a (valid) spec; names the line and token

Messages are one line, so that a CLI can print them as the reason for an exit code and a
model can read them back as feedback.
"""

from __future__ import annotations

__all__ = ["SpecError", "SpecMismatch"]


class SpecError(ValueError):
    """A spec is malformed, or cannot produce an input. The message is one line."""


class SpecMismatch(SpecError):
    """An input does not fit its spec: `line 2, token 3: 0 is below the minimum 1 of a[3]`."""
