"""Taking answers away: copy one answer, export the conversation as a briefing note, feedback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.ui.chat import ask, sse_events
from tests.ui.conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

REPORT_QUESTION = "How did the Kent and Merseyside control rooms compare?"
PROJECT_QUESTION = "Which projects are in Wales?"


def test_export_writes_a_briefing_note_with_numbered_references(page: Page, tmp_path: Path) -> None:
    ask(page, PROJECT_QUESTION)
    ask(page, REPORT_QUESTION)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export briefing").click()
    assert re.fullmatch(
        r"bluelight-briefing-\d{4}-\d{2}-\d{2}\.md", download.value.suggested_filename
    )
    path = tmp_path / "note.md"
    download.value.save_as(path)
    note = path.read_text(encoding="utf-8")

    assert note.startswith(f"# Briefing note: {PROJECT_QUESTION}\n")
    assert f"## 1. {PROJECT_QUESTION}" in note
    assert f"## 2. {REPORT_QUESTION}" in note
    body, references = note.split("## References", 1)
    listed = dict(re.findall(r"^(\d+)\. (.+)$", references, flags=re.M))
    assert listed, references
    cited = {m for m in re.findall(r"\[(\d+)\]", body)}
    assert cited and cited <= set(listed), (cited, set(listed))
    assert any(re.search(r", page \d+ \(reports/[\w-]+\.pdf\)\. \"", r) for r in listed.values())
    assert any(re.search(r", project record P\d{3} \(records/", r) for r in listed.values())
    assert "| Project | Region |" in body


def test_copy_puts_the_answer_and_its_references_on_the_clipboard(
    page: Page, live_server: Server
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    reply = ask(page, REPORT_QUESTION)
    reply.get_by_role("button", name="Copy answer").click()
    expect(reply.locator(".action-status")).to_have_text("Copied with its references.")
    copied = page.evaluate("navigator.clipboard.readText()")
    # The answer's first paragraph or list item opens the copy (a list keeps its dash).
    first_words = reply.locator(".msg-body p, .msg-body li").first.inner_text()[:40]
    assert copied.lstrip("- ").startswith(first_words)
    assert "\nReferences\n" in copied
    assert re.search(r"^1\. .+, page \d+ \(reports/", copied, flags=re.M)


def test_thumbs_down_with_a_comment_is_sent_as_feedback(page: Page) -> None:
    with page.expect_response(re.compile(r"/v1/answer/stream$")) as streamed:
        reply = ask(page, REPORT_QUESTION)
    answer_id = sse_events(streamed.value.text())["done"]["id"]
    reply.get_by_role("button", name="Not helpful").click()
    expect(reply.get_by_role("button", name="Not helpful")).to_have_attribute(
        "aria-pressed", "true"
    )
    comment = reply.get_by_label("What was good or missing? (optional)")
    expect(comment).to_be_focused()
    comment.fill("Wanted the dates side by side.")
    with page.expect_response(re.compile(r"/v1/feedback$")) as sent:
        reply.get_by_role("button", name="Send feedback").click()
    assert sent.value.status == 201
    body = json.loads(sent.value.request.post_data or "{}")
    assert body == {
        "answer_id": answer_id,
        "rating": "down",
        "comment": "Wanted the dates side by side.",
        "question": REPORT_QUESTION,
    }
    expect(reply.locator(".action-status")).to_have_text("Thanks for the feedback.")
    expect(reply.get_by_role("button", name="Helpful", exact=True)).to_be_disabled()
