"""Pure logic of the API edge, in process: the error shape, names, joins, settings, batching."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from api import errors
from api.batching import BatchingEmbedder
from api.metrics import Metrics
from api.observe import Observe
from api.openai_compat import sources_list, strip_sources
from api.routes.sources import join_chunks
from api.serve import settings_env
from api.uploads import source_for
from assistant.errors import BluelightError, DocumentRefused
from assistant.retrieval.embedder import Embedder
from assistant.settings import Settings


def all_error_classes() -> list[type[BluelightError]]:
    found: list[type[BluelightError]] = []
    todo = [BluelightError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(set(found), key=lambda c: c.__name__)


def instance(cls: type[BluelightError]) -> BluelightError:
    if issubclass(cls, DocumentRefused):
        return cls("uploads/x.pdf", "a reason")
    return cls("a message naming the fix")


class Body(BaseModel):
    n: int


@pytest.fixture(scope="module")
def error_app() -> TestClient:
    app = FastAPI()
    errors.install(app)
    app.add_middleware(Observe, metrics=Metrics())

    @app.get("/raise/{name}")
    async def raise_(name: str) -> None:
        cls = next(c for c in all_error_classes() if c.__name__ == name)
        raise instance(cls)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    @app.post("/body")
    async def body(body: Body) -> None:
        return None

    return TestClient(app)


def assert_shape(body: dict[str, object], code: str, request_id: str) -> None:
    assert set(body) == {"error"}
    error = body["error"]
    assert isinstance(error, dict)
    assert set(error) <= {"code", "message", "request_id", "details"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert error["request_id"] == request_id


@pytest.mark.parametrize("cls", all_error_classes(), ids=lambda c: c.__name__)
def test_every_error_class_renders_the_one_shape(
    error_app: TestClient, cls: type[BluelightError]
) -> None:
    r = error_app.get(f"/raise/{cls.__name__}")
    assert r.status_code == cls.status
    assert_shape(r.json(), cls.code, r.headers["x-request-id"])
    assert r.json()["error"]["message"] == instance(cls).message


def test_framework_errors_render_the_one_shape(error_app: TestClient) -> None:
    cases = [
        (error_app.get("/nowhere"), 404, "not_found"),
        (error_app.put("/boom"), 405, "method_not_allowed"),
        (error_app.post("/body", json={"n": "x"}), 422, "validation_error"),
        (
            error_app.post("/body", content=b"{", headers={"content-type": "application/json"}),
            422,
            "validation_error",
        ),
    ]
    for r, status, code in cases:
        assert r.status_code == status
        assert_shape(r.json(), code, r.headers["x-request-id"])
    assert error_app.put("/boom").headers["allow"] == "GET"


def test_unexpected_errors_are_500_without_internals(error_app: TestClient) -> None:
    r = error_app.get("/boom")
    assert r.status_code == 500
    assert_shape(r.json(), "internal_error", r.headers["x-request-id"])
    assert "secret" not in r.text and "Traceback" not in r.text


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("report.pdf", "uploads/report.pdf"),
        ("../../etc/passwd", "uploads/passwd"),
        ("C:\\Users\\me\\Annual Report 2024.PDF", "uploads/Annual-Report-2024.pdf"),
        ("...", "uploads/upload"),
        ("notes", "uploads/notes"),
        (".bashrc", "uploads/bashrc"),
        ("", "uploads/upload"),
        (None, "uploads/upload"),
        ("évaluation<script>.md", "uploads/evaluation-script.md"),
        ("x" * 300 + ".csv", "uploads/" + "x" * 90 + ".csv"),
    ],
)
def test_upload_names_never_become_paths(name: str | None, source: str) -> None:
    assert source_for(name) == source


def test_overlapping_chunks_join_without_repeating_the_overlap() -> None:
    a = "First sentence here. The carried sentence comes next."
    b = "The carried sentence comes next. And a new one."
    assert join_chunks([a, b]) == (
        "First sentence here. The carried sentence comes next. And a new one."
    )
    assert join_chunks(["One paragraph.", "Another paragraph."]) == (
        "One paragraph.\n\nAnother paragraph."
    )
    assert join_chunks([]) == ""


def test_sources_list_names_page_or_record_once_per_marker() -> None:
    citations = [
        {"marker": 2, "title": "Projects", "source": "records/p.csv", "record_id": "P7"},
        {"marker": 1, "title": "Report", "source": "reports/x.pdf", "page": 7},
        {"marker": 1, "title": "Report", "source": "reports/x.pdf", "page": 7},
    ]
    assert sources_list(citations) == (
        "\n\nSources:\n[1] Report, p. 7 (reports/x.pdf)\n[2] Projects, record P7 (records/p.csv)"
    )
    assert sources_list([]) == ""
    assert strip_sources("An answer [1]." + sources_list(citations)) == "An answer [1]."


def test_settings_survive_the_trip_through_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    given = Settings(
        api_key="k3y",
        cors_origins=["http://a.test", "http://b.test"],
        read_requires_key=True,
        workers=2,
        answer_timeout_s=2.5,
        chroma_host=None,
    )
    for name, value in settings_env(given).items():
        monkeypatch.setenv(name, value)
    rebuilt = Settings()
    assert rebuilt.model_dump(mode="json", exclude={"api_key", "llm_api_key"}) == given.model_dump(
        mode="json", exclude={"api_key", "llm_api_key"}
    )
    assert rebuilt.api_key is not None and rebuilt.api_key.get_secret_value() == "k3y"
    assert json.loads(settings_env(given)["BLUELIGHT_CORS_ORIGINS"]) == given.cors_origins


def ask_together(batching: BatchingEmbedder, questions: list[str]) -> list[list[float]]:
    try:
        with ThreadPoolExecutor(8) as pool:
            return list(pool.map(batching.embed_query, questions))
    finally:
        batching.close()


QUESTIONS = [f"question number {i} about fire and police control rooms" for i in range(24)]


def test_batched_queries_match_single_ones(embedder: Embedder) -> None:
    batched = ask_together(BatchingEmbedder(embedder, max_batch=16), QUESTIONS)
    for question, vector in zip(QUESTIONS, batched, strict=True):
        single = embedder.embed_query(question)
        assert max(abs(a - b) for a, b in zip(vector, single, strict=True)) < 1e-4


def test_queries_asked_together_one_per_pass_are_bit_identical(embedder: Embedder) -> None:
    """max_batch 1, the server's default: what in-process answers would embed, to the bit."""
    together = ask_together(BatchingEmbedder(embedder, max_batch=1), QUESTIONS)
    assert together == [embedder.embed_query(q) for q in QUESTIONS]


def test_the_filters_a_request_may_give_are_exactly_the_filters_retrieval_reads() -> None:
    from api.schemas import FiltersIn
    from assistant.types import Filters

    # FiltersIn adds the limits of a request to each field; a field only one side had would be
    # dropped silently by FiltersIn.to_filters.
    assert list(FiltersIn.model_fields) == list(Filters.model_fields)
