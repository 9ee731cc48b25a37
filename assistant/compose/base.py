"""What every composer receives (plain evidence and the judgement) and returns (a draft)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from assistant.judgement.judge import Judgement
from assistant.question.conditions import Conditions
from assistant.question.understand import Understood
from assistant.retrieval.retrieve import Hit, Retrieval
from assistant.types import Citation, Turn

__all__ = ["Composer", "Draft", "Evidence", "Turn"]


@dataclass(frozen=True)
class Evidence:
    """Everything a composer may read: the question, the passages found, and the judgement of
    what they answer (with the sentences chosen to answer it)."""

    question: str
    hits: list[Hit]
    judgement: Judgement
    matching_records: int | None = None
    conditions: Conditions | None = None  # a record question's conditions: the table's columns

    @classmethod
    def of(cls, understood: Understood, retrieval: Retrieval, judgement: Judgement) -> Evidence:
        """What a composer reads of one question's run."""
        return cls(
            understood.question,
            retrieval.hits,
            judgement,
            retrieval.matching_records,
            understood.records.conditions,
        )


@dataclass(frozen=True)
class Draft:
    """A composed answer before verification: markdown with [n] markers, and their citations."""

    text: str
    citations: list[Citation]
    notice: str | None = None


class Composer(Protocol):
    name: str

    def compose(self, evidence: Evidence, history: list[Turn]) -> Draft: ...
