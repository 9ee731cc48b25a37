"""POST /v1/answer/stream: server-sent events in order, and errors as events once it has begun."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema
import pytest

from api.answering import EventStream, _observed
from api.metrics import Metrics
from api.routes.answer import _sse
from assistant.errors import StoreUnavailable


def parse_sse(lines: Iterator[str]) -> list[tuple[str, Any]]:
    """(event, data) pairs from an SSE body, as an EventSource would see them."""
    events: list[tuple[str, Any]] = []
    name, data = "message", []
    for line in lines:
        if not line:
            if data:
                events.append((name, json.loads("\n".join(data))))
            name, data = "message", []
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
    return events


@pytest.mark.server
def test_stream_events_arrive_in_order_and_rebuild_the_answer(api: httpx.Client) -> None:
    question = {"question": "What is the statutory duty to collaborate?"}
    with api.stream("POST", "/v1/answer/stream", json=question) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(r.iter_lines())
    names = [n for n, _ in events]
    assert names[0] == "passages"
    assert names[-2:] == ["citations", "done"]
    assert set(names[1:-2]) == {"delta"}
    streamed = "".join(d for n, d in events if n == "delta")
    whole = api.post("/v1/answer", json=question).json()
    assert streamed == whole["answer"]
    citations = events[-2][1]
    assert citations and all(f"[{c['marker']}]" in streamed for c in citations)
    assert events[-1][1]["declined"] is False


@pytest.mark.server
def test_errors_before_the_first_event_keep_their_status(api: httpx.Client) -> None:
    r = api.post("/v1/answer/stream", json={"question": "x", "composer": "llm"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "bad_input"


def test_an_error_mid_stream_becomes_an_error_event_and_the_stream_ends() -> None:
    def events() -> Iterator[tuple[str, Any]]:
        yield "passages", []
        yield "delta", "Half an"
        raise StoreUnavailable("the Chroma server went away")

    async def collect() -> list[bytes]:
        stream = EventStream(events(), limit_s=10)
        first = await stream.next()
        return [chunk async for chunk in _sse(_observed(first, stream, Metrics(), "req-1"))]

    body = b"".join(asyncio.run(collect())).decode()
    parsed = parse_sse(iter(body.splitlines()))
    assert [n for n, _ in parsed] == ["passages", "delta", "error"]
    assert parsed[-1][1] == {
        "error": {
            "code": "store_unavailable",
            "message": "the Chroma server went away",
            "request_id": "req-1",
        }
    }


def _exact(schema: Any, every_field: bool = True) -> Any:
    """The schema with every object closed, so a field sent but not documented fails; with
    `every_field`, every property required too, as model_dump sends them (None included), so a
    field documented but not sent fails as well."""
    if isinstance(schema, dict):
        out = {k: _exact(v, every_field) for k, v in schema.items()}
        if "properties" in out:
            out["additionalProperties"] = False
            if every_field:
                out["required"] = sorted(out["properties"])
        return out
    if isinstance(schema, list):
        return [_exact(v, every_field) for v in schema]
    return schema


@pytest.mark.server
def test_every_stream_event_has_the_documented_shape(api: httpx.Client) -> None:
    documented = api.get("/openapi.json").json()["paths"]["/v1/answer/stream"]["post"]
    shapes = {
        option["properties"]["event"]["const"]: option["properties"]["data"]["contentSchema"]
        for option in documented["responses"]["200"]["content"]["text/event-stream"]["schema"][
            "oneOf"
        ]
    }
    assert list(shapes) == ["passages", "delta", "citations", "done", "error"]
    events = []
    for question in ("What is the statutory duty to collaborate?", "Who won the 1966 World Cup?"):
        with api.stream("POST", "/v1/answer/stream", json={"question": question}) as r:
            events += parse_sse(r.iter_lines())
    assert {name for name, _ in events} == {"passages", "delta", "citations", "done"}
    for name, data in events:
        jsonschema.validate(data, _exact(shapes[name]))
    done = [data for name, data in events if name == "done"]
    assert {d["status"] for d in done} >= {"answered"} and all("missing" in d for d in done)
    # An error event carries the one error shape (`details` only for validation errors), the
    # same as an error response.
    refused = api.post("/v1/answer/stream", json={"question": "x", "composer": "llm"}).json()
    jsonschema.validate(refused, _exact(shapes["error"], every_field=False))
    assert set(refused["error"]) == {"code", "message", "request_id"}
