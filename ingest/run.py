"""The ingest run: walk files, skip what is unchanged, write each changed document whole, report."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.embedder import Embedder
from assistant.errors import BluelightError
from assistant.settings import Settings
from assistant.store import Store
from assistant.types import Document
from ingest.load import SUFFIXES, content_hash, embed_inputs, load
from ingest.split import TokenCounter, chunk_id_for, doc_id_for


@dataclass
class IngestReport:
    """What one run did, document by document."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chunks_written: int = 0
    recovered: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would be " if self.dry_run else ""
        head = (
            f"{verb}added {len(self.added)}, {verb}updated {len(self.updated)}, "
            f"unchanged {len(self.unchanged)}, {verb}removed {len(self.removed)}, "
            f"failed {len(self.failed)}; {self.chunks_written} chunks written"
        )
        lines = [head]
        lines += [f"  failed: {f}" for f in self.failed]
        lines += [f"  note: {n}" for n in self.notes]
        if self.recovered:
            lines.append(f"  recovered {self.recovered} interrupted document write(s)")
        return "\n".join(lines)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    source: str


def walk(paths: Iterable[Path], corpus_dir: Path) -> tuple[list[SourceFile], list[str]]:
    """Files under the given paths, each with its source name; missing paths are reported."""
    corpus = corpus_dir.resolve()
    found: dict[str, SourceFile] = {}
    missing: list[str] = []
    for root in paths:
        root = root.resolve()
        if not root.exists():
            missing.append(f"{root}: no such file or folder")
            continue
        if root.is_file():
            files = [root]
            base = root.parent
        else:
            files = sorted(
                p
                for p in root.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                # Hidden files and folders (.git, a corpus's .source) are not evidence.
                and not any(part.startswith(".") for part in p.relative_to(root).parts)
            )
            base = root.parent
        for file in files:
            rel = (
                file.relative_to(corpus) if file.is_relative_to(corpus) else file.relative_to(base)
            )
            found.setdefault(str(file), SourceFile(file, rel.as_posix()))
    return sorted(found.values(), key=lambda f: f.source), missing


ProgressFn = Callable[[str], None]


@dataclass(frozen=True)
class _Job:
    file: SourceFile
    doc_hash: str
    update: bool


def ingest(
    paths: Sequence[Path],
    store: Store,
    embedder: Embedder,
    settings: Settings,
    *,
    prune: bool = False,
    dry_run: bool = False,
    password: str | None = None,
    progress: ProgressFn | None = None,
    workers: int = 1,
) -> IngestReport:
    """Bring the store in step with the files under `paths`.

    Unchanged files are recognised by hash before anything is parsed or embedded; changed ones are
    loaded (in `workers` processes when asked), embedded together in batches that span small
    documents, and written one whole document at a time.
    """
    report = IngestReport(dry_run=dry_run)
    if not dry_run:
        report.recovered = store.recover()
    files, missing = walk(paths, settings.corpus_dir)
    report.failed += missing
    manifest = store.manifest()
    jobs: list[_Job] = []
    for file in files:
        try:
            doc_hash = content_hash(file.path.read_bytes(), settings)
        except OSError as exc:
            report.failed.append(f"{file.source}: cannot read the file ({exc.strerror or exc})")
            continue
        known = manifest.get(doc_id_for(file.source))
        if known is not None and known.doc_hash == doc_hash:
            report.unchanged.append(file.source)
            if progress:
                progress(file.source)
        elif dry_run:
            (report.updated if known else report.added).append(file.source)
        else:
            jobs.append(_Job(file, doc_hash, known is not None))

    batch = _Batch(store, embedder, report, flush_at=settings.embed_batch_size * BATCHES_PER_FLUSH)
    for job, loaded in _load_all(jobs, settings, embedder, password, workers):
        if progress:
            progress(job.file.source)
        if isinstance(loaded, str):
            report.failed.append(loaded)
            continue
        doc, notes = loaded
        report.notes += notes
        if any(c.record_id for c in doc.chunks):
            batch.flush()  # records already stored are looked up in the store: write first
        doc = _without_held_records(doc, store, report)
        batch.add(doc, job)
    batch.flush()

    if prune:
        seen = {doc_id_for(f.source) for f in files}
        roots = [str(p.resolve()) for p in paths if p.resolve().is_dir()]
        for doc in manifest.values():
            if doc.doc_id in seen or not doc.origin or not _under(doc.origin, roots):
                continue
            if not os.path.exists(doc.origin):
                if not dry_run:
                    store.delete(doc.doc_id)
                report.removed.append(doc.source)
    return report


def _under(origin: str, roots: list[str]) -> bool:
    return any(origin == r or origin.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


Loaded = tuple[Document, list[str]] | str


def _load_all(
    jobs: list[_Job], settings: Settings, embedder: Embedder, password: str | None, workers: int
) -> Iterator[tuple[_Job, Loaded]]:
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield job, _load_one(job, settings, embedder.token_counts, password)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(
        max_workers=workers, initializer=_worker_init, initargs=(embedder.folder,)
    ) as pool:
        futures = [pool.submit(_worker_load, job, settings, password) for job in jobs]
        for job, future in zip(jobs, futures, strict=True):
            yield job, future.result()


def _load_one(job: _Job, settings: Settings, count: TokenCounter, password: str | None) -> Loaded:
    try:
        data = job.file.path.read_bytes()
        return load(
            data, job.file.source, settings, count, password=password, doc_hash=job.doc_hash
        )
    except BluelightError as exc:
        return exc.message
    except OSError as exc:
        return f"{job.file.source}: cannot read the file ({exc.strerror or exc})"


_worker_embedder: Embedder | None = None


def _worker_init(folder: Path) -> None:
    global _worker_embedder
    _worker_embedder = Embedder(folder)


def _worker_load(job: _Job, settings: Settings, password: str | None) -> Loaded:
    assert _worker_embedder is not None
    return _load_one(job, settings, _worker_embedder.token_counts, password)


def write_document(doc: Document, store: Store, embedder: Embedder, origin: str = "") -> list[str]:
    """Embed and write one document whole (an upload, say); returns notes for its sender.

    Project records another document already holds are left out, as in a run.
    """
    report = IngestReport()
    doc = _without_held_records(doc, store, report)
    vectors = embedder.embed_array(embed_inputs(doc))
    store.write(doc, vectors, origin=origin)
    return report.notes


# Loaded documents wait until their chunks fill this many embedding batches, then are embedded in
# one call: a thousand two-chunk files would otherwise make a thousand half-empty batches, which
# leaves a GPU idle. Each document is still written (and committed) whole, on its own.
BATCHES_PER_FLUSH = 8


class _Batch:
    """Documents loaded but not yet embedded and written."""

    def __init__(
        self, store: Store, embedder: Embedder, report: IngestReport, flush_at: int
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.report = report
        self.flush_at = flush_at
        self.waiting: list[tuple[Document, _Job]] = []
        self.chunks = 0

    def add(self, doc: Document, job: _Job) -> None:
        self.waiting.append((doc, job))
        self.chunks += len(doc.chunks)
        if self.chunks >= self.flush_at:
            self.flush()

    def flush(self) -> None:
        if not self.waiting:
            return
        texts = [t for doc, _ in self.waiting for t in embed_inputs(doc)]
        vectors = self.embedder.embed_array(texts)
        start = 0
        for doc, job in self.waiting:
            end = start + len(doc.chunks)
            self.store.write(doc, vectors[start:end], origin=str(job.file.path))
            start = end
            self.report.chunks_written += len(doc.chunks)
            (self.report.updated if job.update else self.report.added).append(job.file.source)
        self.waiting, self.chunks = [], 0


def _without_held_records(doc: Document, store: Store, report: IngestReport) -> Document:
    """A project record already stored from another file is not stored twice."""
    ids = [c.record_id for c in doc.chunks if c.record_id]
    held = {r: d for r, d in store.held_records(ids).items() if d != doc.doc_id}
    if not held:
        return doc
    sources = {d.doc_id: d.source for d in store.manifest().values()}
    others = ", ".join(sorted({sources.get(d, d) for d in held.values()}))
    ids = ", ".join(sorted(held)[:5]) + (", ..." if len(held) > 5 else "")
    report.notes.append(
        f"{doc.source}: {len(held)} record(s) already stored from {others} ({ids}); "
        "each is kept once"
    )
    keep = [
        replace(c, position=i, chunk_id=chunk_id_for(doc.doc_id, doc.doc_hash, i))
        for i, c in enumerate(c for c in doc.chunks if c.record_id not in held)
    ]
    return replace(doc, chunks=keep, records=len(keep))
