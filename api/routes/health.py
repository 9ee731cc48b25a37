"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import BearerDep, HeaderKeyDep, ServicesDep, check_key
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
def readyz(services: ServicesDep, bearer: BearerDep, header_key: HeaderKeyDep) -> Ready:
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
            check_key(services.settings, bearer.credentials if bearer else header_key, "readyz")
        except (Unauthorized, NoKeyConfigured):
            return Ready(status="ready")  # a load balancer needs no key to see it is ready
    return Ready(status="ready", chunks=chunks, documents=documents)
