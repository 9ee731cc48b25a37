"""The ingest run: walk files, skip what is unchanged or already held, write each changed document
whole, report."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.errors import BadInput, BluelightError, DocumentRefused
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import DocRecord, Store
from assistant.settings import Settings
from assistant.types import PROVENANCES, Document
from ingest.files import SourceFile, walk
from ingest.load import content_hash, embed_inputs, load
from ingest.report import IngestReport
from ingest.split import TokenCounter, chunk_id_for, doc_id_for

ProgressFn = Callable[[str], None]


@dataclass(frozen=True)
class _Job:
    file: SourceFile
    doc_hash: str
    known: DocRecord | None
    provenance: str
    # Entries of this same file stored under another name by earlier versions of ingest.
    older: tuple[DocRecord, ...] = ()


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
    """Bring the store in step with the files under `paths` (relative or absolute).

    Unchanged files are recognised by hash before anything is parsed or embedded, and so is a
    file whose content another document holds; changed ones are loaded (in `workers` processes
    when asked), embedded together in batches that span small documents, and written one whole
    document at a time. Files under settings.corpus_dir are stored as shipped, others as operator.
    A dry run loads and checks every changed file as a real run does, so a file the real run
    would refuse is reported failed, but embeds and writes nothing.
    """
    report = IngestReport(dry_run=dry_run)
    if not dry_run:
        report.recovered = store.recover()
    corpus = settings.corpus_dir.expanduser().resolve()  # settings copied with model_copy skip it
    walked = walk(paths, corpus)
    report.failed += walked.missing
    report.notes += walked.notes
    manifest = store.manifest()
    run = _Run(store, report, manifest, dry_run)

    hashes: dict[str, str] = {}
    for file in walked.files:
        try:
            hashes[str(file.path)] = content_hash(file.path.read_bytes(), settings)
        except OSError as exc:
            report.failed.append(f"{file.source}: cannot read the file ({exc.strerror or exc})")
    by_origin: dict[str, list[DocRecord]] = {}
    by_hash: dict[str, list[DocRecord]] = {}
    for doc in manifest.values():
        by_origin.setdefault(doc.origin, []).append(doc)
        by_hash.setdefault(doc.doc_hash, []).append(doc)

    def stored_twin(doc_hash: str, file: SourceFile) -> str | None:
        """Another stored document with exactly this content, if it still holds it."""
        for doc in by_hash.get(doc_hash, []):
            if doc.origin == str(file.path) or doc.source == file.source:
                continue
            if doc.origin in hashes:  # read in this run: the content it has now decides
                if hashes[doc.origin] == doc_hash:
                    return doc.source
            elif not os.path.isabs(doc.origin) or os.path.exists(doc.origin):
                return doc.source  # an upload, or a file this run does not cover
        return None

    jobs: list[_Job] = []
    held: dict[str, str] = {}  # content hash -> the source that holds it in this run
    for file in walked.files:
        doc_hash = hashes.get(str(file.path))
        doc_id = doc_id_for(file.source)
        known = manifest.get(doc_id)
        older = tuple(d for d in by_origin.get(str(file.path), []) if d.doc_id != doc_id)
        if doc_hash is None:
            pass  # unreadable: already reported
        elif known is not None and known.doc_hash == doc_hash:
            held[doc_hash] = file.source
            report.unchanged.append(file.source)
            run.drop_older(older, file.source)
        elif twin := held.get(doc_hash) or stored_twin(doc_hash, file):
            run.duplicate(file.source, known, f"same content as {twin}; stored once, as {twin}")
            run.drop_older(older, file.source)
        else:
            held[doc_hash] = file.source
            shipped = file.path.is_relative_to(corpus)
            provenance = "shipped" if shipped else "operator"
            jobs.append(_Job(file, doc_hash, known, provenance, older))
            continue
        if progress:
            progress(file.source)

    batch = _Batch(run, embedder, flush_at=settings.embed_batch_size * BATCHES_PER_FLUSH)
    for job, loaded in _load_all(jobs, settings, embedder, password, workers):
        if progress:
            progress(job.file.source)
        if isinstance(loaded, str):
            report.failed.append(loaded)
            continue
        document, notes = loaded
        report.notes += notes
        if dry_run:  # loaded and checked as a real run would, but neither embedded nor written
            (report.updated if job.known else report.added).append(job.file.source)
            run.drop_older(job.older, job.file.source)
            continue
        if not any(c.record_id for c in document.chunks):
            batch.add(document, job)
            continue
        batch.flush()  # records already stored are looked up in the store: write first
        kept, why = _without_held_records(document, store, {d.doc_id for d in job.older})
        if kept.chunks:
            report.notes += [f"{document.source}: {why}"] if why else []
            batch.add(kept, job)
        else:
            run.duplicate(job.file.source, job.known, why or "no records left to store")
            run.drop_older(job.older, job.file.source)
    batch.flush()

    if prune:
        seen = {doc_id_for(f.source) for f in walked.files}
        roots = [str(r) for p in paths if (r := Path(p).expanduser().resolve()).is_dir()]
        skipped = {str(f.path) for f in walked.skipped}
        for doc in manifest.values():
            if doc.doc_id in seen or not doc.origin or not _under(doc.origin, roots):
                continue
            if doc.origin in skipped:
                run.remove(doc, f"{doc.source}: removed, it is a documentation file, not evidence")
            elif not os.path.exists(doc.origin):
                run.remove(doc)
    return report


def _under(origin: str, roots: list[str]) -> bool:
    return any(origin == r or origin.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


class _Run:
    """Changes to the store that are not writes, each reported once."""

    def __init__(
        self, store: Store, report: IngestReport, manifest: dict[str, DocRecord], dry_run: bool
    ) -> None:
        self.store = store
        self.report = report
        self.manifest = manifest
        self.dry_run = dry_run
        self.gone: set[str] = set()

    def remove(self, doc: DocRecord, note: str | None = None) -> None:
        if doc.doc_id in self.gone:
            return
        self.gone.add(doc.doc_id)
        if not self.dry_run:
            self.store.delete(doc.doc_id)
        self.report.removed.append(doc.source)
        if note:
            self.report.notes.append(note)

    def drop_older(self, older: Sequence[DocRecord], source: str) -> None:
        """Earlier versions of ingest named files by how their path was spelt: one file could
        be stored under several names. Those entries go once the file is stored by its name."""
        for doc in older:
            self.remove(doc, f"{doc.source}: removed, the same file is stored as {source}")

    def duplicate(self, source: str, known: DocRecord | None, why: str) -> None:
        self.report.duplicates.append(source)
        self.report.notes.append(f"{source}: {why}")
        if known is not None:  # its earlier content is no longer in the file
            self.remove(known)


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
            data,
            job.file.source,
            settings,
            count,
            password=password,
            doc_hash=job.doc_hash,
            provenance=job.provenance,
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


def write_document(
    doc: Document,
    store: Store,
    embedder: Embedder,
    origin: str = "",
    *,
    provenance: str = "operator",
    added_by: str = "",
) -> list[str]:
    """Embed and write one document whole (an upload, say); returns notes for its sender.

    Project records another document already holds are left out, as in a run; a document with
    nothing left is refused. `provenance` is one of assistant.types.PROVENANCES.
    """
    if provenance not in PROVENANCES:
        raise BadInput(f"provenance {provenance!r} is not one of {', '.join(PROVENANCES)}")
    doc = replace(doc, chunks=[replace(c, provenance=provenance) for c in doc.chunks])
    kept, why = _without_held_records(doc, store)
    if not kept.chunks:
        raise DocumentRefused(doc.source, why or "no chunks to store")
    known = store.manifest().get(doc.doc_id)
    vectors = embedder.embed_array(embed_inputs(kept))
    store.write(
        kept,
        vectors,
        origin=origin,
        added_by=added_by,
        added_at=known.added_at if known else None,
    )
    return [f"{doc.source}: {why}"] if why else []


# Loaded documents wait until their chunks fill this many embedding batches, then are embedded in
# one call: a thousand two-chunk files would otherwise make a thousand half-empty batches, which
# leaves a GPU idle. Each document is still written (and committed) whole, on its own.
BATCHES_PER_FLUSH = 8


class _Batch:
    """Documents loaded but not yet embedded and written."""

    def __init__(self, run: _Run, embedder: Embedder, flush_at: int) -> None:
        self.run = run
        self.embedder = embedder
        self.flush_at = flush_at
        self.waiting: list[tuple[Document, _Job, list[str]]] = []
        self.texts = 0

    def add(self, doc: Document, job: _Job) -> None:
        texts = embed_inputs(doc)
        self.waiting.append((doc, job, texts))
        self.texts += len(texts)
        if self.texts >= self.flush_at:
            self.flush()

    def flush(self) -> None:
        if not self.waiting:
            return
        vectors = self.embedder.embed_array([t for _, _, texts in self.waiting for t in texts])
        report, start = self.run.report, 0
        for doc, job, texts in self.waiting:
            end = start + len(texts)
            known = job.known or (job.older[0] if job.older else None)
            self.run.store.write(
                doc,
                vectors[start:end],
                origin=str(job.file.path),
                added_at=known.added_at if known else None,
            )
            start = end
            report.chunks_written += len(doc.chunks)
            (report.updated if job.known else report.added).append(job.file.source)
            self.run.drop_older(job.older, job.file.source)
        self.waiting, self.texts = [], 0


def _without_held_records(
    doc: Document, store: Store, same_file: set[str] | frozenset[str] = frozenset()
) -> tuple[Document, str | None]:
    """A project record already stored from another file is not stored twice: the document
    without those records, and why (None when there were none)."""
    ids = [c.record_id for c in doc.chunks if c.record_id]
    held = {
        r: d for r, d in store.held_records(ids).items() if d != doc.doc_id and d not in same_file
    }
    if not held:
        return doc, None
    sources = {d.doc_id: d.source for d in store.manifest().values()}
    others = ", ".join(sorted({sources.get(d, d) for d in held.values()}))
    if len(held) == len(ids):
        why = f"every record ({len(ids)}) is already stored from {others}; not stored again"
        return replace(doc, chunks=[], records=0), why
    shown = ", ".join(sorted(held)[:5]) + (", ..." if len(held) > 5 else "")
    why = f"{len(held)} record(s) already stored from {others} ({shown}); each is kept once"
    keep = [
        replace(c, position=i, chunk_id=chunk_id_for(doc.doc_id, doc.doc_hash, i))
        for i, c in enumerate(c for c in doc.chunks if c.record_id not in held)
    ]
    return replace(doc, chunks=keep, records=len(keep)), why
