"""Plain values that travel between stages: Chunk (ingest -> store), Passage, Citation, Answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field

SERVICES = ("police", "fire", "ambulance", "local_authority", "health", "coastguard", "other")
# Where a document came from: the shipped corpus, an operator's ingest run, or an API upload.
PROVENANCES = ("shipped", "operator", "upload")
# The judgement of an answer: the last three decline.
Status = Literal["answered", "partial", "not_covered", "out_of_remit", "refused"]
DECLINING: frozenset[str] = frozenset({"not_covered", "out_of_remit", "refused"})


@dataclass(frozen=True)
class Chunk:
    """One piece of a document, small enough for the embedding model, with where it came from."""

    chunk_id: str
    doc_id: str
    doc_hash: str
    position: int
    text: str
    source: str
    title: str
    doc_type: str
    page: int | None = None
    section: str | None = None
    record_id: str | None = None
    theme: str | None = None
    region: str | None = None
    services: tuple[str, ...] = ()
    status: str | None = None
    year: int | None = None
    savings: float | None = None  # a project record's savings, in pounds
    provenance: str = "operator"

    def metadata(self) -> dict[str, Any]:
        """Flat metadata for the store: Chroma takes scalars only, so services become flags."""
        meta: dict[str, Any] = {
            "doc_id": self.doc_id,
            "doc_hash": self.doc_hash,
            "position": self.position,
            "source": self.source,
            "title": self.title,
            "doc_type": self.doc_type,
            "provenance": self.provenance,
        }
        optional = {
            "page": self.page,
            "section": self.section,
            "record_id": self.record_id,
            "theme": self.theme,
            "region": self.region,
            "status": self.status,
            "year": self.year,
            "savings": self.savings,
        }
        meta.update({k: v for k, v in optional.items() if v is not None})
        if self.services:
            meta["services"] = ",".join(self.services)
            for svc in self.services:
                meta[f"svc_{svc}"] = True
        return meta

    @classmethod
    def from_store(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
        services = tuple(s for s in str(meta.get("services") or "").split(",") if s)
        return cls(
            chunk_id=chunk_id,
            doc_id=meta["doc_id"],
            doc_hash=meta["doc_hash"],
            position=int(meta.get("position", 0)),
            text=text,
            source=meta["source"],
            title=meta.get("title", ""),
            doc_type=meta.get("doc_type", ""),
            page=meta.get("page"),
            section=meta.get("section"),
            record_id=meta.get("record_id"),
            theme=meta.get("theme"),
            region=meta.get("region"),
            services=services,
            status=meta.get("status"),
            year=meta.get("year"),
            savings=meta.get("savings"),
            provenance=meta.get("provenance", "operator"),
        )


@dataclass(frozen=True)
class Document:
    """A whole document as loaded from a file, before it is written to the store."""

    doc_id: str
    doc_hash: str
    source: str
    title: str
    doc_type: str
    chunks: list[Chunk]
    pages: int | None = None
    records: int | None = None
    warnings: list[str] = field(default_factory=list)


class Filters(BaseModel):
    """Metadata filters, given explicitly or implied by the question."""

    theme: list[str] = Field(default_factory=list)
    region: list[str] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list)
    doc_type: list[str] = Field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None

    def is_empty(self) -> bool:
        return not (
            self.theme
            or self.region
            or self.services
            or self.doc_type
            or self.year_from is not None
            or self.year_to is not None
        )

    def merged(self, other: Filters) -> Filters:
        """Explicit filters win; implied ones fill the gaps."""
        return Filters(
            theme=self.theme or other.theme,
            region=self.region or other.region,
            services=self.services or other.services,
            doc_type=self.doc_type or other.doc_type,
            year_from=self.year_from if self.year_from is not None else other.year_from,
            year_to=self.year_to if self.year_to is not None else other.year_to,
        )

    def matches(self, chunk: Chunk) -> bool:
        if self.theme and chunk.theme not in self.theme:
            return False
        if self.region and chunk.region not in self.region:
            return False
        if self.services and not all(s in chunk.services for s in self.services):
            return False
        if self.doc_type and chunk.doc_type not in self.doc_type:
            return False
        if self.year_from is not None and (chunk.year is None or chunk.year < self.year_from):
            return False
        return self.year_to is None or (chunk.year is not None and chunk.year <= self.year_to)


class Passage(BaseModel):
    """A retrieved passage, in rank order, with the fused score."""

    chunk_id: str
    source: str
    title: str
    page: int | None = None
    record_id: str | None = None
    section: str | None = None
    doc_type: str = ""
    provenance: str = "operator"
    text: str
    score: float

    @classmethod
    def of(cls, chunk: Chunk, score: float) -> Passage:
        return cls(
            chunk_id=chunk.chunk_id,
            source=chunk.source,
            title=chunk.title,
            page=chunk.page,
            record_id=chunk.record_id,
            section=chunk.section,
            doc_type=chunk.doc_type,
            provenance=chunk.provenance,
            text=chunk.text,
            score=round(score, 6),
        )


class Citation(BaseModel):
    """A marker in the answer and the exact words of the passage it stands on."""

    marker: int
    chunk_id: str
    source: str
    title: str
    page: int | None = None
    record_id: str | None = None
    provenance: str = "operator"
    quote: str

    @classmethod
    def of(cls, marker: int, chunk: Chunk, quote: str) -> Citation:
        """The one way a citation is made: the chunk it stands on and the words it quotes."""
        return cls(
            marker=marker,
            chunk_id=chunk.chunk_id,
            source=chunk.source,
            title=chunk.title,
            page=chunk.page,
            record_id=chunk.record_id,
            provenance=chunk.provenance,
            quote=quote,
        )


class Answer(BaseModel):
    """The one answer value: the same in Python, the CLI and HTTP."""

    answer: str
    # answered | partial | not_covered | out_of_remit | refused; `declined` is true for the last
    # three and stays for clients written before `status` existed.
    status: Status = "answered"
    declined: bool = False
    # What the question asked that the cited evidence does not give, in plain words.
    missing: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    passages: list[Passage] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    id: str = ""
    composer: str = "extractive"
    notice: str | None = None
    filters: Filters = Field(default_factory=Filters)
    suggestions: list[str] = Field(default_factory=list)


class Message(BaseModel):
    """One earlier turn of a conversation."""

    role: Literal["user", "assistant"]
    content: str


class Ask(BaseModel):
    """A request for an answer: the same value from Python, the CLI and HTTP."""

    question: str
    history: list[Message] = Field(default_factory=list)
    filters: Filters | None = None
    top_k: int | None = Field(default=None, ge=1, le=50)
    composer: str | None = None

    def turns(self) -> list[Any]:
        from assistant.compose.base import Turn

        return [Turn(m.role, m.content) for m in self.history]
