"""Records in PostgreSQL (psycopg 3), for several hosts behind one load balancer.

The schema is versioned: each migration below is applied once, in order, at startup, inside one
transaction that holds an advisory lock, so hosts starting together migrate one at a time and
the others find the work done.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from api.records import UNFINISHED, job_insert, new_job
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


class PostgresRecords:
    """Records in one PostgreSQL database; a connection per call, as calls are few."""

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

    # -- feedback ------------------------------------------------------------------------

    def add_feedback(
        self, answer_id: str, rating: str, comment: str | None, question: str | None
    ) -> dict[str, Any]:
        with self._connect() as db:
            row = db.execute(
                "INSERT INTO feedback (answer_id, rating, comment, question, created_at) "
                "VALUES (%s, %s, %s, %s, %s) RETURNING *",
                (answer_id, rating, comment, question, time.time()),
            ).fetchone()
        assert row is not None
        return dict(row)

    def list_feedback(self, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        with self._connect() as db:
            total = db.execute("SELECT COUNT(*) AS n FROM feedback").fetchone()
            rows = db.execute(
                "SELECT * FROM feedback ORDER BY id DESC LIMIT %s OFFSET %s", (limit, offset)
            ).fetchall()
        return [dict(r) for r in rows], int(total["n"] if total else 0)

    # -- jobs ----------------------------------------------------------------------------

    def create_job(self, source: str, owner: str = "", host: str = "") -> dict[str, Any]:
        job = new_job(source, owner, host)
        with self._connect() as db:
            db.execute(*job_insert(job, "%s"))
        return job

    def update_job(
        self,
        job_id: str,
        status: str,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE jobs SET status = %s, updated_at = %s, result = %s, error = %s "
                "WHERE job_id = %s",
                (
                    status,
                    time.time(),
                    Jsonb(result) if result is not None else None,
                    Jsonb(error) if error is not None else None,
                    job_id,
                ),
            )

    def get_job(self, job_id: str) -> dict[str, Any] | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM jobs WHERE job_id = %s", (job_id,)).fetchone()
        return None if row is None else dict(row)

    def unfinished_jobs(self) -> list[dict[str, Any]]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT * FROM jobs WHERE status = ANY(%s) ORDER BY created_at",
                (list(UNFINISHED),),
            ).fetchall()
        return [dict(r) for r in rows]
