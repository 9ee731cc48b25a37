"""Conversations kept in the browser: several, a list to switch between them, a way to clear."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.ui.chat import ask

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

FIRST = "Why did the national co-responding trial end?"
SECOND = "Which projects are in Wales?"


def test_conversations_are_kept_listed_switched_and_cleared(page: Page) -> None:
    ask(page, FIRST)
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator("#intro")).to_be_visible()
    ask(page, SECOND)

    history = page.get_by_role("navigation", name="Conversations")
    items = history.locator(".conversation-open")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text(SECOND)
    expect(items.first).to_have_attribute("aria-current", "true")

    page.reload()
    expect(page.locator(".msg-user")).to_have_text([SECOND])
    items.filter(has_text=FIRST).click()
    expect(page.locator(".msg-user")).to_have_text([FIRST])
    expect(page.locator(".msg-assistant")).to_have_count(1)

    history.get_by_role("button", name="Clear all conversations").click()
    history.get_by_role("button", name="Delete all").click()
    expect(items).to_have_count(0)
    expect(page.locator(".msg")).to_have_count(0)
    expect(page.locator("#intro")).to_be_visible()
    assert page.evaluate("localStorage.getItem('bluelight.conversations.v1')") is None
    page.reload()
    expect(items).to_have_count(0)


def test_one_conversation_can_be_deleted(page: Page) -> None:
    ask(page, FIRST)
    page.get_by_role("button", name="New conversation").click()
    ask(page, SECOND)
    page.get_by_role("button", name=f"Delete conversation: {FIRST}").click()
    expect(page.locator(".conversation-open")).to_have_count(1)
    expect(page.locator(".msg-user")).to_have_text([SECOND])
