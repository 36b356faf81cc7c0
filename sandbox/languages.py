"""How each language is run: data, not logic. `{prog}` is the folder holding the program."""

from __future__ import annotations

from dataclasses import dataclass

from cpagent.problems.model import Language


@dataclass(frozen=True)
class LanguageSpec:
    name: Language
    binary: str
    file_name: str
    # Printed by `cpagent sandbox doctor` to prove the interpreter runs.
    self_test: str = "print(sum(map(int, input().split())))"

    def argv(self, binary: str | None = None) -> list[str]:
        return [binary or self.binary, "{prog}/" + self.file_name]


LANGUAGES: dict[str, LanguageSpec] = {
    "python": LanguageSpec("python", "python3", "sol.py"),
    "pypy": LanguageSpec("pypy", "pypy3", "sol.py"),
}


def language(name: str) -> LanguageSpec:
    try:
        return LANGUAGES[name]
    except KeyError:
        raise ValueError(f"unknown language {name!r}; known: {', '.join(LANGUAGES)}") from None
