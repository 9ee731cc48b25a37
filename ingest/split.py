"""Structure-aware chunking: blocks (headings, paragraphs, table rows) packed within a token budget.

Chunks never cross a page or a section, so a citation names one page; a paragraph too long for
the budget is split at sentences with an overlap; table rows carry their header row with them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.retrieval.sentences import split_sentences

TokenCounter = Callable[[Sequence[str]], list[int]]


@dataclass(frozen=True)
class Block:
    """A structural unit of a document as a loader found it."""

    text: str
    page: int | None = None
    section: str | None = None
    kind: str = "paragraph"  # heading | paragraph | row
    header: str | None = None  # for table rows: the header row they belong under


@dataclass(frozen=True)
class Piece:
    """The text of one chunk and where it sits."""

    text: str
    page: int | None
    section: str | None


def doc_id_for(source: str) -> str:
    """A stable, readable document id from its path relative to the corpus root."""
    slug = re.sub(r"[^a-z0-9]+", "-", source.lower()).strip("-")[:80] or "doc"
    return f"{slug}-{hashlib.sha1(source.encode()).hexdigest()[:6]}"


def chunk_id_for(doc_id: str, doc_hash: str, position: int) -> str:
    """Stable for the same content at the same position; a new version gets new ids."""
    return f"{doc_id}:{doc_hash[:10]}:{position:05d}"


def embed_text(title: str, section: str | None, text: str) -> str:
    """What the model sees: the passage with its document and section for context."""
    parts = [p for p in (title, section) if p and p not in text[:300]]
    return "\n".join([" — ".join(parts), text]) if parts else text


def split(
    blocks: Sequence[Block],
    count: TokenCounter,
    budget: int,
    overlap: int,
    title: str = "",
) -> list[Piece]:
    """Pack blocks into pieces whose embedded form fits `budget` word pieces."""
    count = _Memo(count)
    pieces: list[Piece] = []
    group: list[Block] = []
    for block in blocks:
        if group and (block.page, block.section) != (group[0].page, group[0].section):
            pieces += _pack(group, count, budget, overlap, title)
            group = []
        group.append(block)
    if group:
        pieces += _pack(group, count, budget, overlap, title)
    return pieces


class _Memo:
    """Token counts remembered for the length of one split: headers, context lines and units are
    asked about more than once, and each tokenizer call has a fixed cost."""

    def __init__(self, count: TokenCounter) -> None:
        self.count = count
        self.known: dict[str, int] = {}

    def __call__(self, texts: Sequence[str]) -> list[int]:
        missing = list(dict.fromkeys(t for t in texts if t not in self.known))
        if missing:
            self.known.update(zip(missing, self.count(missing), strict=True))
        return [self.known[t] for t in texts]


def _has_content(group: list[Block]) -> bool:
    return any(b.kind != "heading" for b in group)


def _pack(
    group: list[Block], count: TokenCounter, budget: int, overlap: int, title: str
) -> list[Piece]:
    if not _has_content(group):
        return []  # a heading with nothing under it on this page: it lives on as metadata
    page, section = group[0].page, group[0].section
    # Context line added at embed time costs tokens too: reserve it.
    reserve = count([embed_text(title, section, "")])[0] + 2
    room = max(budget - reserve, 24)
    units = _units(group, count, room, overlap)
    sizes = count([u for u in units]) if units else []
    pieces: list[Piece] = []
    current: list[str] = []
    used = 0
    header: str | None = None
    for unit, size in zip(units, sizes, strict=True):
        is_row = unit.startswith("\x00row:")
        text = unit.removeprefix("\x00row:")
        if current and used + size + 1 > room:
            pieces.append(Piece("\n".join(current), page, section))
            current, used = [], 0
            if is_row and header:
                current, used = [header], count([header])[0]
        if is_row:
            header = text.split("\x01", 1)[0]
            text = text.split("\x01", 1)[1]
            if not current or header not in current:
                current.append(header)
                used += count([header])[0]
        else:
            header = None
        current.append(text)
        used += size + 1
    if current:
        pieces.append(Piece("\n".join(current), page, section))
    return pieces


def _units(group: list[Block], count: TokenCounter, room: int, overlap: int) -> list[str]:
    """Blocks as packable units; anything over the room is split at sentences with overlap."""
    units: list[str] = []
    texts = [b.text for b in group]
    sizes = count(texts)
    for block, size in zip(group, sizes, strict=True):
        if block.kind == "row" and block.header:
            units.append(f"\x00row:{block.header}\x01{block.text}")
        elif size <= room:
            units.append(block.text)
        else:
            units += _split_long(block.text, count, room, overlap)
    return units


def _split_long(text: str, count: TokenCounter, room: int, overlap: int) -> list[str]:
    sentences: list[str] = []
    for sentence in split_sentences(text):
        if count([sentence])[0] <= room:
            sentences.append(sentence)
        else:
            sentences += _split_words(sentence, count, room)
    sizes = count(sentences)
    out: list[str] = []
    window: list[tuple[str, int]] = []
    used = 0
    for sentence, size in zip(sentences, sizes, strict=True):
        if window and used + size + 1 > room:
            out.append(" ".join(s for s, _ in window))
            # Carry the last sentences (up to `overlap` tokens) into the next piece.
            carried: list[tuple[str, int]] = []
            kept = 0
            for s, n in reversed(window):
                if kept + n > overlap or kept + n + size + 1 > room:
                    break
                carried.insert(0, (s, n))
                kept += n + 1
            window, used = carried, kept
        window.append((sentence, size))
        used += size + 1
    if window:
        out.append(" ".join(s for s, _ in window))
    return out


def _split_words(sentence: str, count: TokenCounter, room: int) -> list[str]:
    words = sentence.split()
    out: list[str] = []
    current: list[str] = []
    for word in words:
        if current and count([" ".join([*current, word])])[0] > room:
            out.append(" ".join(current))
            current = []
        current.append(word)
    if current:
        out.append(" ".join(current))
    return out
