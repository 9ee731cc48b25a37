"""Checking a source is one click: the side panel with the passage, the quote marked, its page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.ui.chat import ask, citations_of, sse_events

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

REPORT_QUESTION = "How did the Kent and Merseyside control rooms compare?"


def squash(text: str) -> str:
    return " ".join(text.split())


def test_citation_opens_the_passage_with_the_quote_highlighted(page: Page) -> None:
    with page.expect_response(re.compile(r"/v1/answer/stream$")) as streamed:
        reply = ask(page, REPORT_QUESTION)
    citations = [c for c in sse_events(streamed.value.text())["citations"] if c["page"]]
    assert citations, "the answer should cite a report page"
    citation = citations[0]
    chip = reply.locator(f'button.cite-chip[data-marker="{citation["marker"]}"]').first
    chip.click()

    panel = page.get_by_role("complementary")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", level=2)).to_have_text(citation["title"])
    expect(page.locator("#panel-kicker")).to_have_text(f"Report · page {citation['page']}")
    mark = panel.locator("blockquote.passage mark.quote")
    expect(mark).to_have_count(1)
    assert squash(mark.inner_text()) in squash(citation["quote"])
    assert len(squash(mark.inner_text())) >= 0.8 * len(squash(citation["quote"]))
    expect(panel.get_by_text("Nearby in the document")).to_be_visible()
    expect(page.locator("#panel-title")).to_be_focused()
    expect(chip).to_have_attribute("aria-expanded", "true")

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(chip).to_be_focused()


def test_read_page_shows_the_whole_page_with_the_quote_marked(page: Page) -> None:
    reply = ask(page, REPORT_QUESTION)
    reply.locator(".source-link").first.click()
    panel = page.locator("#panel")
    read = panel.get_by_role("button", name=re.compile(r"^Read page \d+$"))
    number = read.inner_text().split()[-1]
    read.click()
    expect(panel.get_by_role("heading", name=f"Page {number}")).to_be_visible()
    expect(page.locator("#panel-kicker")).to_contain_text(f"page {number} of ")
    expect(panel.locator(".page-text mark.quote")).to_have_count(1)
    panel.get_by_role("button", name="Back to the passage").click()
    expect(panel.locator("blockquote.passage")).to_be_visible()


def test_project_citation_names_the_record(page: Page) -> None:
    reply = ask(page, "Which projects are in the North West?")
    chip = citations_of(reply).first
    chip.focus()
    page.keyboard.press("Enter")
    kicker = page.locator("#panel-kicker")
    expect(kicker).to_have_text(re.compile(r"^Project record P\d{3}$"))
    record = kicker.inner_text().split()[-1]
    mark = page.locator("#panel blockquote.passage mark.quote")
    expect(mark).to_contain_text(f"Project {record}")
    expect(page.get_by_role("button", name=re.compile("^Read page"))).to_have_count(0)
    page.get_by_role("button", name="Close the source panel").click()
    expect(page.locator("#panel")).to_be_hidden()
