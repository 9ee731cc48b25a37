"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ServicesDep
from api.errors import responses
from api.schemas import Health, Ready
from assistant.errors import ModelUnavailable, StoreUnavailable

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up and serving (it says nothing about the store)."""
    return Health(status="ok")


@router.get("/readyz", response_model=Ready, responses=responses(503))
def readyz(services: ServicesDep) -> Ready:
    """Ready to answer: the model is loaded and the store answers (503 otherwise)."""
    if not services.embedder.loaded:
        raise ModelUnavailable("the embedding model is not loaded yet")
    try:
        chunks, documents = services.store.count(), len(services.store.manifest())
    except Exception as exc:  # whatever the client raises, the answer is "not ready"
        raise StoreUnavailable(f"the store does not answer: {exc}") from exc
    return Ready(status="ready", chunks=chunks, documents=documents)
