"""Plain values that travel between stages: Chunk (ingest -> store), Passage, Citation, Answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

# Where a document came from: the shipped corpus, an operator's ingest run, or an API upload.
PROVENANCES = ("shipped", "operator", "upload")
# The judgement of an answer; the declining statuses are the ones that give no answer.
Declining = Literal["not_covered", "out_of_remit", "refused"]
Status = Literal["answered", "partial", Declining]
DECLINING: frozenset[Status] = frozenset(get_args(Declining))
# The longest earlier turn a request may carry (the API keeps no conversation state).
MAX_TURN_CHARS = 8000


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


# Filters on a field a chunk holds one value of: the chunk's value must be one of those given.
SINGLE_VALUED = ("theme", "region", "doc_type")


def pounds(amount: float) -> str:
    """An amount in pounds as a project record writes it ("£738,000")."""
    return f"£{amount:,.0f}"


def fields_of(model: type[BaseModel], source: object) -> dict[str, Any]:
    """The values `source` holds (a Chunk, a stored document) under the names `model` declares,
    so a model's own field list is the one place that says which of them it carries."""
    return {name: getattr(source, name) for name in model.model_fields if hasattr(source, name)}


class Filters(BaseModel):
    """Metadata filters, given explicitly or implied by the question."""

    theme: list[str] = Field(default_factory=list)
    region: list[str] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list)
    doc_type: list[str] = Field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) in (None, []) for name in Filters.model_fields)

    def merged(self, other: Filters) -> Filters:
        """Explicit filters win; implied ones fill the gaps."""
        return Filters(
            **{
                name: other_value if (mine := getattr(self, name)) in (None, []) else mine
                for name, other_value in other
            }
        )

    def matches(self, chunk: Chunk) -> bool:
        for name in SINGLE_VALUED:
            wanted = getattr(self, name)
            if wanted and getattr(chunk, name) not in wanted:
                return False
        if self.services and not all(s in chunk.services for s in self.services):
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
        return cls(**fields_of(cls, chunk), score=round(score, 6))


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
        return cls(marker=marker, quote=quote, **fields_of(cls, chunk))


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


# The parts of an Answer a stream sends as their own events, before `done` carries the rest.
SENT_BEFORE_DONE = frozenset({"answer", "passages", "citations"})


class Turn(BaseModel):
    """One earlier turn of a conversation, the same from HTTP to the composer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_TURN_CHARS)


class Ask(BaseModel):
    """A request for an answer: the same value from Python, the CLI and HTTP."""

    question: str
    history: list[Turn] = Field(default_factory=list)
    filters: Filters | None = None
    top_k: int | None = Field(default=None, ge=1, le=50)
    composer: str | None = None
