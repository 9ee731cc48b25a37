"""What every records backend shares: the interface the routes use, and the shape of a job.

`api/db.py` keeps records in SQLite (the default) and picks a backend; `api/pgdb.py` keeps them
in PostgreSQL for several hosts.
"""

from __future__ import annotations

import time
import uuid
from contextlib import AbstractContextManager
from typing import Any, Protocol

# Jobs not yet done or failed: those a dead worker leaves behind are failed at startup.
UNFINISHED = ("queued", "running")
# The columns a new job is written with, in order, by every backend.
JOB_COLUMNS = ("job_id", "status", "source", "created_at", "updated_at", "owner", "host")


class Records(Protocol):
    def add_feedback(
        self, answer_id: str, rating: str, comment: str | None, question: str | None
    ) -> dict[str, Any]: ...

    def list_feedback(self, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]: ...

    def create_job(self, source: str, owner: str = "", host: str = "") -> dict[str, Any]: ...

    def update_job(
        self,
        job_id: str,
        status: str,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> None: ...

    def get_job(self, job_id: str) -> dict[str, Any] | None: ...

    def unfinished_jobs(self) -> list[dict[str, Any]]: ...


class Rows(Protocol):
    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    def execute(self, sql: Any, params: Any = ...) -> Rows: ...


class SqlRecords:
    """The records in SQL every backend runs alike; a backend gives its connection, its
    parameter mark, and how it writes and reads a JSON value."""

    mark = "?"

    def _connect(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _json(self, value: dict[str, Any] | None) -> Any:
        raise NotImplementedError

    def _job(self, row: Any) -> dict[str, Any]:
        raise NotImplementedError

    def _run(self, db: Connection, sql: str, params: tuple[Any, ...] = ()) -> Rows:
        return db.execute(sql.replace("?", self.mark), params)

    def add_feedback(
        self, answer_id: str, rating: str, comment: str | None, question: str | None
    ) -> dict[str, Any]:
        with self._connect() as db:
            row = self._run(
                db,
                "INSERT INTO feedback (answer_id, rating, comment, question, created_at) "
                "VALUES (?, ?, ?, ?, ?) RETURNING *",
                (answer_id, rating, comment, question, time.time()),
            ).fetchone()
        return dict(row)

    def list_feedback(self, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        with self._connect() as db:
            total = self._run(db, "SELECT COUNT(*) AS n FROM feedback").fetchone()
            rows = self._run(
                db, "SELECT * FROM feedback ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)
            ).fetchall()
        return [dict(r) for r in rows], int(total["n"])

    def create_job(self, source: str, owner: str = "", host: str = "") -> dict[str, Any]:
        job = new_job(source, owner, host)
        marks = ", ".join(["?"] * len(JOB_COLUMNS))
        with self._connect() as db:
            self._run(
                db,
                f"INSERT INTO jobs ({', '.join(JOB_COLUMNS)}) VALUES ({marks})",
                tuple(job[c] for c in JOB_COLUMNS),
            )
        return job

    def update_job(
        self,
        job_id: str,
        status: str,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> None:
        with self._connect() as db:
            self._run(
                db,
                "UPDATE jobs SET status = ?, updated_at = ?, result = ?, error = ? "
                "WHERE job_id = ?",
                (status, time.time(), self._json(result), self._json(error), job_id),
            )

    def get_job(self, job_id: str) -> dict[str, Any] | None:
        with self._connect() as db:
            row = self._run(db, "SELECT * FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        return None if row is None else self._job(row)

    def unfinished_jobs(self) -> list[dict[str, Any]]:
        with self._connect() as db:
            rows = self._run(
                db, "SELECT * FROM jobs WHERE status IN (?, ?) ORDER BY created_at", UNFINISHED
            ).fetchall()
        return [self._job(r) for r in rows]


def new_job(source: str, owner: str, host: str) -> dict[str, Any]:
    now = time.time()
    return {
        "job_id": uuid.uuid4().hex,
        "status": "queued",
        "source": source,
        "created_at": now,
        "updated_at": now,
        "result": None,
        "error": None,
        "owner": owner,
        "host": host,
    }
