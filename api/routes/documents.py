"""What is in the store, and changing it: list, upload (as a job), poll a job, delete; facets."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Response, UploadFile, status
from starlette.concurrency import run_in_threadpool

from api.deps import AssistantDep, RecordsDep, SettingsDep, StoreDep, UploadsDep, WriteKey
from api.errors import responses
from api.schemas import DocumentList, DocumentOut, Facets, JobOut, YearRange
from assistant.errors import NotFound, PayloadTooLarge

router = APIRouter(tags=["documents"])
DocId = Annotated[str, Path(min_length=1, max_length=200)]
JobId = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/v1/documents", response_model=DocumentList, responses=responses(503))
def documents(store: StoreDep) -> DocumentList:
    """Every committed document: title, type, pages or records, chunks, when ingested."""
    docs = sorted(store.manifest().values(), key=lambda d: d.source)
    out = [
        DocumentOut.of(d, chunks=d.chunks, ingested_at=datetime.fromtimestamp(d.ingested_at, UTC))
        for d in docs
    ]
    return DocumentList(documents=out, total=len(out))


@router.post(
    "/v1/documents",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobOut,
    dependencies=[WriteKey],
    responses=responses(400, 401, 403, 413, 415, 422, 503),
)
async def upload(
    file: Annotated[UploadFile, File(description="A PDF, JSONL, CSV, text or Markdown file")],
    uploads: UploadsDep,
    settings: SettingsDep,
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
    job = await run_in_threadpool(uploads.submit, doc)
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
    if not store.delete(doc_id):
        raise NotFound(f"no document {doc_id!r}; GET /v1/documents lists them")
    assistant.retriever.refresh(force=True)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/v1/facets", response_model=Facets, responses=responses(503))
def facets(assistant: AssistantDep) -> Facets:
    """The filter values present in the store, for filter chips and the `filters` field."""
    retriever = assistant.retriever
    vocab = retriever.vocabulary
    years = [c.year for c in retriever.index.chunks if c.year is not None]
    return Facets(
        themes=sorted(vocab.themes),
        regions=sorted(vocab.regions),
        services=sorted(vocab.services),
        doc_types=sorted(vocab.doc_types),
        years=YearRange(min=min(years, default=None), max=max(years, default=None)),
    )
