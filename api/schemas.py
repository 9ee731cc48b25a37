"""Request and response bodies of the HTTP API; the Answer itself comes from assistant.types.

Request models carry the limits the API promises (question length, top_k, filter values), so a
bad request is refused with a 422 naming the field before any work is done.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    create_model,
    model_validator,
)

from assistant.question.understand import MAX_QUESTION_CHARS
from assistant.retrieval.store import DocRecord
from assistant.types import (
    SENT_BEFORE_DONE,
    Answer,
    Ask,
    Chunk,
    Document,
    Filters,
    Turn,
    fields_of,
)

# A filter value: a short single-line word or phrase, as the store's metadata holds them.
FilterValue = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")
]
FilterValues = Annotated[list[FilterValue], Field(max_length=20)]
Year = Annotated[int, Field(ge=1900, le=2100)]
# Earlier turns travel with each request (the API keeps no conversation state).
MAX_TURNS = 50
TopK = Annotated[int, Field(ge=1, le=50)]


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable error code, e.g. bad_input")
    message: str = Field(description="What went wrong and how to fix it, for people")
    request_id: str = Field(description="Quote this when reporting a problem")
    details: list[dict[str, Any]] | None = Field(
        default=None, description="Per-field problems, for validation errors"
    )


class ErrorBody(BaseModel):
    """The one error shape every endpoint returns."""

    error: ErrorDetail


class FiltersIn(BaseModel):
    """Metadata filters; values are matched exactly against those the store holds."""

    model_config = ConfigDict(extra="forbid")

    theme: FilterValues = Field(default_factory=list)
    region: FilterValues = Field(default_factory=list)
    services: FilterValues = Field(default_factory=list)
    doc_type: FilterValues = Field(default_factory=list)
    year_from: Year | None = None
    year_to: Year | None = None

    @model_validator(mode="after")
    def _years_in_order(self) -> FiltersIn:
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            raise ValueError(f"year_from {self.year_from} is after year_to {self.year_to}")
        return self

    def to_filters(self) -> Filters:
        return Filters(**self.model_dump())


class AnswerRequest(BaseModel):
    """A question, with the conversation so far and optional filters."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "question": "What did the Kent control room merger achieve?",
                    "filters": {"doc_type": ["report"]},
                    "top_k": 8,
                }
            ]
        },
    )

    question: Annotated[str, Field(min_length=1, max_length=MAX_QUESTION_CHARS)]
    history: Annotated[list[Turn], Field(max_length=MAX_TURNS)] = Field(default_factory=list)
    filters: FiltersIn | None = None
    top_k: TopK | None = None
    composer: Literal["extractive", "llm"] | None = None

    def ask(self) -> Ask:
        """The request as the pipeline takes it."""
        return Ask(
            question=self.question,
            history=self.history,
            filters=self.filters.to_filters() if self.filters else None,
            top_k=self.top_k,
            composer=self.composer,
        )


# -- documents and sources ---------------------------------------------------------------


class DocumentRef(BaseModel):
    doc_id: str
    title: str
    source: str
    doc_type: str
    pages: int | None = None
    records: int | None = None

    @classmethod
    def of(cls, doc: DocRecord, **extra: Any) -> Self:
        """The response form of a manifest entry (subclasses add their own fields)."""
        return cls(**{**fields_of(cls, doc), **extra})


Provenance = Literal["shipped", "operator", "upload"]  # assistant.types.PROVENANCES


class DocumentOut(DocumentRef):
    chunks: int
    ingested_at: datetime = Field(description="When this version was stored")
    provenance: Provenance = Field(
        description="shipped with bluelight, ingested by an operator, or uploaded through the API"
    )
    added_by: str | None = Field(
        default=None, description="For uploads: a hash of the API key used, never the key"
    )
    added_at: datetime | None = Field(default=None, description="When first stored")

    @classmethod
    def listed(cls, doc: DocRecord) -> DocumentOut:
        return cls.of(
            doc,
            chunks=doc.chunks,
            ingested_at=_utc(doc.ingested_at),
            provenance=provenance_of(doc),
            added_by=doc.added_by or None,
            added_at=_utc(doc.added_at or doc.ingested_at),
        )


