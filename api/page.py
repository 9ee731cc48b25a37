"""The chat page: files under api/static served at /, with a strict Content-Security-Policy.

A route rather than a mount at /: it matches only files that exist, so unknown API paths and
wrong methods on API routes still get the JSON 404 and 405 (a mount at / would swallow them).
The policy allows scripts, styles and requests from this origin only and no inline script.
"""

from __future__ import annotations

from pathlib import Path

from starlette.datastructures import URLPath
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

_METHODS = ("GET", "HEAD")
STATIC_DIR = Path(__file__).resolve().parent / "static"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
# Shown until the chat page is built: no script and no inline style, so the policy holds.
PLACEHOLDER = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>bluelight</title></head>
<body>
<h1>bluelight</h1>
<p>The chat page is not installed yet. The answer API is at <a href="/docs">/docs</a>.</p>
</body>
</html>
"""


class StaticPage(BaseRoute):
    """GET/HEAD of a file under `directory` (index.html at /), with the security headers."""

    path = "/{static}"  # the route label in metrics and logs

    def __init__(self, directory: Path = STATIC_DIR) -> None:
        self.directory = directory
        self._files: StaticFiles | None = None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        path = scope["path"]
        if path != "/" and self._file(path) is None:
            return Match.NONE, {}
        # A file with the wrong method is a partial match: the router answers 405 through it.
        return (Match.FULL if scope["method"] in _METHODS else Match.PARTIAL), {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in _METHODS:
            raise HTTPException(405, headers={"Allow": ", ".join(_METHODS)})

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *SECURITY_HEADERS]
            await send(message)

        if scope["path"] == "/" and not (self.directory / "index.html").is_file():
            await HTMLResponse(PLACEHOLDER)(scope, receive, send_secured)
            return
        if self._files is None:
            self._files = StaticFiles(directory=self.directory, html=True)
        await self._files(scope, receive, send_secured)

    def url_path_for(self, name: str, /, **path_params: object) -> URLPath:
        raise NoMatchFound(name, path_params)

    def _file(self, path: str) -> Path | None:
        """The file a path names, only if it lies inside the static folder."""
        if not self.directory.is_dir():
            return None
        root = self.directory.resolve()
        candidate = (root / path.lstrip("/")).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        return candidate
