"""What the service keeps besides the store: feedback and upload jobs.

`Records` (api/records.py) is the interface the routes use. `SQLiteRecords`, the default, is a
file next to the store (settings.database_path) shared by every worker process on the machine,
which is why jobs live here and not in memory: a job can be polled through any worker. With
BLUELIGHT_DATABASE_URL naming PostgreSQL, `PostgresRecords` (api/pgdb.py) keeps the same records
for every host behind a load balancer. `open_records` picks one.

Each job names the host whose data folder holds its file (`host`) and the worker process that
runs it (`owner`); only that host finishes or fails it, and any host answers for it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from api.records import Records, SqlRecords
from assistant.errors import BadInput
from assistant.settings import Settings

# Several workers write the same file; wait for a lock rather than fail at once.
_BUSY_TIMEOUT_S = 10.0


def open_records(settings: Settings) -> Records:
    """PostgreSQL when settings.database_url names it, else SQLite in the data folder."""
    if settings.database_url is None:
        return SQLiteRecords(settings.database_path)
    url = settings.database_url.get_secret_value()
    if not url.startswith(("postgresql://", "postgres://")):
        raise BadInput(
            "BLUELIGHT_DATABASE_URL must be a postgresql:// URL "
            "(leave it unset for the SQLite file in the data folder)"
        )
    from api.pgdb import PostgresRecords  # psycopg is loaded only where it is used

    return PostgresRecords(url)


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row["name"] for row in db.execute(f"PRAGMA table_info({table})")}


def _v1_tables(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "answer_id TEXT NOT NULL, rating TEXT NOT NULL, comment TEXT, question TEXT, "
        "created_at REAL NOT NULL)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS jobs (job_id TEXT PRIMARY KEY, status TEXT NOT NULL, "
        "source TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL, "
        "result TEXT, error TEXT)"
    )


def _v2_job_owner(db: sqlite3.Connection) -> None:
    if "owner" not in _columns(db, "jobs"):  # files made before versions were kept may have it
        db.execute("ALTER TABLE jobs ADD COLUMN owner TEXT")


def _v3_job_host(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE jobs ADD COLUMN host TEXT NOT NULL DEFAULT ''")


# Applied in order, each once; the file's PRAGMA user_version is how many have been.
SQLITE_MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1_tables,
    _v2_job_owner,
    _v3_job_host,
]


class SQLiteRecords(SqlRecords):
    """Records in one SQLite file; a connection per call keeps it safe across threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
        self._migrate()

    def _migrate(self) -> None:
        db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            # IMMEDIATE takes the write lock at once: workers starting together migrate in turn.
            db.execute("BEGIN IMMEDIATE")
            done = db.execute("PRAGMA user_version").fetchone()[0]
            for version, step in enumerate(SQLITE_MIGRATIONS[done:], start=done + 1):
                step(db)
                db.execute(f"PRAGMA user_version = {version}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S)
        db.row_factory = sqlite3.Row
        try:
            with db:  # commits, or rolls back on an exception
                yield db
        finally:
            db.close()

    def _json(self, value: dict[str, Any] | None) -> str | None:
        return json.dumps(value) if value is not None else None

    def _job(self, row: sqlite3.Row) -> dict[str, Any]:
        return _job(row)


def _job(row: sqlite3.Row) -> dict[str, Any]:
    job = dict(row)
    job["result"] = json.loads(job["result"]) if job["result"] else None
    job["error"] = json.loads(job["error"]) if job["error"] else None
    job["owner"] = job.get("owner") or ""
    job["host"] = job.get("host") or ""
    return job
