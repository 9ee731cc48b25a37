"""Failures show in the chat with a retry, never as a frozen page."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, Route, expect

from tests.ui.chat import FINISHED, ask, wait_reply
from tests.ui.conftest import PageProblems, Server, watch

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

FIRST = "Why did the national co-responding trial end?"
SECOND = "Which fire services took part?"
STREAM = re.compile(r"/v1/answer/stream$")


def test_server_stopped_mid_conversation_shows_the_error_and_retry_recovers(
    context, live_server: Server, problems: PageProblems
) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    watch(page, problems)
    page.goto(live_server.url)
    ask(page, FIRST)

    live_server.stop()
    try:
        error = ask(page, SECOND)
        expect(error).to_have_class(re.compile(r"\bmsg-error\b"))
        expect(error).to_have_attribute("role", "alert")
        expect(error).to_contain_text("Could not reach the bluelight server")
        expect(page.get_by_role("button", name="Ask", exact=True)).to_be_enabled()
        expect(page.get_by_label("Your question")).to_be_editable()
    finally:
        live_server.start()  # on the same port, for this test's retry and the tests after it

    before = page.locator(FINISHED).count() - 1
    with page.expect_request(STREAM) as sent:
        error.get_by_role("button", name="Retry").click()
    reply = wait_reply(page, before)
    expect(reply).to_have_class(re.compile(r"\bmsg-assistant\b"))
    expect(page.locator(".msg-error")).to_have_count(0)
    body = json.loads(sent.value.post_data or "{}")
    assert body["question"] == SECOND
    assert body["history"][0] == {"role": "user", "content": FIRST}
    # The refused connections are the only errors the page may log.
    assert all("ERR_CONNECTION_REFUSED" in e for e in problems.errors), problems.errors


def test_stalled_answer_times_out_with_a_retry(page: Page) -> None:
    page.evaluate("window.bluelightConfig = { idleTimeoutMs: 1500 }")
    stalled: list[Route] = []
    page.route(STREAM, lambda route: stalled.append(route))  # never answered: a hung server
    error = ask(page, FIRST)
    expect(error).to_contain_text("No answer in time")
    expect(error).to_contain_text("took too long")
    assert stalled
    page.unroute(STREAM)
    error.get_by_role("button", name="Retry").click()
    expect(page.locator(".msg-assistant:not(.streaming)")).to_have_count(1)
    expect(page.locator(".msg-error")).to_have_count(0)


def test_error_inside_the_stream_is_shown_with_its_request_id(page: Page) -> None:
    error_event = {"error": {"code": "internal_error", "message": "it broke", "request_id": "r-42"}}
    body = "event: passages\ndata: []\n\nevent: error\ndata: " + json.dumps(error_event) + "\n\n"
    page.route(STREAM, lambda route: route.fulfill(body=body, content_type="text/event-stream"))
    error = ask(page, FIRST)
    expect(error).to_contain_text("it broke")
    expect(error).to_contain_text("Request id: r-42")
    expect(error.get_by_role("button", name="Retry")).to_be_visible()


def test_stop_ends_an_answer_that_is_taking_long(page: Page) -> None:
    page.route(STREAM, lambda route: None)  # never answered
    box = page.get_by_label("Your question")
    box.fill(FIRST)
    box.press("Enter")
    page.get_by_role("button", name="Stop the answer").click()
    error = page.locator(".msg-error")
    expect(error).to_contain_text("Answer stopped")
    expect(error.get_by_role("button", name="Retry")).to_be_visible()
    expect(page.get_by_role("button", name="Ask", exact=True)).to_be_visible()
