"""Browser-test fixtures: Debian's Chromium driven by Playwright, real uvicorn servers on loopback.

Never `playwright install`: the tests drive the system Chromium (apt-get install chromium).
Each test gets a fresh browser context, so localStorage never leaks from one test to the next,
and fails if the page logged an error or a Content-Security-Policy violation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from api.launch import ApiProcess, ApiStartError, start_api
from assistant.settings import Settings
from scripts.browser import chromium, missing
from tests.conftest import CORPUS, free_port

VIEWPORT = {"width": 1280, "height": 900}
# The server loads the embedding model and reads the store before /readyz says yes.
STARTUP_S = 90.0
# Variables that would point a test server at a developer's own services.
_FOREIGN_ENV = ("BLUELIGHT_CHROMA_HOST", "BLUELIGHT_LLM_BASE_URL", "BLUELIGHT_API_KEY")
# The key of the session server, for the test that uploads a document (the page never needs it).
API_KEY = "ui-test-key"


@dataclass
class Server:
    """A uvicorn process serving the API and the chat page over one data folder.

    It keeps its port, so a test that stops it can start it again at the same address.
    """

    data_dir: Path
    log: Path
    api_key: str | None = None
    port: int = field(default_factory=free_port)
    process: ApiProcess | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> Server:
        env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_ENV}
        env |= {
            "BLUELIGHT_DATA_DIR": str(self.data_dir),
            "BLUELIGHT_CORPUS_DIR": str(CORPUS),
            "PYTHONUNBUFFERED": "1",
        }
        if self.api_key:
            env["BLUELIGHT_API_KEY"] = self.api_key
        try:
            self.process = start_api(env, self.log, port=self.port, ready_s=STARTUP_S)
        except ApiStartError as exc:
            pytest.fail(str(exc))
        return self

    def stop(self) -> None:
        """Stop the process (terminate, then kill if it lingers)."""
        if self.process is not None:
            self.process.stop(timeout_s=10)


@pytest.fixture(scope="session")
def live_server(
    corpus_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The API and the page over the shipped corpus, once per session.

    Tests leave its store as they found it (a test that uploads deletes afterwards), and a test
    that stops it starts it again on the same port.
    """
    log = tmp_path_factory.mktemp("logs") / "server.log"
    server = Server(corpus_settings.data_dir, log, api_key=API_KEY)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if why := missing():
        pytest.skip(why)
    with chromium() as launched:
        yield launched


@dataclass
class PageProblems:
    """What the page reported that it should not have: errors, CSP violations, dialogs."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def context(browser, problems: PageProblems):  # type: ignore[no-untyped-def]
    """A fresh browser context (empty localStorage) with errors and dialogs recorded."""
    ctx = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


def watch(page, problems: PageProblems) -> None:  # type: ignore[no-untyped-def]
    """Record console errors, uncaught exceptions and dialogs (dismissing any dialog)."""

    def on_console(message) -> None:  # type: ignore[no-untyped-def]
        if message.type == "error":
            problems.errors.append(message.text)

    def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
        problems.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.errors.append(f"uncaught: {exc}"))
    page.on("dialog", on_dialog)


@pytest.fixture
def page(context, live_server: Server, problems: PageProblems):  # type: ignore[no-untyped-def]
    """The chat page over the shipped corpus; the test fails if the page logged an error."""
    tab = context.new_page()
    watch(tab, problems)
    tab.goto(live_server.url)
    yield tab
    assert not problems.dialogs, problems.dialogs
    assert not problems.errors, problems.errors
