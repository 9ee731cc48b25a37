"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import ServicesDep, check_key
from api.errors import NoKeyConfigured, responses
from api.schemas import Health, Ready
from assistant.errors import ModelUnavailable, StoreUnavailable, Unauthorized

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up and serving (it says nothing about the store)."""
    return Health(status="ok")


@router.get(
    "/readyz", response_model=Ready, response_model_exclude_none=True, responses=responses(503)
)
def readyz(request: Request, services: ServicesDep) -> Ready:
    """Ready to answer: the model is loaded and the store answers (503 otherwise). The chunk
    and document counts are given to readers: with BLUELIGHT_READ_REQUIRES_KEY, to the key."""
    if not services.embedder.loaded:
        raise ModelUnavailable("the embedding model is not loaded yet")
    try:
        chunks, documents = services.store.count(), len(services.store.manifest())
    except Exception as exc:  # whatever the client raises, the answer is "not ready"
        raise StoreUnavailable(f"the store does not answer: {exc}") from exc
    if services.settings.read_requires_key:
        try:
            check_key(services.settings, _presented_key(request), "readyz")
        except (Unauthorized, NoKeyConfigured):
            return Ready(status="ready")  # a load balancer needs no key to see it is ready
    return Ready(status="ready", chunks=chunks, documents=documents)


def _presented_key(request: Request) -> str | None:
    # Read by hand: the security dependencies would make the key gate (api/keygate.py) refuse
    # a keyless readiness check, which a load balancer must be able to make.
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials:
        return credentials.strip()
    return request.headers.get("x-api-key")
