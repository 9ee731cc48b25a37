"""Uploads: check and load a file in the request, then embed and write it as a background job.

Checking and loading (type from content, encryption, text layer, chunking) is quick and is where
a file is refused, so the client hears why at once with a 4xx. Embedding is the slow part; it runs
in one job thread per worker, so uploads are written one at a time, each document whole (the
store commits a document atomically, so a failed job leaves the store as it was). Job state lives
in the Records database, so any worker (and, on PostgreSQL, any host) can answer a poll. On
shutdown a running job is stopped at its next embedding step and failed with its reason, so a
large upload cannot hold the process.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import queue
import re
import threading
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from api.host import host_id
from api.metrics import Metrics
from api.records import UNFINISHED, Records
from api.schemas import IngestResult
from assistant.errors import BluelightError, DamagedFile, EncryptedPDF, UnsupportedMedia
from assistant.retrieval.embedder import Embedder, make_embedder
from assistant.retrieval.store import DocRecord, Store
from assistant.settings import Settings
from assistant.types import Document
from ingest.load import kind_of, load
from ingest.run import write_document
from ingest.split import doc_id_for

LOG = logging.getLogger("bluelight.uploads")
UPLOAD_PREFIX = "uploads/"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_STEM = 90
# Common binary formats a user may pick by mistake, told apart by their first bytes.
_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or a Word/Excel file)",
    b"\xd0\xcf\x11\xe0": "an old Office document",
    b"\x7fELF": "a program",
}
ACCEPTED = "PDF, JSONL, CSV, plain text or Markdown"
# Texts embedded between two checks for shutdown: a few seconds of work on one CPU core.
_EMBED_STEP = 256
# Held shared by a job while it writes, taken exclusively by startup recovery (in locks/).
_STORE_WRITE = "store-write.lock"


def source_for(filename: str | None) -> str:
    """The store source of an upload: its base name made safe, under uploads/.

    The client's name never becomes a filesystem path; it only names the document (and a
    second upload under the same name replaces the first, as re-ingesting a file does).
    """
    base = re.split(r"[\\/]", filename or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    path = PurePosixPath(base)
    suffix = path.suffix.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,9}", path.suffix) else ""
    stem = _UNSAFE.sub("-", path.stem if suffix else base).strip(".-")[:_MAX_STEM]
    return f"{UPLOAD_PREFIX}{stem or 'upload'}{suffix}"


def check(data: bytes, source: str) -> None:
    """Refuse what cannot be ingested before any parsing: empty, or not a kind we read."""
    if not data:
        raise DamagedFile(source, "the file is empty")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise UnsupportedMedia(f"{source}: the file is {what}; upload {ACCEPTED}")
    try:
        kind_of(data, source)
    except UnsupportedMedia as exc:
        raise UnsupportedMedia(f"{exc.message}; upload {ACCEPTED}") from exc


class UploadInterrupted(BluelightError):
    status = 503
    code = "upload_interrupted"


def interrupted_message(source: str) -> str:
    return (
        f"{source}: the server stopped before this upload was stored, and nothing of it was "
        "kept; upload the file again"
    )


class _StoppableEmbedder:
    """The upload model, embedding in steps and refusing to go on once shutdown has begun."""

    def __init__(self, embedder: Embedder, stopping: threading.Event, source: str) -> None:
        self.embedder = embedder
        self.stopping = stopping
        self.source = source

    def embed_array(self, texts: list[str]) -> np.ndarray:
        parts = []
        for start in range(0, len(texts), _EMBED_STEP):
            if self.stopping.is_set():
                raise UploadInterrupted(interrupted_message(self.source))
            parts.append(self.embedder.embed_array(texts[start : start + _EMBED_STEP]))
        return np.concatenate(parts) if parts else self.embedder.embed_array([])


class Uploads:
    """Loads uploads (one at a time) and runs their jobs on a single background thread.

    Each worker process holds a lock file of its own for as long as it lives, and stamps its jobs
    with that file's name and its host's; the kernel drops the lock however the process ends
    (kill -9 included), so a worker starting later on the same host can tell the jobs of a dead
    worker from those of a live one. Jobs of other hosts are theirs to fail.
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        records: Records,
        metrics: Metrics,
        on_written: Callable[[], object],
    ) -> None:
        self.settings = settings
        self.store = store
        self.records = records
        self.metrics = metrics
        self.on_written = on_written
        # A daemon thread, so a job still writing when the wait on shutdown ends cannot keep the
        # process alive; what it leaves half-written is mended as after a crash.
        self._queue: queue.Queue[tuple[str, Document, str]] = queue.Queue()
        self._stopping = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._work, name="bluelight-upload", daemon=True)
        self._thread.start()
        # Uploads get their own model copy: the answers' embedder is busy serving queries, and
        # a Hugging Face tokenizer must not be used from two threads at once (hence the lock
        # around loading, which counts tokens with the copy's tokenizer).
        self._embedder: Embedder | None = None
        self._load_lock = threading.Lock()
        self._locks = settings.data_dir / "locks"
        self._locks.mkdir(parents=True, exist_ok=True)
        self.owner = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.host = host_id(settings.data_dir)
        self._owner_fd = _lock(self._owner_file(self.owner), exclusive=True, wait=False)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.settings)
        return self._embedder

    def prepare(self, data: bytes, filename: str | None, password: str | None) -> Document:
        """Check and load an upload (blocking; call it in a thread). Raises DocumentRefused."""
        source = source_for(filename)
        check(data, source)
        try:
            with self._load_lock:
                doc, notes = load(
                    data, source, self.settings, self.embedder.token_counts, password=password
                )
        except EncryptedPDF as exc:  # the loader's hint names the CLI flag; say it for HTTP
            hint = "the password given is wrong" if password else "send it in the password field"
            raise EncryptedPDF(source, f"the PDF is encrypted; {hint}") from exc
        return replace(doc, warnings=[*doc.warnings, *notes])

    def submit(self, doc: Document, added_by: str) -> dict[str, Any]:
        """Queue the embedding and the write; returns the new job."""
        job = self.records.create_job(doc.source, owner=self.owner, host=self.host)
        self._idle.clear()
        self._queue.put((job["job_id"], doc, added_by))
        return job

    def _work(self) -> None:
        while True:
            job_id, doc, added_by = self._queue.get()
            try:
                self._run(job_id, doc, added_by)
            except Exception:  # the records database failed too: the thread must live on
                LOG.exception("upload job not recorded", extra={"fields": {"job_id": job_id}})
            if self._queue.empty():
                self._idle.set()

    def recover(self) -> None:
        """At startup: fail the jobs of workers that died, and mend half-written documents."""
        orphans: dict[str, list[dict[str, Any]]] = {}
        for job in self.records.unfinished_jobs():
            # A job without a host was written before hosts were kept, by this machine.
            if job["owner"] != self.owner and job["host"] in (self.host, ""):
                orphans.setdefault(job["owner"], []).append(job)
        for owner, jobs in orphans.items():
            self._fail_orphans(owner, jobs)
        if self.settings.chroma_host:
            # Workers on other machines may be writing to a Chroma server right now, and recovery
            # would take their chunks; their halves stay invisible until `bluelight ingest` mends.
            return
        fd = _lock(self._locks / _STORE_WRITE, exclusive=True, wait=False)
        if fd is None:
            LOG.info("store recovery skipped: another worker is writing a document")
            return
        try:
            mended = self.store.recover()
        finally:
            os.close(fd)
        if mended:
            LOG.warning(
                f"recovered {mended} interrupted document write(s)",
                extra={"fields": {"recovered": mended}},
            )

    def close(self) -> None:
        """Stop the running job at its next step (waiting settings.shutdown_upload_wait_s at
        most), fail every job of this worker not done, then let go of the lock."""
        self._stopping.set()
        if not self._idle.wait(self.settings.shutdown_upload_wait_s):
            LOG.warning("upload job still running at shutdown; failing it")
        recorded = True
        try:
            for job in self.records.unfinished_jobs():
                if job["owner"] == self.owner:
                    LOG.warning(
                        "upload job interrupted", extra={"fields": {"job_id": job["job_id"]}}
                    )
                    self._fail(
                        job["job_id"], "upload_interrupted", interrupted_message(job["source"])
                    )
        except Exception:  # the database is gone: the lock file stays, so a restart fails them
            LOG.exception("upload jobs could not be failed at shutdown")
            recorded = False
        if self._owner_fd is not None:
            if recorded:
                self._owner_file(self.owner).unlink(missing_ok=True)
            os.close(self._owner_fd)
            self._owner_fd = None

    def _owner_file(self, owner: str) -> Path:
        return self._locks / f"worker-{owner}.lock"

    def _fail_orphans(self, owner: str, jobs: list[dict[str, Any]]) -> None:
        path = self._owner_file(owner)
        fd = None
        if owner:  # no owner: written before jobs had one, so no worker still runs it
            if not path.exists():
                return  # another worker has failed this owner's jobs already
            fd = _lock(path, exclusive=True, wait=False)
            if fd is None:
                return  # its owner is alive and will finish them
        try:
            manifest = self.store.manifest()
            for job in jobs:
                current = self.records.get_job(job["job_id"])
                if current is None or current["status"] not in UNFINISHED:
                    continue
                LOG.warning("upload job interrupted", extra={"fields": {"job_id": job["job_id"]}})
                stored = manifest.get(doc_id_for(job["source"]))
                if stored is not None and stored.ingested_at >= current["created_at"]:
                    # Killed after the commit, before the job said so: the upload is stored.
                    self.records.update_job(job["job_id"], "done", result=_stored(stored))
                    continue
                self._fail(job["job_id"], "upload_interrupted", interrupted_message(job["source"]))
        finally:
            if fd is not None:
                path.unlink(missing_ok=True)
                os.close(fd)

    def _run(self, job_id: str, doc: Document, added_by: str) -> None:
        if self._stopping.is_set():
            return  # failed by close(), which is under way
        self.records.update_job(job_id, "running")
        try:
            replaced = doc.doc_id in self.store.manifest()
            # Held shared while writing, so a worker starting meanwhile does not "mend" this.
            fd = _lock(self._locks / _STORE_WRITE, exclusive=False, wait=True)
            try:
                # The one job thread is the only user of the model's own tokenizer here.
                notes = write_document(
                    doc,
                    self.store,
                    _StoppableEmbedder(self.embedder, self._stopping, doc.source),  # type: ignore
                    origin="upload",
                    provenance="upload",
                    added_by=added_by,
                )
            finally:
                if fd is not None:
                    os.close(fd)
            self.on_written()
        except BluelightError as exc:
            self._fail(job_id, exc.code, exc.message)
            return
        except Exception as exc:  # a job thread must record every failure, not die silently
            LOG.exception("upload job failed", extra={"fields": {"job_id": job_id}})
            self._fail(
                job_id,
                "internal_error",
                f"{doc.source}: the upload could not be stored ({type(exc).__name__}); "
                f"the server log has the details under job {job_id}",
            )
            return
        result = IngestResult.of(doc, len(doc.chunks), replaced, [*doc.warnings, *notes])
        self.records.update_job(job_id, "done", result=result.model_dump())
        self.metrics.uploads.labels("done").inc()

    def _fail(self, job_id: str, code: str, message: str) -> None:
        self.records.update_job(job_id, "failed", error={"code": code, "message": message})
        self.metrics.uploads.labels("failed").inc()


def _stored(doc: DocRecord) -> dict[str, Any]:
    """A job's result told from the manifest, for a job whose worker died just after the commit."""
    note = (
        f"{doc.source}: the server stopped just after storing this upload; "
        "whether it replaced an earlier version was not recorded"
    )
    return IngestResult.of(doc, doc.chunks, False, [note]).model_dump()


def identity(key: str | None) -> str:
    """Who added an upload, for the manifest: a short hash of the API key, never the key."""
    if not key:
        return "anonymous"
    return "key-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def _lock(path: Path, exclusive: bool, wait: bool) -> int | None:
    """An flock on `path` (created if missing): its descriptor, or None if it is held elsewhere."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        flags = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        fcntl.flock(fd, flags if wait else flags | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd
