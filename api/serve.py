"""`bluelight serve`: uvicorn running create_app, with graceful shutdown.

Workers are separate processes that each call `api.app:create_app()`, which reads its settings
from BLUELIGHT_* variables; so the settings given here (CLI flags included) are written to the
environment first, and every worker builds the same app.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from pydantic import SecretStr

from api.protocol import SPEC as HTTP_PROTOCOL
from assistant.settings import Settings

# On SIGTERM uvicorn stops accepting and lets in-flight requests finish; an answer cannot run
# past answer_timeout_s, so this covers it with a margin for the response to be written.
_SHUTDOWN_MARGIN_S = 5


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings as the BLUELIGHT_* variables that would produce them."""
    prefix = str(settings.model_config.get("env_prefix", ""))
    env: dict[str, str] = {}
    for name, value in settings:
        if value is None:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        # Strings and paths as they are; numbers, booleans and lists as JSON, which pydantic reads.
        text = str(value) if isinstance(value, str | Path) else json.dumps(value)
        env[f"{prefix}{name}".upper()] = text
    return env


def graceful_timeout(settings: Settings) -> int:
    return math.ceil(settings.answer_timeout_s) + _SHUTDOWN_MARGIN_S


def serve(settings: Settings) -> int:
    import uvicorn

    os.environ.update(settings_env(settings))
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        timeout_graceful_shutdown=graceful_timeout(settings),
        access_log=False,  # the app writes its own JSON access log, with request ids
        http=HTTP_PROTOCOL,  # malformed requests refused in the JSON error shape too
    )
    return 0