def provenance_of(doc: DocRecord) -> str:
    if doc.origin == "upload":  # also true of uploads stored before provenance was kept
        return "upload"
    return doc.provenance or "operator"


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


class DocumentList(BaseModel):
    documents: list[DocumentOut]
    total: int


class PassageOut(BaseModel):
    chunk_id: str
    text: str
    position: int
    page: int | None = None
    record_id: str | None = None
    section: str | None = None

    @classmethod
    def of(cls, chunk: Chunk) -> PassageOut:
        return cls(**fields_of(cls, chunk))


class DocumentDetail(BaseModel):
    """A document and its passages in order, for an operator reviewing it."""

    document: DocumentOut
    passages: list[PassageOut]
    total: int = Field(description="How many passages the document has")


class SourceOut(BaseModel):
    """A cited passage in context, for a reader who clicks a citation."""

    passage: PassageOut
    document: DocumentRef
    neighbours: list[PassageOut]


class PageOut(BaseModel):
    document: DocumentRef
    page: int
    text: str
    chunk_ids: list[str]


class YearRange(BaseModel):
    min: int | None = None
    max: int | None = None


class FacetsOut(BaseModel):
    """The filter values present in the store, for filter chips."""

    themes: list[str]
    regions: list[str]
    services: list[str]
    doc_types: list[str]
    years: YearRange


# -- uploads and jobs --------------------------------------------------------------------

JobStatus = Literal["queued", "running", "done", "failed"]


class IngestResult(BaseModel):
    doc_id: str
    source: str
    title: str
    doc_type: str
    chunks: int
    pages: int | None = None
    records: int | None = None
    replaced: bool = Field(description="A document with this name was already stored")
    notes: list[str] = Field(default_factory=list)

    @classmethod
    def of(
        cls, doc: Document | DocRecord, chunks: int, replaced: bool, notes: list[str]
    ) -> IngestResult:
        return cls(
            **{**fields_of(cls, doc), "chunks": chunks, "replaced": replaced, "notes": notes}
        )


class JobError(BaseModel):
    """Why a job failed. A job outlives the request that started it, so no request id."""

    code: str = Field(description="Stable machine-readable error code, e.g. damaged_file")
    message: str = Field(description="What went wrong and what to do, for people")


class JobOut(BaseModel):
    job_id: str
    status: JobStatus
    source: str
    created_at: datetime
    updated_at: datetime
    result: IngestResult | None = None
    error: JobError | None = None


# -- feedback ----------------------------------------------------------------------------


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    rating: Literal["up", "down"]
    comment: Annotated[str, Field(max_length=2000)] | None = None
    question: Annotated[str, Field(max_length=MAX_QUESTION_CHARS)] | None = None


class FeedbackOut(BaseModel):
    id: int
    answer_id: str
    rating: Literal["up", "down"]
    comment: str | None = None
    question: str | None = None
    created_at: datetime


class FeedbackList(BaseModel):
    feedback: list[FeedbackOut]
    total: int


# -- health ------------------------------------------------------------------------------


class Health(BaseModel):
    status: Literal["ok"]


class Ready(BaseModel):
    status: Literal["ready"]
    # Left out when reads need the key and none was sent: what the store holds is a read.
    chunks: int | None = None
    documents: int | None = None


# -- SSE payloads (documented for clients; the stream itself is text/event-stream) -------

# The final `done` event of /v1/answer/stream: the Answer without what earlier events carried.
StreamDone = create_model(
    "StreamDone",
    __doc__="The final `done` event: the Answer without its text, passages and citations.",
    **{
        name: (field.annotation, field)
        for name, field in Answer.model_fields.items()
        if name not in SENT_BEFORE_DONE
    },  # type: ignore[call-overload]
)
