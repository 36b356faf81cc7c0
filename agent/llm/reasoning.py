"""Separating a reasoning model's thinking from its answer.

Servers report it two ways: a separate field on the message (`reasoning_content` from DeepSeek
and llama.cpp, `reasoning` from vLLM and OpenRouter), or inline as a leading <think>...</think>
block (R1-style models behind a plain chat template). Either way the answer, and only the
answer, must reach the parser.
"""

from __future__ import annotations

import re

__all__ = ["split_reasoning"]

_OPEN = re.compile(r"^\s*<think>", re.IGNORECASE)
_CLOSE = re.compile(r"</think>", re.IGNORECASE)


def split_reasoning(text: str, reasoning: str | None = None) -> tuple[str, str | None]:
    """(answer, reasoning or None)."""
    parts = [reasoning.strip()] if reasoning and reasoning.strip() else []
    opened = _OPEN.match(text)
    close = _CLOSE.search(text)
    if opened and close:
        parts.append(text[opened.end():close.start()].strip())
        text = text[close.end():]
    elif opened:
        # Cut off by max_tokens while still thinking: there is no answer yet.
        parts.append(text[opened.end():].strip())
        text = ""
    elif close and "<think>" not in text.lower():
        # Some chat templates emit the opening tag themselves, so only the close arrives.
        parts.append(text[:close.start()].strip())
        text = text[close.end():]
    else:
        return text, parts[0] if parts else None  # nothing inline: leave the text untouched
    thought = "\n\n".join(part for part in parts if part)
    return text.strip(), thought or None
