"""Operations: health, metrics, request ids, the access log, CORS, the chat page, time limits,
and a graceful shutdown that lets in-flight answers finish."""

from __future__ import annotations

import asyncio
import re
import signal
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from assistant.settings import Settings
from tests.api.conftest import ORIGIN, Server, corpus_data_dir, start_server

pytestmark = pytest.mark.server


def test_health_and_readiness(api: httpx.Client) -> None:
    assert api.get("/healthz").json() == {"status": "ok"}
    ready = api.get("/readyz").json()
    assert ready["status"] == "ready" and ready["chunks"] > 100 and ready["documents"] >= 10


def test_every_response_carries_a_request_id(api: httpx.Client) -> None:
    r = api.get("/healthz", headers={"X-Request-ID": "trace-42.a:b"})
    assert r.headers["x-request-id"] == "trace-42.a:b"
    for bad in ["", "x" * 200, "bad id", "<script>"]:
        r = api.get("/healthz", headers={"X-Request-ID": bad})
        assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"]), bad
    r = api.get("/nowhere", headers={"X-Request-ID": "missing-1"})
    assert r.status_code == 404
    assert r.json()["error"]["request_id"] == r.headers["x-request-id"] == "missing-1"


def test_access_log_is_json_with_the_request_id(api_server: Server, api: httpx.Client) -> None:
    api.post(
        "/v1/answer",
        json={"question": "What is the duty to collaborate?"},
        headers={"X-Request-ID": "log-check-1"},
    )
    # The access line is written once the response has gone, so it may trail the reply a little.
    deadline = time.monotonic() + 10
    while True:
        lines = [
            line
            for line in api_server.log_lines()
            if line.get("logger") == "bluelight.access" and line.get("request_id") == "log-check-1"
        ]
        if lines or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert len(lines) == 1
    line = lines[0]
    assert line["route"] == "/v1/answer" and line["status"] == 200 and line["method"] == "POST"
    assert line["duration_ms"] > 0 and line["bytes"] > 0


def test_metrics_report_requests_stages_declines_store_and_reloads(api: httpx.Client) -> None:
    api.post("/v1/answer", json={"question": "What is the duty to collaborate?"})
    api.post("/v1/answer", json={"question": "What is the boiling point of tungsten?"})
    api.post("/v1/answer", json={"question": ""})
    r = api.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert re.search(
        r'bluelight_http_requests_total\{method="POST",route="/v1/answer",status="200"\} \d', text
    )
    assert re.search(r'bluelight_http_errors_total\{route="/v1/answer",status="422"\} \d', text)
    for stage in ("retrieve", "compose", "total"):
        assert f'bluelight_answer_stage_seconds_count{{stage="{stage}"}}' in text
    assert re.search(r'bluelight_answers_declined_total\{composer="extractive"\} [1-9]', text)
    assert re.search(r"bluelight_store_chunks \d{3,}", text)
    assert re.search(r"bluelight_lexical_index_reloads_total [1-9]", text)
    assert re.search(r'bluelight_worker_info\{pid="\d+"\} 1', text)


def test_cors_allows_the_configured_origin_only(api: httpx.Client) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    ok = api.options("/v1/answer", headers={"Origin": ORIGIN, **preflight})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == ORIGIN
    other = api.options("/v1/answer", headers={"Origin": "http://evil.test", **preflight})
    assert "access-control-allow-origin" not in other.headers


def test_chat_page_is_served_with_a_strict_policy(api: httpx.Client) -> None:
    r = api.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "<script>" not in r.text  # no inline script: the policy would block it
    assert api.post("/").status_code == 405
    assert api.get("/../../etc/passwd").status_code == 404


def test_answers_past_the_time_limit_are_504(keyless_server: Server) -> None:
    with keyless_server.client() as client:
        for path in ("/v1/answer", "/v1/answer/stream"):
            r = client.post(path, json={"question": "What is the duty to collaborate?"})
            assert r.status_code == 504, r.text
            assert r.json()["error"]["code"] == "answer_timeout"
            assert "BLUELIGHT_ANSWER_TIMEOUT_S" in r.json()["error"]["message"]


@pytest.mark.slow
def test_shutdown_lets_in_flight_answers_finish(
    corpus_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Requests whose bodies are still arriving when SIGTERM lands are answered, not dropped."""
    root = tmp_path_factory.mktemp("graceful")
    server = start_server(corpus_data_dir(corpus_settings, root), root)
    in_flight = 4
    headers = {"content-type": "application/json"}

    async def scenario() -> list[int]:
        gate = asyncio.Event()

        async def slow_body() -> AsyncIterator[bytes]:
            yield b'{"question": "Which projects share'
            await gate.wait()  # held back until the server is shutting down
            yield b' a control room?"}'

        async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as client:
            tasks = [
                asyncio.create_task(client.post("/v1/answer", content=slow_body(), headers=headers))
                for _ in range(in_flight)
            ]
            async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as probe:
                for _ in range(500):
                    text = (await probe.get("/metrics")).text
                    busy = re.search(r"^bluelight_http_requests_in_progress (\S+)$", text, re.M)
                    if busy and float(busy.group(1)) > in_flight:  # those, and this probe
                        break
                    await asyncio.sleep(0.01)
            server.proc.send_signal(signal.SIGTERM)
            await asyncio.sleep(0.5)
            gate.set()
            responses = await asyncio.gather(*tasks)
            return [r.status_code for r in responses]

    try:
        statuses = asyncio.run(scenario())
        assert statuses == [200] * in_flight
        # uvicorn re-raises the signal once it has shut down cleanly.
        assert server.proc.wait(timeout=30) in (0, -signal.SIGTERM)
        assert "Application shutdown complete" in server.log.read_text()
    finally:
        server.stop()
