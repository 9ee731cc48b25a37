"""Server-sent events on the wire: `event:` and `data:` lines; data is always one line of JSON."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

# Proxies must pass each event on as it comes, and nobody should cache a stream.
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
MEDIA_TYPE = "text/event-stream"


def event_schema(*names: str) -> dict[str, Any]:
    """OpenAPI (3.1) schema of one event of a stream: its name, and its data as a JSON string."""
    data = {"type": "string", "contentMediaType": "application/json"}
    properties: dict[str, Any] = {"data": data}
    if names:
        properties["event"] = {"type": "string", "enum": list(names)}
    return {"type": "object", "required": ["data"], "properties": properties}


def events_schema(data: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI (3.1) schema of a stream with named events: for each name, the JSON Schema of its
    data (`data` maps names to types: models, lists of models, str)."""
    return {
        "oneOf": [
            {
                "type": "object",
                "required": ["event", "data"],
                "properties": {
                    "event": {"const": name},
                    "data": {
                        "type": "string",
                        "contentMediaType": "application/json",
                        "contentSchema": TypeAdapter(shape).json_schema(),
                    },
                },
            }
            for name, shape in data.items()
        ]
    }


def event(name: str | None, data: Any) -> bytes:
    """One event; json.dumps escapes newlines, so the data stays on a single `data:` line."""
    payload = json.dumps(data, separators=(",", ":"))
    head = f"event: {name}\n" if name else ""
    return f"{head}data: {payload}\n\n".encode()


def done_marker() -> bytes:
    """The OpenAI stream terminator."""
    return b"data: [DONE]\n\n"
