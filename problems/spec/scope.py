"""The values visible while generating or parsing a block.

A `Scope` is a plain dict of everything visible (so that a bound's name lookup is one C
dict lookup, where a ChainMap walks its maps in Python) plus `own`, the values the block
itself defines, which become its part of the result.  A child copies its parent's dict:
a handful of references per copy of a block.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Scope"]


class Scope(dict[str, Any]):
    __slots__ = ("own",)

    def __init__(self, parent: Scope | None = None, own: dict[str, Any] | None = None) -> None:
        super().__init__(parent or ())
        self.own: dict[str, Any] = {}
        for name, value in (own or {}).items():
            self[name] = value

    def __setitem__(self, name: str, value: Any) -> None:
        super().__setitem__(name, value)
        self.own[name] = value

    def child(self, own: dict[str, Any] | None = None) -> Scope:
        return Scope(self, own)
