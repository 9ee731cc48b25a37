"""The browser that the chat-page tests and scripts/screenshot.py drive: Debian's Chromium,
headless, through Playwright (never `playwright install`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def executable() -> Path:
    """The Chromium binary: BLUELIGHT_CHROMIUM, or Debian's."""
    return Path(os.environ.get("BLUELIGHT_CHROMIUM", "/usr/bin/chromium"))


def missing() -> str | None:
    """Why the browser cannot start here, or None when it can."""
    path = executable()
    return (
        None
        if path.exists()
        else f"{path} is missing; install it with: apt-get install -y chromium"
    )


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable()), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
