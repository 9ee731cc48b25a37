"""Start the API in a uvicorn child process and wait until it is ready, for tests and scripts.

`bluelight serve` (api/serve.py) runs uvicorn in its own process; this starts one beside the
caller, on loopback, so the caller talks to it over real HTTP and stops it when done.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from api.protocol import SPEC as HTTP_PROTOCOL

ROOT = Path(__file__).resolve().parents[1]
# How much of the log an error shows: enough for a traceback from the app's startup.
_LOG_TAIL_CHARS = 3000
_POLL_S = 0.2


class ApiStartError(RuntimeError):
    """The API process exited before it was ready, or was not ready in time."""


@dataclass
class ApiProcess:
    """A running `uvicorn api.app:create_app --factory` process and how to reach it."""

    url: str  # no trailing slash, e.g. "http://127.0.0.1:8123"
    proc: subprocess.Popen[bytes]
    log: Path  # the process's stdout and stderr

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout_s: float = 30) -> int:
        """SIGTERM (uvicorn lets in-flight requests finish), then kill after timeout_s."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def start_api(
    env: Mapping[str, str],
    log: Path,
    *,
    port: int | None = None,
    host: str = "127.0.0.1",
    ready_s: float = 120,
    extra_args: Sequence[str] = (),
) -> ApiProcess:
    """Start the API with exactly `env` and return once GET /readyz answers 200.

    The app reads its settings from the BLUELIGHT_* variables in `env`. Output is appended to
    `log`, so a restart on the same port keeps the earlier run's lines. Raises ApiStartError,
    with the end of the log, if the process exits first or is not ready within ready_s (it is
    stopped then).
    """
    port = free_port(host) if port is None else port
    command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
    command += ["--host", host, "--port", str(port), "--http", HTTP_PROTOCOL, *extra_args]
    with log.open("ab") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    api = ApiProcess(f"http://{host}:{port}", proc, log)
    try:
        _wait_ready(api, ready_s)
    except BaseException:  # not ready, or the caller gave up (Ctrl-C): no orphan left behind
        api.stop()
        raise
    return api


def _wait_ready(api: ApiProcess, ready_s: float) -> None:
    deadline = time.monotonic() + ready_s
    while time.monotonic() < deadline:
        if api.proc.poll() is not None:
            raise ApiStartError(
                f"the API at {api.url} exited with code {api.proc.returncode} before it was "
                f"ready; the end of {api.log}:\n{api.log_text()[-_LOG_TAIL_CHARS:]}"
            )
        try:
            if httpx.get(f"{api.url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(_POLL_S)
    raise ApiStartError(
        f"the API at {api.url} was not ready in {ready_s:g} s; "
        f"the end of {api.log}:\n{api.log_text()[-_LOG_TAIL_CHARS:]}"
    )
