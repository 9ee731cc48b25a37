"""Prometheus metrics for one API worker process.

Each uvicorn worker keeps its own registry, so with several workers a scrape of the shared port
sees whichever worker took the connection: counters and histograms are per worker (the
`bluelight_worker_info` pid label says which), while the store gauges are the same from any
worker because they are read from the store at scrape time. Scrape each worker separately, or
run one worker per container behind the load balancer, to add them up.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

# Answers take tens to hundreds of milliseconds; uploads and slow LLM answers take seconds.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class StoreReadings:
    """What the store collector reads at scrape time; the app fills it in once it is ready."""

    def __init__(self) -> None:
        self.chunks: Callable[[], int] | None = None
        self.documents: Callable[[], int] | None = None
        self.reloads: Callable[[], int] | None = None


class _StoreCollector:
    """Store size and lexical index reloads, read when scraped rather than tracked."""

    def __init__(self, readings: StoreReadings) -> None:
        self.readings = readings

    def describe(self) -> Iterable[Metric]:
        return []

    def collect(self) -> Iterable[Metric]:
        r = self.readings
        up = GaugeMetricFamily("bluelight_store_up", "1 when the store answered this scrape")
        try:
            chunks = r.chunks() if r.chunks else None
            documents = r.documents() if r.documents else None
        except Exception:  # a scrape must report a broken store, not fail with it
            chunks = documents = None
        up.add_metric([], 0 if chunks is None else 1)
        yield up
        if chunks is not None:
            yield GaugeMetricFamily("bluelight_store_chunks", "Chunks in the store", value=chunks)
        if documents is not None:
            yield GaugeMetricFamily(
                "bluelight_store_documents", "Committed documents in the store", value=documents
            )
        if r.reloads is not None:
            yield CounterMetricFamily(
                "bluelight_lexical_index_reloads",
                "Times this worker rebuilt its lexical index because the store changed",
                value=r.reloads(),
            )


class Metrics:
    """The metrics of one worker, in their own registry (so tests can build many apps)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        reg = self.registry
        self.requests = Counter(
            "bluelight_http_requests",
            "HTTP requests by route template, method and status",
            ["route", "method", "status"],
            registry=reg,
        )
        self.errors = Counter(
            "bluelight_http_errors",
            "HTTP responses with status >= 400, by route template and error status",
            ["route", "status"],
            registry=reg,
        )
        self.latency = Histogram(
            "bluelight_http_request_duration_seconds",
            "Time from request to the end of the response body, by route template",
            ["route"],
            buckets=_LATENCY_BUCKETS,
            registry=reg,
        )
        self.in_progress = Gauge(
            "bluelight_http_requests_in_progress", "Requests being served now", registry=reg
        )
        self.stages = Histogram(
            "bluelight_answer_stage_seconds",
            "Time spent per answer stage (Answer.timings_ms: retrieve, compose, total)",
            ["stage"],
            buckets=_LATENCY_BUCKETS,
            registry=reg,
        )
        self.answers = Counter(
            "bluelight_answers", "Answers given, by composer", ["composer"], registry=reg
        )
        self.declined = Counter(
            "bluelight_answers_declined",
            "Answers declined because the evidence does not cover the question",
            ["composer"],
            registry=reg,
        )
        self.uploads = Counter(
            "bluelight_upload_jobs", "Upload jobs finished, by outcome", ["status"], registry=reg
        )
        Info("bluelight_worker", "The worker process serving this scrape", registry=reg).info(
            {"pid": str(os.getpid())}
        )
        ProcessCollector(registry=reg)
        self.store = StoreReadings()
        reg.register(_StoreCollector(self.store))

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route).observe(seconds)
        if status >= 400:
            self.errors.labels(route, str(status)).inc()

    def observe_answer(
        self, composer: str, declined: bool, timings_ms: Mapping[str, float]
    ) -> None:
        self.answers.labels(composer).inc()
        if declined:
            self.declined.labels(composer).inc()
        for stage, ms in timings_ms.items():
            self.stages.labels(stage).observe(ms / 1000)

    def observe_done(self, payload: Mapping[str, Any]) -> None:
        """The same, from the `done` event of a streamed answer."""
        self.observe_answer(
            str(payload.get("composer", "")),
            bool(payload.get("declined")),
            payload.get("timings_ms") or {},
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
