"""POST /v1/answer over real HTTP: cited answers, filters, limits, and refusals with reasons."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.server

QUESTION = "What is the statutory duty to collaborate?"


def test_answer_is_cited_and_keeps_the_answer_shape(api: httpx.Client) -> None:
    r = api.post("/v1/answer", json={"question": QUESTION})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {
        "answer",
        "status",
        "declined",
        "missing",
        "citations",
        "passages",
        "timings_ms",
        "id",
        "composer",
        "notice",
        "filters",
        "suggestions",
    }
    assert not body["declined"] and body["status"] in ("answered", "partial")
    assert body["citations"], body
    passage_ids = {p["chunk_id"] for p in body["passages"]}
    for citation in body["citations"]:
        assert f"[{citation['marker']}]" in body["answer"]
        assert citation["chunk_id"] in passage_ids
    assert body["timings_ms"]["total"] > 0


def test_explicit_filters_narrow_the_passages(api: httpx.Client) -> None:
    body = {
        "question": "Which projects involve co-responding?",
        "filters": {"doc_type": ["project"]},
    }
    r = api.post("/v1/answer", json=body)
    assert r.status_code == 200, r.text
    passages = r.json()["passages"]
    assert passages
    assert {p["doc_type"] for p in passages} == {"project"}
    assert r.json()["filters"]["doc_type"] == ["project"]


def test_top_k_bounds_the_passages(api: httpx.Client) -> None:
    r = api.post("/v1/answer", json={"question": QUESTION, "top_k": 3})
    assert r.status_code == 200
    assert len(r.json()["passages"]) <= 3


def test_history_carries_a_follow_up(api: httpx.Client) -> None:
    history = [
        {"role": "user", "content": "Which services share control rooms?"},
        {"role": "assistant", "content": "Several police and fire services do. [1]"},
    ]
    r = api.post("/v1/answer", json={"question": "and in Kent?", "history": history})
    assert r.status_code == 200, r.text


def test_question_outside_the_evidence_is_declined(api: httpx.Client) -> None:
    r = api.post("/v1/answer", json={"question": "What is the boiling point of tungsten?"})
    assert r.status_code == 200
    body = r.json()
    assert body["declined"] is True
    assert body["citations"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body.question"),
        ({"question": ""}, "body.question"),
        ({"question": "x" * 2001}, "body.question"),
        ({"question": QUESTION, "top_k": 0}, "body.top_k"),
        ({"question": QUESTION, "top_k": 51}, "body.top_k"),
        ({"question": QUESTION, "filters": {"year_from": 1800}}, "body.filters.year_from"),
        ({"question": QUESTION, "filters": {"theme": "fire"}}, "body.filters.theme"),
        ({"question": QUESTION, "filters": {"region": ["x" * 65]}}, "body.filters.region.0"),
        ({"question": QUESTION, "filters": {"colour": ["red"]}}, "body.filters.colour"),
        ({"question": QUESTION, "history": [{"role": "system", "content": "x"}]}, "history"),
        ({"question": QUESTION, "composer": "magic"}, "body.composer"),
        ({"question": QUESTION, "extra": 1}, "body.extra"),
    ],
)
def test_bad_requests_are_refused_naming_the_field(
    api: httpx.Client, body: dict[str, object], field: str
) -> None:
    r = api.post("/v1/answer", json=body)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["message"]
    assert error["request_id"] == r.headers["x-request-id"]


def test_years_out_of_order_are_refused(api: httpx.Client) -> None:
    body = {"question": QUESTION, "filters": {"year_from": 2020, "year_to": 2010}}
    r = api.post("/v1/answer", json=body)
    assert r.status_code == 422
    assert "year_from 2020 is after year_to 2010" in r.json()["error"]["message"]


def test_blank_question_is_refused_by_the_assistant(api: httpx.Client) -> None:
    r = api.post("/v1/answer", json={"question": "   "})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "bad_input"
    assert "empty" in r.json()["error"]["message"]


def test_unconfigured_composer_is_refused_with_the_fix(api: httpx.Client) -> None:
    r = api.post("/v1/answer", json={"question": QUESTION, "composer": "llm"})
    assert r.status_code == 422
    assert "BLUELIGHT_LLM_BASE_URL" in r.json()["error"]["message"]


def test_malformed_json_is_a_422_in_the_error_shape(api: httpx.Client) -> None:
    r = api.post("/v1/answer", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"
