"""Make docs/chat.png: the chat page answering a real question, with one source open.

The browser is the one the browser tests drive (Debian's Chromium, headless; never
`playwright install`). Without --url the script serves the shipped corpus itself: it ingests
corpus/ into --data-dir (a temporary folder by default) and starts uvicorn on a free port.

    .venv/bin/python scripts/screenshot.py
    .venv/bin/python scripts/screenshot.py --data-dir data      # reuse a store already ingested
    .venv/bin/python scripts/screenshot.py --url http://127.0.0.1:8000/
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# A question the shipped corpus answers well, with report pages to cite (checked by tests/ui).
QUESTION = "How did the Kent and Merseyside control rooms compare?"
STARTUP_S = 120.0


def main() -> int:
    args = parse()
    if args.url:
        shoot(args.url, args)
        return 0
    with tempfile.TemporaryDirectory(prefix="bluelight-shot-") as scratch:
        data_dir = Path(args.data_dir or scratch)
        ensure_store(data_dir)
        with serve(data_dir, Path(scratch) / "server.log") as url:
            shoot(url, args)
    return 0


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running bluelight server to photograph")
    parser.add_argument("--data-dir", help="store to serve (ingested from corpus/ if empty)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "chat.png")
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--dark", action="store_true", help="photograph the dark colour scheme")
    return parser.parse_args()


def ensure_store(data_dir: Path) -> None:
    """Ingest the shipped corpus into data_dir (unchanged files are skipped, so this is cheap)."""
    from assistant.retrieval.embedder import make_embedder
    from assistant.retrieval.store import open_store
    from assistant.settings import Settings
    from ingest.run import ingest

    settings = Settings(data_dir=data_dir, corpus_dir=ROOT / "corpus")
    report = ingest([settings.corpus_dir], open_store(settings), make_embedder(settings), settings)
    if report.failed:
        raise SystemExit(f"ingest failed: {report.failed}")
    print(report.summary().splitlines()[0], file=sys.stderr)


@contextmanager
def serve(data_dir: Path, log: Path) -> Iterator[str]:
    """uvicorn on a free loopback port over data_dir, stopped on exit."""
    from api.launch import ApiStartError, start_api

    env = {k: v for k, v in os.environ.items() if not k.startswith("BLUELIGHT_")}
    env |= {"BLUELIGHT_DATA_DIR": str(data_dir), "BLUELIGHT_CORPUS_DIR": str(ROOT / "corpus")}
    try:
        api = start_api(env, log, ready_s=STARTUP_S)
    except ApiStartError as exc:
        raise SystemExit(str(exc)) from exc
    try:
        yield f"{api.url}/"
    finally:
        api.stop(timeout_s=10)


def shoot(url: str, args: argparse.Namespace) -> None:
    """Ask the question, open the first cited report page, and save the PNG."""
    from scripts.browser import chromium, missing

    if why := missing():
        raise SystemExit(why)
    with chromium() as browser:
        context = browser.new_context(
            viewport={"width": args.width, "height": args.height},
            color_scheme="dark" if args.dark else "light",
        )
        page = context.new_page()
        page.goto(url)
        box = page.get_by_role("textbox", name="Your question")
        box.fill(args.question)
        box.press("Enter")
        reply = page.locator(".msg-assistant:not(.streaming), .msg-declined, .msg-error").first
        reply.wait_for(timeout=60_000)
        chips = reply.locator("button.cite-chip")
        if chips.count() == 0:
            raise SystemExit(f"no cited answer to {args.question!r}: {reply.inner_text()[:300]}")
        chips.first.click()
        page.locator("#panel mark.quote").wait_for(timeout=20_000)
        page.locator("#panel-title").evaluate("(e) => e.blur()")
        page.mouse.move(args.width // 2, 10)
        page.wait_for_timeout(300)  # let the smooth scroll settle
        args.out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.out))
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
