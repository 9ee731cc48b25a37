"""What is in the store, and changing it: list, review, upload (as a job), poll a job, delete;
facets.

An operator reviews uploads here: GET /v1/documents?provenance=upload lists them with who added
them and when, GET /v1/documents/{doc_id} shows one's passages, DELETE removes it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile, status
from starlette.concurrency import run_in_threadpool

from api.deps import (
    AssistantDep,
    RecordsDep,
    SettingsDep,
    StoreDep,
    UploaderDep,
    UploadsDep,
    WriteKey,
)
from api.errors import responses
from api.schemas import (
    DocumentDetail,
    DocumentList,
    DocumentOut,
    FacetsOut,
    JobOut,
    PassageOut,
    Provenance,
    YearRange,
    provenance_of,
)
from assistant.errors import NotFound, PayloadTooLarge

router = APIRouter(tags=["documents"])
DocId = Annotated[str, Path(min_length=1, max_length=200)]
JobId = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/v1/documents", response_model=DocumentList, responses=responses(422, 503))
def documents(
    store: StoreDep,
    provenance: Annotated[
        Provenance | None, Query(description="Only documents of this provenance, e.g. upload")
    ] = None,
) -> DocumentList:
    """Every committed document: title, type, pages or records, chunks, when ingested, and where
    it came from (for uploads, who added it and when)."""
    docs = sorted(store.manifest().values(), key=lambda d: d.source)
    if provenance is not None:
        docs = [d for d in docs if provenance_of(d) == provenance]
    out = [DocumentOut.listed(d) for d in docs]
    return DocumentList(documents=out, total=len(out))


@router.get(
    "/v1/documents/{doc_id}", response_model=DocumentDetail, responses=responses(404, 422, 503)
)
def document(
    doc_id: DocId,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> DocumentDetail:
    """One document and its passages in order (a page of them), to review what was stored."""
    doc = store.manifest().get(doc_id)
    if doc is None:
        raise NotFound(f"no document {doc_id!r}; GET /v1/documents lists them")
    chunks = store.document_chunks(doc_id)
    return DocumentDetail(
        document=DocumentOut.listed(doc),
        passages=[PassageOut.of(c) for c in chunks[offset : offset + limit]],
        total=len(chunks),
    )


@router.post(
    "/v1/documents",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobOut,
    dependencies=[WriteKey],
    responses=responses(400, 401, 403, 408, 413, 415, 422, 503),
)
async def upload(
    file: Annotated[UploadFile, File(description="A PDF, JSONL, CSV, text or Markdown file")],
    uploads: UploadsDep,
    settings: SettingsDep,
    uploader: UploaderDep,
    password: Annotated[
        str | None, Form(max_length=200, description="For an encrypted PDF")
    ] = None,
) -> JobOut:
    """Upload a file to ingest. It is checked and read now (a refusal is a 4xx naming the
    reason); embedding and writing run as a job: poll GET /v1/jobs/{job_id}."""
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise PayloadTooLarge(
            f"{file.filename or 'the file'} is too large; the limit is "
            f"{settings.max_upload_bytes:,} bytes (BLUELIGHT_MAX_UPLOAD_BYTES)"
        )
    doc = await run_in_threadpool(uploads.prepare, data, file.filename, password)
    job = await run_in_threadpool(uploads.submit, doc, uploader)
    return JobOut.model_validate(job)


@router.get("/v1/jobs/{job_id}", response_model=JobOut, responses=responses(404, 422))
def job(job_id: JobId, records: RecordsDep) -> JobOut:
    """An upload job: queued, running, done (with what was stored) or failed (with why)."""
    found = records.get_job(job_id)
    if found is None:
        raise NotFound(f"no job {job_id!r}; jobs are created by POST /v1/documents")
    return JobOut.model_validate(found)


@router.delete(
    "/v1/documents/{doc_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[WriteKey],
    responses=responses(401, 403, 404, 422, 503),
)
def delete(doc_id: DocId, store: StoreDep, assistant: AssistantDep) -> Response:
    """Remove a document and all its passages from the store."""
    # Only committed documents: the store's own rows (its version token, pending markers) share
    # the manifest's id space and must never be deleted from outside.
    if doc_id not in store.manifest() or not store.delete(doc_id):
        raise NotFound(f"no document {doc_id!r}; GET /v1/documents lists them")
    assistant.retriever.refresh(force=True)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/v1/facets", response_model=FacetsOut, responses=responses(503))
def facets(assistant: AssistantDep) -> FacetsOut:
    """The filter values present in the store, for filter chips and the `filters` field."""
    values = assistant.retriever.facet_values()
    years = values.pop("years")
    return FacetsOut(
        **values, years=YearRange(min=min(years, default=None), max=max(years, default=None))
    )
