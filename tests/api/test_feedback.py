"""Feedback: anyone may rate an answer; reading the ratings back needs the key."""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import API_KEY, Server

pytestmark = pytest.mark.server


def test_feedback_round_trip(api_server: Server) -> None:
    with api_server.client() as anon, api_server.client(API_KEY) as admin:
        answer = anon.post("/v1/answer", json={"question": "What is the duty to collaborate?"})
        answer_id = answer.json()["id"]
        r = anon.post(
            "/v1/feedback",
            json={"answer_id": answer_id, "rating": "down", "comment": "Missed the 2017 Act."},
        )
        assert r.status_code == 201, r.text
        created = r.json()
        assert created["answer_id"] == answer_id and created["rating"] == "down"
        assert anon.get("/v1/feedback").status_code == 401
        listed = admin.get("/v1/feedback", params={"limit": 5}).json()
        assert listed["total"] >= 1
        assert listed["feedback"][0] == created


@pytest.mark.parametrize(
    "body",
    [
        {"answer_id": "a1", "rating": "meh"},
        {"answer_id": "", "rating": "up"},
        {"answer_id": "a1", "rating": "up", "comment": "x" * 2001},
        {"rating": "up"},
    ],
)
def test_bad_feedback_is_refused(api: httpx.Client, body: dict[str, object]) -> None:
    r = api.post("/v1/feedback", json=body)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"
