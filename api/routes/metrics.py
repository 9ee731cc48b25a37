"""GET /metrics in the Prometheus text format (per worker; see api/metrics.py)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST

from api.deps import MetricsDep

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
def metrics(metrics: MetricsDep) -> Response:
    """Request, error, latency, answer, store and index metrics of the worker that answers."""
    # A plain def: collecting reads the store, which must not block the event loop.
    return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
