"""Turn one file's bytes into a Document of chunks: the loader is chosen by content, then name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from assistant.errors import DamagedFile, DocumentRefused, NoTextLayer, UnsupportedMedia
from assistant.retrieval.store import embed_texts
from assistant.settings import Settings
from assistant.types import Chunk, Document
from ingest.pdf import load_pdf
from ingest.records import load_records
from ingest.split import Block, TokenCounter, chunk_id_for, doc_id_for, embed_text, split
from ingest.text import load_text

# Bump when loading or chunking changes, so every document is re-read on the next run.
PIPELINE_VERSION = "9"

SUFFIXES = {
    ".pdf": "pdf",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
}


def kind_of(data: bytes, name: str) -> str:
    """The loader for these bytes: content decides where it can, the name otherwise."""
    suffix = PurePosixPath(name).suffix.lower()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if suffix == ".pdf":
        raise DamagedFile(name, "not a PDF (no %PDF header); check the file type")
    if suffix not in SUFFIXES:
        raise UnsupportedMedia(
            f"{name}: unsupported file type {suffix or '(none)'}; "
            f"use one of {', '.join(sorted(SUFFIXES))}"
        )
    if b"\x00" in data[:4096]:
        raise DamagedFile(name, "binary content where text was expected; check the file type")
    return SUFFIXES[suffix]


def content_hash(data: bytes, settings: Settings) -> str:
    """Hash of the bytes and of everything that shapes the chunks made from them."""
    h = hashlib.sha256(data)
    h.update(
        f"|{PIPELINE_VERSION}|{settings.chunk_tokens}|{settings.chunk_overlap_tokens}".encode()
    )
    return h.hexdigest()


def load(
    data: bytes,
    source: str,
    settings: Settings,
    count: TokenCounter,
    *,
    password: str | None = None,
    doc_hash: str | None = None,
    provenance: str = "operator",
) -> tuple[Document, list[str]]:
    """Load and chunk a file; returns the document and per-record refusals or page warnings.

    A file that yields no evidence, or more than settings allow, is refused with its reason.
    """
    kind = kind_of(data, source)
    doc_id = doc_id_for(source)
    doc_hash = doc_hash or content_hash(data, settings)
    made = _Made(source, doc_id, doc_hash, provenance)
    if kind in ("jsonl", "csv"):
        doc, notes = _records_document(data, kind, made)
    else:
        doc, notes = _text_document(data, kind, made, settings, count, password)
    if len(doc.chunks) > settings.max_chunks_per_document:
        raise DocumentRefused(
            source,
            f"{len(doc.chunks):,} chunks, more than the {settings.max_chunks_per_document:,} one "
            "document may have (BLUELIGHT_MAX_CHUNKS_PER_DOCUMENT); split the file or raise the "
            "limit",
        )
    return doc, notes


@dataclass(frozen=True)
class _Made:
    """What every chunk of one document shares."""

    source: str
    doc_id: str
    doc_hash: str
    provenance: str

    def chunk(self, position: int, text: str, title: str, doc_type: str, **where: Any) -> Chunk:
        """The one way a chunk of this document is made; `where` holds its page or record."""
        return Chunk(
            chunk_id=chunk_id_for(self.doc_id, self.doc_hash, position),
            doc_id=self.doc_id,
            doc_hash=self.doc_hash,
            position=position,
            text=text,
            source=self.source,
            title=title,
            doc_type=doc_type,
            provenance=self.provenance,
            **where,
        )


def _text_document(
    data: bytes,
    kind: str,
    made: _Made,
    settings: Settings,
    count: TokenCounter,
    password: str | None,
) -> tuple[Document, list[str]]:
    source = made.source
    if kind == "pdf":
        pdf = load_pdf(data, source, password, max_pages=settings.max_pages)
        title, blocks, pages, notes, doc_type = (
            pdf.title,
            pdf.blocks,
            pdf.pages,
            pdf.warnings,
            "report",
        )
    else:
        loaded = load_text(data, source, markdown=kind == "markdown")
        title, blocks, pages, notes, doc_type = loaded.title, loaded.blocks, None, [], "text"
    chunks = _chunks(blocks, title, doc_type, made, settings, count)
    if not chunks and kind == "pdf":
        raise NoTextLayer(
            source, "no usable text layer (scanned or image-only); OCR would be needed"
        )
    if not chunks:
        raise DamagedFile(source, "no text to index (headings at most)")
    doc = Document(made.doc_id, made.doc_hash, source, title, doc_type, chunks, pages=pages)
    return doc, notes


def _chunks(
    blocks: list[Block],
    title: str,
    doc_type: str,
    made: _Made,
    settings: Settings,
    count: TokenCounter,
) -> list[Chunk]:
    pieces = split(blocks, count, settings.chunk_tokens, settings.chunk_overlap_tokens, title)
    return [
        made.chunk(i, p.text, title, doc_type, page=p.page, section=p.section)
        for i, p in enumerate(pieces)
    ]


def _records_document(data: bytes, fmt: str, made: _Made) -> tuple[Document, list[str]]:
    loaded = load_records(data, made.source, fmt)
    chunks = [
        made.chunk(
            i,
            r.text,
            r.title,
            "project",
            record_id=r.record_id,
            theme=r.theme,
            region=r.region,
            services=r.services,
            status=r.status,
            year=r.start_year,
            savings=r.savings,
        )
        for i, r in enumerate(loaded.records)
    ]
    title = f"Project records ({PurePosixPath(made.source).name})"
    doc = Document(
        made.doc_id, made.doc_hash, made.source, title, "project", chunks, records=len(chunks)
    )
    return doc, loaded.refused


def embed_inputs(doc: Document) -> list[str]:
    """The texts the model embeds for a document: each chunk with its context, then each quotable
    sentence (the store writes the vectors back in this order)."""
    return embed_texts(doc, [embed_text(c.title, c.section, c.text) for c in doc.chunks])
