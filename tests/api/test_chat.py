"""The OpenAI-compatible endpoints, driven by the official `openai` client."""

from __future__ import annotations

import re

import httpx
import pytest
from openai import OpenAI, UnprocessableEntityError

from tests.api.conftest import Server

pytestmark = pytest.mark.server

QUESTION = "What is the statutory duty to collaborate?"
SOURCE_LINE = re.compile(r"^\[(\d+)\] .+ \((reports|records|seed)/[^)]+\)$")


@pytest.fixture
def openai_client(api_server: Server) -> OpenAI:
    return OpenAI(base_url=f"{api_server.base_url}/v1", api_key="unused", max_retries=0)


def sources_of(content: str) -> list[str]:
    assert "\n\nSources:\n" in content, content
    return content.split("\n\nSources:\n", 1)[1].splitlines()


def test_models_lists_bluelight(openai_client: OpenAI) -> None:
    assert [m.id for m in openai_client.models.list()] == ["bluelight"]


def test_openai_client_gets_a_cited_answer(openai_client: OpenAI) -> None:
    completion = openai_client.chat.completions.create(
        model="bluelight", messages=[{"role": "user", "content": QUESTION}], temperature=0.2
    )
    assert completion.object == "chat.completion"
    content = completion.choices[0].message.content or ""
    assert completion.choices[0].finish_reason == "stop"
    lines = sources_of(content)
    assert lines and all(SOURCE_LINE.match(line) for line in lines), lines
    extra = completion.model_extra or {}
    assert extra["citations"], extra
    markers = {c["marker"] for c in extra["citations"]}
    assert {int(SOURCE_LINE.match(line).group(1)) for line in lines} == markers  # type: ignore[union-attr]
    assert extra["bluelight"]["declined"] is False
    assert extra["bluelight"]["passages"]


def test_openai_client_streams_a_cited_answer(openai_client: OpenAI) -> None:
    stream = openai_client.chat.completions.create(
        model="bluelight", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    content = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert all(SOURCE_LINE.match(line) for line in sources_of(content))
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert (last.model_extra or {})["citations"]


def test_earlier_messages_are_history(openai_client: OpenAI) -> None:
    first = openai_client.chat.completions.create(
        model="bluelight",
        messages=[{"role": "user", "content": "Which services share control rooms?"}],
    )
    reply = first.choices[0].message.content or ""
    follow_up = openai_client.chat.completions.create(
        model="bluelight",
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Which services share control rooms?"},
            {"role": "assistant", "content": reply},
            {"role": "user", "content": [{"type": "text", "text": "and in Kent?"}]},
        ],
    )
    assert follow_up.choices[0].message.content


def test_a_conversation_must_end_with_the_user(openai_client: OpenAI) -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        openai_client.chat.completions.create(
            model="bluelight", messages=[{"role": "assistant", "content": "Hello"}]
        )
    assert "role 'user'" in caught.value.response.json()["error"]["message"]


def test_stream_ends_with_done_marker(api: httpx.Client) -> None:
    body = {"messages": [{"role": "user", "content": QUESTION}], "stream": True}
    with api.stream("POST", "/v1/chat/completions", json=body) as r:
        lines = [line for line in r.iter_lines() if line]
    assert lines[-1] == "data: [DONE]"
