"""Records in PostgreSQL (psycopg 3), for several hosts behind one load balancer.

The schema is versioned: each migration below is applied once, in order, at startup, inside one
transaction that holds an advisory lock, so hosts starting together migrate one at a time and
the others find the work done.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from api.records import SqlRecords
from assistant.errors import StoreUnavailable

# Any constant both sides agree on: the key of the advisory lock held while migrating.
_MIGRATION_LOCK = 0x626C7565  # "blue"
_CONNECT_TIMEOUT_S = 10
MIGRATIONS = [
    """
    CREATE TABLE feedback (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        answer_id TEXT NOT NULL,
        rating TEXT NOT NULL,
        comment TEXT,
        question TEXT,
        created_at DOUBLE PRECISION NOT NULL
    );
    CREATE TABLE jobs (
        job_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at DOUBLE PRECISION NOT NULL,
        updated_at DOUBLE PRECISION NOT NULL,
        result JSONB,
        error JSONB,
        owner TEXT NOT NULL DEFAULT '',
        host TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX jobs_unfinished ON jobs (created_at) WHERE status IN ('queued', 'running');
    """,
]


class PostgresRecords(SqlRecords):
    """Records in one PostgreSQL database; a connection per call, as calls are few."""

    mark = "%s"

    def __init__(self, url: str) -> None:
        self.url = url
        self._migrate()

    @contextmanager
    def _connect(self) -> Iterator[psycopg.Connection[dict[str, Any]]]:
        try:
            db = psycopg.connect(self.url, row_factory=dict_row, connect_timeout=_CONNECT_TIMEOUT_S)
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(
                f"cannot reach the database named by BLUELIGHT_DATABASE_URL: {exc}"
            ) from exc
        with db:  # commits, or rolls back on an exception, then closes
            yield db

    def _migrate(self) -> None:
        with self._connect() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = db.execute("SELECT max(version) AS v FROM schema_version").fetchone()
            done = (row["v"] if row else None) or 0
            for version, sql in enumerate(MIGRATIONS[done:], start=done + 1):
                db.execute(sql)
                db.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))

    def _json(self, value: dict[str, Any] | None) -> Jsonb | None:
        return Jsonb(value) if value is not None else None

    def _job(self, row: dict[str, Any]) -> dict[str, Any]:
        return dict(row)
