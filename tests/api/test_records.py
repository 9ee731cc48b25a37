"""The records database, SQLite and PostgreSQL alike: versioned migrations applied once, even when
several processes start together, and the same records read back from either."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import psycopg
import pytest

from api.db import SQLITE_MIGRATIONS, SQLiteRecords, open_records
from api.pgdb import MIGRATIONS, PostgresRecords
from api.records import Records
from assistant.errors import BadInput
from assistant.settings import Settings
from tests.postgres import Cluster


def _round_trip(records: Records) -> None:
    first = records.add_feedback("answer-1", "down", "no source for this", None)
    second = records.add_feedback("answer-2", "up", None, "what is JESIP?")
    rows, total = records.list_feedback(10, 0)
    assert total == 2
    assert rows == [second, first]
    job = records.create_job("uploads/note.txt", owner="worker-1", host="host-a")
    assert records.unfinished_jobs() == [job]
    records.update_job(job["job_id"], "failed", error={"code": "x", "message": "why"})
    got = records.get_job(job["job_id"])
    assert got is not None
    assert (got["status"], got["error"], got["owner"], got["host"]) == (
        "failed",
        {"code": "x", "message": "why"},
        "worker-1",
        "host-a",
    )
    assert records.unfinished_jobs() == []
    assert records.get_job("no-such-job") is None


def test_sqlite_records_round_trip(tmp_path: Path) -> None:
    _round_trip(SQLiteRecords(tmp_path / "records.sqlite3"))


@pytest.mark.server
def test_postgres_records_round_trip(postgres: Cluster) -> None:
    _round_trip(PostgresRecords(postgres.new_database()))


@pytest.mark.server
def test_hosts_starting_together_migrate_postgres_once(postgres: Cluster) -> None:
    url = postgres.new_database()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: PostgresRecords(url), range(8)))
    with psycopg.connect(url) as db:
        versions = [row[0] for row in db.execute("SELECT version FROM schema_version")]
    assert sorted(versions) == list(range(1, len(MIGRATIONS) + 1))


def test_a_sqlite_file_from_before_versions_is_brought_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "CREATE TABLE jobs (job_id TEXT PRIMARY KEY, status TEXT NOT NULL, source TEXT NOT "
            "NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL, result TEXT, error TEXT, "
            "owner TEXT)"
        )
        db.execute(
            "INSERT INTO jobs VALUES ('j1', 'running', 'uploads/a.txt', 1, 1, NULL, NULL, 'w')"
        )
    records = SQLiteRecords(path)
    assert [(j["job_id"], j["owner"], j["host"]) for j in records.unfinished_jobs()] == [
        ("j1", "w", "")
    ]
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(SQLITE_MIGRATIONS)
    SQLiteRecords(path)  # opening again applies nothing


def test_a_database_url_that_is_not_postgresql_is_refused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url="mysql://db/bluelight")
    with pytest.raises(BadInput, match="must be a postgresql:// URL"):
        open_records(settings)
