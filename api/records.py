"""What every records backend shares: the interface the routes use, and the shape of a job.

`api/db.py` keeps records in SQLite (the default) and picks a backend; `api/pgdb.py` keeps them
in PostgreSQL for several hosts.
"""

from __future__ import annotations

import time
import uuid
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


def job_insert(job: dict[str, Any], placeholder: str) -> tuple[str, tuple[Any, ...]]:
    """The INSERT for a new job and its values, with the backend's parameter placeholder."""
    marks = ", ".join([placeholder] * len(JOB_COLUMNS))
    sql = f"INSERT INTO jobs ({', '.join(JOB_COLUMNS)}) VALUES ({marks})"
    return sql, tuple(job[c] for c in JOB_COLUMNS)
