"""What the store holds, arranged for writing questions: one unit per document or project record,
with its prose sentences, table rows, lists and record fields, plus look-ups that tell whether a
name or a pair of terms occurs anywhere in the store (the near-miss constraint)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from assistant.retrieval.sentences import units_of
from assistant.types import Chunk
from evals.metrics import evidence_ids

# "Lead: X." and the like: the record fields ingest renders one to a line (ingest/records.py).
_FIELD = re.compile(r"^(Lead|Partners|Outcomes|Barriers): (.*)$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass(frozen=True)
class Sentence:
    text: str
    section: str | None


@dataclass(frozen=True)
class Row:
    header: tuple[str, ...]
    cells: tuple[str, ...]
    section: str | None


@dataclass(frozen=True)
class ListBlock:
    lead: str  # the line that announces the list
    items: tuple[str, ...]
    section: str | None


@dataclass(frozen=True)
class Record:
    """A project record's fields, from the chunk's metadata and its rendered text."""

    record_id: str
    title: str
    region: str | None
    theme: str | None
    services: tuple[str, ...]
    status: str | None
    year: int | None
    lead: str | None
    partners: tuple[str, ...]
    outcomes: str | None
    barriers: tuple[str, ...]
    text: str


@dataclass
class Unit:
    """A document or a record: the thing a question's must_cite names, and what it says."""

    key: str
    source: str
    title: str
    doc_type: str
    sentences: list[Sentence] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    lists: list[ListBlock] = field(default_factory=list)
    record: Record | None = None

    def text(self) -> str:
        if self.record:
            return self.record.text
        parts = [s.text for s in self.sentences]
        parts += [" | ".join(r.cells) for r in self.rows]
        parts += [" ".join((b.lead, *b.items)) for b in self.lists]
        return "\n".join(parts)


class Evidence:
    """The units of a store and fast questions about its text."""

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        ordered = sorted(chunks, key=lambda c: (c.source, c.position, c.chunk_id))
        self.chunks = [c for c in ordered if not _is_readme(c.source)]
        self.texts = [
            _fold(" ".join(filter(None, (c.title, c.section, c.text)))) for c in self.chunks
        ]
        self._all = "\n".join(self.texts)
        self.units = _units(self.chunks)
        self.case = _case_counts(c.text for c in self.chunks)

    @property
    def records(self) -> list[Record]:
        return [u.record for u in self.units if u.record]

    def holds(self, term: str) -> bool:
        """Whether the term stands anywhere in the store, as whole words, ignoring case."""
        return _has(_fold(term), self._all)

    def chunks_with(self, term: str) -> list[str]:
        """The (folded) texts of the chunks that hold the term."""
        folded = _fold(term)
        return [text for text in self.texts if _has(folded, text)]

    def common_word(self, word: str) -> bool:
        """Whether the store writes this word in lower case more often than capitalised once it
        is inside a sentence: a common word, not a name."""
        low, cap = self.case.get(word.lower(), 0), self.case.get(word[:1].upper() + word[1:], 0)
        return low > cap


def _is_readme(source: str) -> bool:
    """A folder's README describes the files; it is not evidence to ask about."""
    return source.replace("\\", "/").rsplit("/", 1)[-1].lower().startswith("readme")


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


@cache
def _pattern(folded: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(folded) + r"(?![\w])")


def _has(folded: str, text: str) -> bool:
    """Whole-word search, with a plain substring test first (a regex that opens with a
    look-behind cannot skip ahead, and most texts lack the term)."""
    return folded in text and _pattern(folded).search(text) is not None


def _units(chunks: list[Chunk]) -> list[Unit]:
    units: dict[str, Unit] = {}
    seen: set[tuple[str, str]] = set()
    for chunk in chunks:
        if chunk.record_id:
            units[chunk.record_id] = Unit(
                chunk.record_id, chunk.source, chunk.title, chunk.doc_type, record=_record(chunk)
            )
            continue
        (key,) = evidence_ids(chunk.source)
        unit = units.setdefault(key, Unit(key, chunk.source, chunk.title, chunk.doc_type))
        for part in units_of(chunk.text):
            if (key, part.text) in seen:
                continue  # chunks overlap: a sentence is read once
            seen.add((key, part.text))
            if part.kind == "sentence":
                unit.sentences.append(Sentence(part.text.strip(), chunk.section))
            elif part.kind == "row" and part.header:
                header = tuple(c.strip() for c in part.header.split(" | "))
                cells = tuple(c.strip() for c in part.text.split(" | "))
                unit.rows.append(Row(header, cells, chunk.section))
            elif part.kind == "list":
                lead, *items = part.text.split("\n")
                unit.lists.append(
                    ListBlock(lead.strip(), tuple(i.strip() for i in items), chunk.section)
                )
    for unit in units.values():
        if unit.record:
            # A record's summary and outcomes are prose too: questions are written from them.
            for line in unit.record.text.split("\n")[2:]:
                match = _FIELD.match(line)
                if match and match.group(1) != "Outcomes":
                    continue
                text = match.group(2) if match else line
                for part in units_of(text):
                    if part.kind == "sentence":
                        unit.sentences.append(Sentence(part.text.strip(), None))
    return [units[k] for k in sorted(units)]


def _record(chunk: Chunk) -> Record:
    fields: dict[str, str] = {}
    for line in chunk.text.split("\n"):
        if match := _FIELD.match(line):
            fields[match.group(1)] = match.group(2).strip()

    def items(name: str, sep: str) -> tuple[str, ...]:
        raw = fields.get(name, "").rstrip(".")
        return tuple(p.strip() for p in raw.split(sep) if p.strip())

    return Record(
        record_id=chunk.record_id or "",
        title=chunk.title,
        region=chunk.region,
        theme=chunk.theme,
        services=chunk.services,
        status=chunk.status,
        year=chunk.year,
        lead=fields.get("Lead", "").rstrip(".") or None,
        partners=items("Partners", ", "),
        outcomes=fields.get("Outcomes"),
        barriers=items("Barriers", "; "),
        text=chunk.text,
    )


def _case_counts(texts: Iterable[str]) -> Counter[str]:
    """How often each word form appears inside a sentence (not first on its line, not after a
    full stop): what tells a common word from a name."""
    counts: Counter[str] = Counter()
    for text in texts:
        for line in text.split("\n"):
            tokens = line.split()
            for before, token in pairwise(tokens):
                word = _WORD.search(token)
                if word and not before.endswith((".", ":", "?", "!")):
                    counts[word.group()] += 1
    return counts
