"""Asking for a pydantic model: the request's response_format, the schema in the prompt, and
the one repair round. The client (client.py) does the calls; this module only builds them.

The schema always travels in the prompt too: servers that ignore response_format (or that we
had to stop sending it to) still see what to write, and DeepSeek's json_object mode requires
the word "JSON" in the prompt anyway.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import BaseModel

from .messages import ChatMessage

__all__ = ["repair_messages", "response_format", "schema_of", "with_schema_instruction"]

JsonMode = Literal["schema", "object", "none"]


def schema_of(schema: type[BaseModel]) -> dict[str, Any]:
    return schema.model_json_schema()


def schema_name(schema: type[BaseModel]) -> str:
    """OpenAI wants ^[a-zA-Z0-9_-]{1,64}$; generic models have names like Box[int]."""
    return re.sub(r"[^a-zA-Z0-9_-]", "_", schema.__name__)[:64] or "reply"


def response_format(schema: type[BaseModel], mode: JsonMode) -> dict[str, Any] | None:
    if mode == "schema":
        # strict=False: strict mode demands every property required and no defaults, which
        # ordinary pydantic models do not satisfy; we validate ourselves anyway.
        return {"type": "json_schema", "json_schema": {
            "name": schema_name(schema), "schema": schema_of(schema), "strict": False}}
    if mode == "object":
        # llama-cpp-python's server turns "schema" into a grammar; others ignore the key.
        return {"type": "json_object", "schema": schema_of(schema)}
    return None


def with_schema_instruction(messages: list[ChatMessage],
                            schema: type[BaseModel]) -> list[ChatMessage]:
    """The messages with the schema appended to the last user message. Appended, not sent as
    an extra system message: some chat templates (llama.cpp's among them) reject a system
    message anywhere but first, and some models ignore it."""
    instruction = ("Reply with one JSON object, and nothing else, that matches this JSON "
                   "schema:\n```json\n" + json.dumps(schema_of(schema), ensure_ascii=False)
                   + "\n```")
    out = list(messages)
    for i in range(len(out) - 1, -1, -1):
        if out[i].role == "user":
            out[i] = ChatMessage(role="user", content=f"{out[i].content}\n\n{instruction}")
            return out
    return [*out, ChatMessage(role="user", content=instruction)]


def repair_messages(messages: list[ChatMessage], reply: str,
                    problems: list[str]) -> list[ChatMessage]:
    """The conversation continued with the bad reply and what is wrong with it."""
    listed = "\n".join(f"- {problem}" for problem in problems)
    return [*messages,
            ChatMessage(role="assistant", content=reply),
            ChatMessage(role="user", content=(
                "Your reply does not match the required JSON schema:\n" + listed
                + "\nReply with the corrected JSON object only: no prose, no code fence."))]
