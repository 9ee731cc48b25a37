"""The FastAPI application: `create_app(settings)` wires routes, errors, middleware and startup.

Nothing happens at import. The lifespan handler builds the model, store and assistant once per
worker process (see api/services.py) before the first request; shutdown stops running
upload jobs. uvicorn itself finishes in-flight requests first (see api/serve.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import errors, services
from api.deps import ReadKey
from api.keygate import KeyFirst
from api.limits import BodyLimit, BodyTimeout
from api.metrics import Metrics
from api.observe import Observe, configure_logging
from api.page import StaticPage
from api.routes import answer, chat, documents, feedback, health, metrics, sources
from assistant.profile import load_profile
from assistant.settings import Settings

# Room for the multipart envelope around an upload of max_upload_bytes.
_MULTIPART_SLACK = 64 * 1024
DESCRIPTION = """Cited answers about {about}.

Every answer cites the passages it stands on; a question the evidence does not cover is
declined. Writes (uploads, deletes, reading feedback) need the API key, sent as
`Authorization: Bearer <key>` or `X-API-Key`. Errors share one shape:
`{{"error": {{"code", "message", "request_id"}}}}`.
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    state = app.state
    built = await anyio.to_thread.run_sync(
        services.build, state.settings, state.metrics, state.profile
    )
    app.state.services = built
    try:
        yield
    finally:
        await anyio.to_thread.run_sync(built.close)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for these settings (from BLUELIGHT_* variables when not given)."""
    settings = settings or Settings()
    configure_logging()
    profile = load_profile(settings.profile_path)
    app = FastAPI(
        title="bluelight",
        version=_version(),
        description=DESCRIPTION.format(about=profile.about),
        lifespan=lifespan,
        # Prometheus metrics and the JSON access log cover this; spans would cost per request.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.settings = settings
    app.state.profile = profile
    app.state.metrics = Metrics()
    errors.install(app)
    # Inside CORS, so a refusal still carries the CORS headers a browser needs to read it.
    app.add_middleware(KeyFirst, api=app, settings=settings)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Request-ID"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(
        BodyTimeout, timeout_s=settings.body_read_timeout_s, deadline_s=settings.body_deadline_s
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes + _MULTIPART_SLACK)
    app.add_middleware(Observe, metrics=app.state.metrics)  # outermost: sees every response

    # Reads carry the key check only when configured, so the schema says what the server does.
    read = [ReadKey] if settings.read_requires_key else []
    keyed = errors.responses(401, 403) if settings.read_requires_key else None
    for router in (answer.router, chat.router, sources.router, documents.router, feedback.router):
        app.include_router(router, dependencies=read, responses=keyed)
    app.include_router(health.router)
    app.include_router(metrics.router, dependencies=read, responses=keyed)
    app.router.routes.append(StaticPage())
    return app


def _version() -> str:
    try:
        return version("bluelight")
    except PackageNotFoundError:
        return "0.0.0"
