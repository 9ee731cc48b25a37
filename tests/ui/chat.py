"""What a person does on the chat page, as functions the browser tests share."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Locator, Page

# A finished turn: an answer, a declined answer or an error (the streaming one is still busy).
FINISHED = ".msg-assistant:not(.streaming), .msg-declined, .msg-error"
ANSWER_TIMEOUT_MS = 30_000


def ask(page: Page, question: str) -> Locator:
    """Type a question, press Enter, and return the finished reply to it."""
    before = page.locator(FINISHED).count()
    box = page.get_by_label("Your question")
    box.fill(question)
    box.press("Enter")
    return wait_reply(page, before)


def wait_reply(page: Page, before: int) -> Locator:
    """The reply after the first `before` finished ones, once it has finished."""
    reply = page.locator(FINISHED).nth(before)
    reply.wait_for(timeout=ANSWER_TIMEOUT_MS)
    return reply


def citations_of(reply: Locator) -> Locator:
    return reply.locator("button.cite-chip")


def import_module(page: Page, name: str, expression: str, *args: Any) -> Any:
    """Evaluate `expression` with the page's own ES module `name` bound as `m`."""
    return page.evaluate(
        f"async (args) => {{ const m = await import('/{name}'); return ({expression}); }}",
        list(args),
    )


def sse_events(body: str) -> dict[str, Any]:
    """The last data of each event name in a server-sent event stream."""
    events: dict[str, Any] = {}
    for block in body.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in lines and "data" in lines:
            events[lines["event"]] = json.loads(lines["data"])
    return events
