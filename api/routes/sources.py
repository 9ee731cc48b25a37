"""What a reader opens from a citation: the passage in context, and a whole page of a report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import StoreDep
from api.errors import responses
from api.schemas import DocumentRef, PageOut, PassageOut, SourceOut
from assistant.errors import NotFound
from assistant.retrieval.store import DocRecord, Store
from assistant.types import Chunk

router = APIRouter(tags=["sources"])
ChunkId = Annotated[str, Path(min_length=1, max_length=200)]
DocId = Annotated[str, Path(min_length=1, max_length=200)]
PageNumber = Annotated[int, Path(ge=1, le=100_000)]
# An overlap shorter than this between two chunks is taken for coincidence, not carried text.
_MIN_OVERLAP = 12


@router.get("/v1/sources/{chunk_id}", response_model=SourceOut, responses=responses(404, 422, 503))
def source(chunk_id: ChunkId, store: StoreDep) -> SourceOut:
    """A passage, its document, its page or record, and the passages either side of it."""
    found = store.get([chunk_id])
    doc = _committed(store, found[0]) if found else None
    if doc is None:
        raise NotFound(f"no passage {chunk_id!r}; it may belong to a document since replaced")
    chunk = found[0]
    return SourceOut(
        passage=PassageOut.of(chunk),
        document=DocumentRef.of(doc),
        neighbours=[PassageOut.of(c) for c in store.neighbours(chunk)],
    )


@router.get(
    "/v1/documents/{doc_id}/pages/{page}",
    response_model=PageOut,
    responses=responses(404, 422, 503),
)
def page(doc_id: DocId, page: PageNumber, store: StoreDep) -> PageOut:
    """The text of one page of a report, its chunks joined in order."""
    doc = store.manifest().get(doc_id)
    if doc is None:
        raise NotFound(f"no document {doc_id!r}; GET /v1/documents lists them")
    if not doc.pages:
        raise NotFound(f"document {doc_id!r} has no pages (it holds {doc.doc_type} records)")
    if page > doc.pages:
        raise NotFound(f"document {doc_id!r} has {doc.pages} page(s); there is no page {page}")
    chunks = [c for c in store.document_chunks(doc_id) if c.page == page]
    return PageOut(
        document=DocumentRef.of(doc),
        page=page,
        text=join_chunks([c.text for c in chunks]),
        chunk_ids=[c.chunk_id for c in chunks],
    )


def join_chunks(texts: list[str]) -> str:
    """Chunks in order as one text, without the sentences that overlapping chunks repeat."""
    out = ""
    for text in texts:
        k = _overlap(out, text)
        if not out:
            out = text
        elif k:
            out += text[k:]
        else:
            out += "\n\n" + text
    return out


def _overlap(before: str, after: str) -> int:
    """Length of the longest start of `after` that `before` ends with, at a word boundary."""
    for k in range(min(len(before), len(after)), _MIN_OVERLAP - 1, -1):
        if (k == len(after) or after[k] in " \n") and before.endswith(after[:k]):
            return k
    return 0


def _committed(store: Store, chunk: Chunk) -> DocRecord | None:
    doc = store.manifest().get(chunk.doc_id)
    return doc if doc is not None and doc.doc_hash == chunk.doc_hash else None
