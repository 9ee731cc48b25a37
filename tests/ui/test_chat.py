"""Asking on the chat page: streamed cited answers, follow-ups, filters and declined questions."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.conftest import CORPUS
from tests.ui.chat import ask, citations_of, sse_events
from tests.ui.conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

OUT_OF_SCOPE = "What is the annual budget of the New York Fire Department?"


def example_questions(page: Page) -> list[str]:
    return page.locator(".example-question").all_inner_texts()


def test_first_screen_offers_six_examples_that_each_get_a_cited_answer(
    page: Page, live_server: Server
) -> None:
    expect(page.locator("#intro")).to_be_visible()
    expect(page.locator("#coverage")).to_contain_text("England and Wales")
    questions = example_questions(page)
    assert len(questions) == 6
    for question in questions:
        answer = httpx.post(
            f"{live_server.url}v1/answer", json={"question": question}, timeout=30
        ).json()
        assert not answer["declined"], (question, answer["answer"])
        assert answer["citations"], question


def test_example_question_streams_an_answer_with_citation_chips(page: Page) -> None:
    page.evaluate(
        """() => {
          window.__sawStreaming = false;
          new MutationObserver(() => {
            if (document.querySelector('.msg-assistant.streaming')) window.__sawStreaming = true;
          }).observe(document.getElementById('messages'), { childList: true, subtree: true });
        }"""
    )
    question = example_questions(page)[0]
    with page.expect_response(re.compile(r"/v1/answer/stream$")) as streamed:
        page.locator(".example").first.click()
    reply = page.locator(".msg-assistant:not(.streaming)").first
    expect(reply).to_be_visible()
    response = streamed.value
    assert response.headers["content-type"].startswith("text/event-stream")
    body = response.text()
    assert body.count("event: delta") >= 2
    assert "event: citations" in body and "event: done" in body
    assert page.evaluate("window.__sawStreaming")
    chips = citations_of(reply)
    assert chips.count() >= 1
    expect(chips.first).to_have_accessible_name(re.compile(r"^Source 1: .+"))
    expect(page.locator("#intro")).to_be_hidden()
    expect(page.locator(".msg-user")).to_have_text(question)


def test_project_question_renders_a_table_with_a_chip_in_each_row(page: Page) -> None:
    reply = ask(page, "Which projects are in the North West?")
    table = reply.locator("table")
    expect(table).to_be_visible()
    expect(table.locator("th").first).to_have_text("Project")
    rows = table.locator("tbody tr")
    assert rows.count() >= 3
    for row in rows.all():
        assert row.locator("button.cite-chip").count() == 1
        expect(row.locator("td").nth(1)).to_have_text("North West")


def test_region_filter_keeps_only_matching_sources(page: Page) -> None:
    page.get_by_label("Filter by region").select_option("Wales")
    chip = page.get_by_role("button", name="Remove filter Region: Wales")
    expect(chip).to_be_visible()
    with page.expect_response(re.compile(r"/v1/answer/stream$")) as streamed:
        reply = ask(page, "Which projects share control rooms?")
    assert json.loads(streamed.value.request.post_data or "{}")["filters"]["region"] == ["Wales"]
    passages = sse_events(streamed.value.text())["passages"]
    assert passages
    assert {p["record_id"] for p in passages} <= records_in_region("Wales")
    rows = reply.locator("tbody tr")
    assert rows.count() >= 1
    for row in rows.all():
        expect(row.locator("td").nth(1)).to_have_text("Wales")
    expect(reply.locator(".applied-filters")).to_contain_text("Wales")
    chip.click()
    expect(page.locator(".filter-chip")).to_have_count(0)


def records_in_region(region: str) -> set[str]:
    lines = (CORPUS / "records" / "projects.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return {r["id"] for r in records if r["region"] == region}


def test_question_outside_the_evidence_is_shown_as_declined_with_suggestions(page: Page) -> None:
    reply = ask(page, OUT_OF_SCOPE)
    expect(reply).to_have_class(re.compile(r"\bmsg-declined\b"))
    expect(reply.locator(".declined-label")).to_have_text("Not covered by the evidence")
    assert citations_of(reply).count() == 0
    suggestions = reply.locator(".question-button")
    assert suggestions.count() >= 1
    suggestion = suggestions.first.inner_text()
    suggestions.first.click()
    expect(page.locator(".msg-user").last).to_have_text(suggestion)
    expect(page.locator(".msg-assistant:not(.streaming), .msg-declined")).to_have_count(2)


def test_follow_up_sends_the_previous_turn_and_answers_in_its_context(page: Page) -> None:
    first = ask(page, "Why did the national co-responding trial end?")
    expect(first).to_have_class(re.compile(r"\bmsg-assistant\b"))
    with page.expect_request(re.compile(r"/v1/answer/stream$")) as sent:
        follow_up = ask(page, "Which fire services took part?")
    history = json.loads(sent.value.post_data or "{}")["history"]
    assert [turn["role"] for turn in history] == ["user", "assistant"]
    assert history[0]["content"] == "Why did the national co-responding trial end?"
    assert history[1]["content"].strip()
    expect(follow_up).to_have_class(re.compile(r"\bmsg-assistant\b"))
    expect(follow_up.locator(".msg-body")).to_contain_text(re.compile(r"co-respond|trial", re.I))


def test_keyboard_enter_sends_and_shift_enter_adds_a_line(page: Page) -> None:
    box = page.get_by_label("Your question")
    box.focus()
    page.keyboard.type("What makes a collaboration")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("successful?")
    assert box.input_value() == "What makes a collaboration\nsuccessful?"
    expect(page.locator(".msg-user")).to_have_count(0)
    page.keyboard.press("Enter")
    expect(page.locator(".msg-user")).to_have_count(1)
    expect(box).to_have_value("")
