"""The extractive composer: picks the sentences that best answer the question and cites each.

Deterministic, no model server: sentences are scored by the idf-weighted share of the question's
terms they hold, with a small prior for higher-ranked passages and for numbers when the question
asks for an amount or a date. Project questions are answered as a table, one cited row each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant import tuning
from assistant.compose.base import Draft, Turn
from assistant.lexical import LexicalIndex, terms
from assistant.retrieve import Hit, Retrieval
from assistant.sentences import split_sentences
from assistant.types import Citation

_ASKS_NUMBER = re.compile(
    r"\b(how (many|much|big|long|often|quickly)|what (saving|cost|percentage))", re.I
)
_ASKS_DATE = re.compile(r"\b(when|what year|what date)\b", re.I)
_ASKS_LIST = re.compile(
    r"^\s*(which|what are|what were|list|name)\b|\b(barriers|enablers|principles|areas|recommend\w*)\b",
    re.I,
)
_NUMBER = re.compile(r"\d")
_DATE = re.compile(
    r"\b(19|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.I,
)
_RECORD_HEAD = re.compile(r"^Project (\S+): (.*)$")


@dataclass(frozen=True)
class Candidate:
    text: str
    hit_rank: int
    position: int
    hit: Hit
    score: float
    terms: frozenset[str]


class ExtractiveComposer:
    name = "extractive"

    def compose(
        self, question: str, retrieval: Retrieval, index: LexicalIndex, history: list[Turn]
    ) -> Draft:
        qterms = set(retrieval.query_terms)
        hits = retrieval.hits[: tuning.READ_PASSAGES]
        if not hits or not qterms:
            return decline(index, "the evidence holds nothing that matches the question")
        weights = {t: index.idf(t) for t in qterms}
        coverage = max(_coverage(h, weights) for h in hits)
        dense = max(h.dense for h in retrieval.hits)
        if coverage < tuning.MIN_COVERAGE or dense < tuning.MIN_DENSE:
            missing = [t for t in qterms if index.df.get(t, 0) == 0]
            why = (
                f"the evidence never mentions {', '.join(sorted(missing))}"
                if missing
                else "no passage in the evidence covers the question closely enough"
            )
            return decline(index, why)
        projects = [h for h in retrieval.hits if h.chunk.record_id]
        if retrieval.understanding.project_lookup and projects:
            return _project_table(projects, weights)
        return _sentences(question, hits, weights)


def _coverage(hit: Hit, weights: dict[str, float]) -> float:
    chunk = hit.chunk
    present = set(terms(f"{chunk.title} {chunk.section or ''} {chunk.text}"))
    total = sum(weights.values()) or 1.0
    return sum(w for t, w in weights.items() if t in present) / total


def _sentences(question: str, hits: list[Hit], weights: dict[str, float]) -> Draft:
    total = sum(weights.values()) or 1.0
    wants_number = bool(_ASKS_NUMBER.search(question))
    wants_date = bool(_ASKS_DATE.search(question))
    candidates: list[Candidate] = []
    for rank, hit in enumerate(hits):
        context = set(terms(f"{hit.chunk.title} {hit.chunk.section or ''}"))
        for pos, sentence in enumerate(_split(hit.chunk.text)):
            words = sentence.split()
            if len(words) < 4 or sentence == hit.chunk.section:
                continue
            sterms = frozenset(terms(sentence))
            own = sum(w for t, w in weights.items() if t in sterms) / total
            ctx = sum(w for t, w in weights.items() if t in context and t not in sterms) / total
            score = own + 0.25 * ctx + 0.08 / (rank + 1)
            if wants_number and _NUMBER.search(sentence):
                score += 0.12
            if wants_date and _DATE.search(sentence):
                score += 0.12
            candidates.append(Candidate(sentence, rank, pos, hit, score, sterms))
    if not candidates:
        return Draft("", [], declined=True)
    candidates.sort(key=lambda c: -c.score)
    best = candidates[0].score
    limit = tuning.MAX_SENTENCES_LIST if _ASKS_LIST.search(question) else tuning.MAX_SENTENCES
    chosen: list[Candidate] = []
    for cand in candidates:
        if cand.score < tuning.KEEP_RATIO * best or len(chosen) == limit:
            break
        if any(_jaccard(cand.terms, c.terms) > tuning.DUPLICATE_JACCARD for c in chosen):
            continue
        chosen.append(cand)
    chosen.sort(key=lambda c: (c.hit_rank, c.position))
    citations: list[Citation] = []
    parts: list[str] = []
    for marker, cand in enumerate(chosen, start=1):
        citations.append(_cite(marker, cand.hit, cand.text))
        parts.append(f"{_display(cand.text)} [{marker}]")
    if _ASKS_LIST.search(question) and len(parts) > 2:
        text = "\n".join(f"- {p}" for p in parts)
    else:
        text = " ".join(parts)
    return Draft(text, citations)


def _project_table(projects: list[Hit], weights: dict[str, float]) -> Draft:
    rows = projects[: tuning.MAX_PROJECT_ROWS]
    lines = [
        f"{len(rows)} project{'s' if len(rows) != 1 else ''} in the evidence match:",
        "",
        "| Project | Region | Services | Status | Started |",
        "|---|---|---|---|---|",
    ]
    citations: list[Citation] = []
    for marker, hit in enumerate(rows, start=1):
        c = hit.chunk
        head = c.text.splitlines()[0]
        match = _RECORD_HEAD.match(head)
        name = match.group(2).rstrip(".") if match else c.title
        services = ", ".join(s.replace("_", " ") for s in c.services)
        lines.append(
            f"| {c.record_id} {_cell(name)} [{marker}] | {_cell(c.region or '')} | "
            f"{_cell(services)} | {c.status or ''} | {c.year or ''} |"
        )
        citations.append(_cite(marker, hit, head))
    return Draft("\n".join(lines), citations)


def _cite(marker: int, hit: Hit, quote: str) -> Citation:
    c = hit.chunk
    return Citation(
        marker=marker,
        chunk_id=c.chunk_id,
        source=c.source,
        title=c.title,
        page=c.page,
        record_id=c.record_id,
        quote=quote,
    )


def _split(text: str) -> list[str]:
    out: list[str] = []
    for line in text.split("\n"):
        out += split_sentences(line)
    return out


def _display(sentence: str) -> str:
    """A sentence as it reads in the answer: list dashes and table pipes tidied."""
    text = re.sub(r"^[-–•*]\s+", "", sentence)
    return text.replace(" | ", "; ")


def _cell(text: str) -> str:
    return text.replace("|", "/")


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / (len(a | b) or 1)


def decline(index: LexicalIndex, why: str) -> Draft:
    """A plain statement that the evidence does not cover the question, and what it can answer."""
    suggestions = suggest(index)
    text = (
        "The evidence in bluelight does not cover this question "
        f"({why}), so I cannot answer it from the sources."
    )
    return Draft(text, [], declined=True, suggestions=suggestions)


def suggest(index: LexicalIndex) -> list[str]:
    """Questions the evidence can answer, built from what the store holds."""
    themes = sorted({c.theme for c in index.chunks if c.theme})
    regions = sorted({c.region for c in index.chunks if c.region})
    out = []
    if themes:
        out.append(f"Which projects involve {themes[0].replace('_', ' ')}?")
    if regions:
        out.append(f"Which projects are in {regions[0]}?")
    out += [
        "What barriers to collaboration has the research found?",
        "What makes emergency services collaboration work?",
    ]
    return out[:4]
