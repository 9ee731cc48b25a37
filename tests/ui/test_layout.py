"""Readable on a phone, dark when the system is dark, and usable with a screen reader."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.ui.chat import ask
from tests.ui.conftest import PageProblems, Server, watch

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

NO_SIDEWAYS_SCROLL = """() => [document.documentElement, document.querySelector('.scroller')]
  .every((e) => e.scrollWidth <= e.clientWidth + 1)"""


def open_page(browser, server: Server, problems: PageProblems, **options):  # type: ignore[no-untyped-def]
    context = browser.new_context(**options)
    page = context.new_page()
    watch(page, problems)
    page.goto(server.url)
    return page


def test_page_is_readable_at_360_pixels(
    browser, live_server: Server, problems: PageProblems
) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, live_server, problems, viewport={"width": 360, "height": 740})
    expect(page.locator(".example").first).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    reply = ask(page, "Which projects are in the North West?")
    expect(reply.locator("table")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    font = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.msg-body')).fontSize)"
    )
    assert font >= 15

    reply.locator("button.cite-chip").first.click()
    panel = page.locator("#panel")
    expect(panel).to_be_visible()
    assert panel.bounding_box()["width"] == pytest.approx(360, abs=1)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()

    page.get_by_role("button", name="Conversations", exact=True).click()
    nav = page.get_by_role("navigation", name="Conversations")
    expect(nav.locator(".conversation-open")).to_have_count(1)
    expect(page.get_by_role("button", name="Conversations", exact=True)).to_have_attribute(
        "aria-expanded", "true"
    )
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Conversations", exact=True)).to_have_attribute(
        "aria-expanded", "false"
    )
    page.context.close()
    assert not problems.errors, problems.errors


def test_dark_system_setting_gives_a_dark_page(
    browser, live_server: Server, problems: PageProblems
) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, live_server, problems, color_scheme="dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(v) for v in re.findall(r"\d+", background)[:3])
    assert red + green + blue < 150, background
    page.context.close()


def test_landmarks_labels_and_live_regions_are_in_place(page: Page) -> None:
    expect(page.get_by_role("main")).to_be_visible()
    expect(page.get_by_role("navigation", name="Conversations")).to_be_visible()
    expect(page.get_by_label("Your question")).to_be_visible()
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.locator("#announcer")).to_have_attribute("role", "status")
    for kind in ("theme", "region", "service"):
        expect(page.get_by_label(f"Filter by {kind}")).to_be_enabled()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the question box")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your question")).to_be_focused()
