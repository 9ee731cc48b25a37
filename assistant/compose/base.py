"""What every composer receives and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from assistant.lexical import LexicalIndex
from assistant.retrieve import Retrieval
from assistant.types import Citation


@dataclass(frozen=True)
class Draft:
    """A composed answer before verification: markdown with [n] markers, and their citations."""

    text: str
    citations: list[Citation]
    declined: bool = False
    notice: str | None = None
    suggestions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Turn:
    role: str
    content: str


class Composer(Protocol):
    name: str

    def compose(
        self, question: str, retrieval: Retrieval, index: LexicalIndex, history: list[Turn]
    ) -> Draft: ...
