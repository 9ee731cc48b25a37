"""Untrusted text stays text: an uploaded document holding HTML and script leaves the page inert."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.ui.chat import ask, import_module
from tests.ui.conftest import API_KEY, PageProblems, Server

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

HOSTILE = """The Quillstone lantern drill

The Quillstone lantern drill is a joint night exercise in which police, fire and ambulance crews \
practise lighting a cordon together. <img src=x onerror="window.__xss=1;alert(1)"> The Quillstone \
lantern drill found that shared lantern stocks cut costs for all three services. \
<script>window.__xss=2;alert(2)</script> Crews said the Quillstone lantern drill made night \
cordons safer <b onmouseover="window.__xss=3">for everyone</b>.
"""
INJECTED = "img, script, iframe, object, embed, b, svg:not(.icon), [onerror], [onmouseover]"


@pytest.fixture
def hostile_document(live_server: Server) -> Iterator[str]:
    """Upload a text document whose words include HTML and script; delete it afterwards."""
    headers = {"Authorization": f"Bearer {API_KEY}"}
    files = {"file": ("quillstone-lantern-drill.txt", HOSTILE.encode(), "text/plain")}
    with httpx.Client(base_url=live_server.url, headers=headers, timeout=30) as client:
        job = client.post("v1/documents", files=files)
        assert job.status_code == 202, job.text
        job_id = job.json()["job_id"]
        deadline = time.monotonic() + 60
        while (state := client.get(f"v1/jobs/{job_id}").json())["status"] in ("queued", "running"):
            assert time.monotonic() < deadline, state
            time.sleep(0.2)
        assert state["status"] == "done", state
        doc_id = state["result"]["doc_id"]
        yield doc_id
        assert client.delete(f"v1/documents/{doc_id}").status_code == 204


def test_document_holding_html_and_script_is_shown_as_text(
    page: Page, hostile_document: str, problems: PageProblems
) -> None:
    reply = ask(page, "What did the Quillstone lantern drill find?")
    expect(reply).to_have_class(re.compile(r"\bmsg-assistant\b"))
    expect(reply.locator(".msg-body")).to_contain_text('<img src=x onerror="window.__xss=1')
    expect(reply.locator(".msg-body")).to_contain_text("<script>window.__xss=2")

    reply.locator("button.cite-chip").first.click()
    passage = page.locator("#panel blockquote.passage")
    expect(passage).to_contain_text("<script>window.__xss=2;alert(2)</script>")

    for target in (reply.locator(".msg-body"), passage):
        target.hover()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator(f"#messages :is({INJECTED}), #panel :is({INJECTED})").count() == 0
    assert not problems.dialogs


def test_markdown_renderer_builds_text_nodes_only(page: Page) -> None:
    hostile = (
        '**Bold** and *it* <img src=x onerror="window.__xss=1"> [2]\n\n'
        "- one <script>window.__xss=2</script>\n- two\n\n"
        "| Project | Region |\n|---|---|\n| <b>P1</b> [1] | Wales |\n"
    )
    shape = import_module(
        page,
        "markdown.js",
        """(() => {
          const box = document.createElement('div');
          box.append(m.renderMarkdown(args[0], { chip: (n) => {
            const chip = document.createElement('button'); chip.textContent = n; return chip;
          } }));
          return {
            tags: [...box.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()),
            text: box.textContent,
          };
        })()""",
        hostile,
    )
    assert set(shape["tags"]) <= {
        "p",
        "strong",
        "em",
        "button",
        "ul",
        "li",
        "div",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }, shape["tags"]
    assert shape["tags"].count("button") == 2
    assert '<img src=x onerror="window.__xss=1">' in shape["text"]
    assert "<script>window.__xss=2</script>" in shape["text"]
    assert "<b>P1</b>" in shape["text"]
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_page_is_served_with_a_strict_content_security_policy(live_server: Server) -> None:
    response = httpx.get(live_server.url, timeout=10)
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    html = response.text
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"\sstyle\s*=|<style", html), "inline style"
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html)), "inline script"
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "a file from another origin"
