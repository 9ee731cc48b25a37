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
from assistant.scope import assess
from assistant.sentences import split_sentences
from assistant.types import Citation, Filters

_ASKS_NUMBER = re.compile(
    r"\b(how (many|much|big|long|often|quickly)|what (saving|cost|percentage))", re.I
)
_ASKS_DATE = re.compile(r"\b(when|what year|what date)\b", re.I)
_ASKS_LIST = re.compile(
    r"^\s*(which|what are|what were|list|name)\b"
    r"|\b(barriers|enablers|principles|areas|recommend\w*)\b",
    re.I,
)
_NUMBER = re.compile(r"\d")
_DATE = re.compile(
    r"\b(19|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.I,
)
_RECORD_HEAD = re.compile(r"^Project (\S+): (.*)$")
_URL = re.compile(r"https?://|www\.")
_ROW = re.compile(r"\n[^\n]* \| [^\n]*")
_LIST_ITEM = re.compile(r"\n\s*(?:[-–•*]|\d{1,2}[.)])\s+[^\n]*")


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
        scope = assess(question, retrieval, index)
        if not scope.answerable:
            return decline(index, scope.reason)
        weights = {t: index.idf(t) for t in set(retrieval.query_terms)}
        projects = [h for h in retrieval.hits if h.chunk.record_id]
        if retrieval.understanding.project_lookup and projects:
            if retrieval.understanding.filters.is_empty():
                # No filter vouches for the rows: keep the projects that match the question.
                relevant = [h for h in projects if _share(h, weights) >= tuning.PROJECT_ROW_SHARE]
                projects = relevant or projects[:3]
            matching = _matching_records(index, retrieval.filters)
            return _project_table(projects, matching)
        return _sentences(question, retrieval.hits[: tuning.READ_PASSAGES], weights)


def _sentences(question: str, hits: list[Hit], weights: dict[str, float]) -> Draft:
    total = sum(weights.values()) or 1.0
    wants_number = bool(_ASKS_NUMBER.search(question))
    wants_date = bool(_ASKS_DATE.search(question))
    candidates: list[Candidate] = []
    for rank, hit in enumerate(hits):
        context = set(terms(f"{hit.chunk.title} {hit.chunk.section or ''}"))
        for pos, sentence in enumerate(_split(hit.chunk.text)):
            if not _informative(sentence, hit.chunk.section):
                continue
            sterms = frozenset(terms(sentence))
            ctx = sum(w for t, w in weights.items() if t in context and t not in sterms) / total
            prior = 0.25 * ctx + 0.08 / (rank + 1)
            if wants_number and _NUMBER.search(sentence):
                prior += 0.12
            if wants_date and _DATE.search(sentence):
                prior += 0.12
            candidates.append(Candidate(sentence, rank, pos, hit, prior, sterms))
    if not candidates:
        return Draft("", [], declined=True)
    limit = tuning.MAX_SENTENCES_LIST if _ASKS_LIST.search(question) else tuning.MAX_SENTENCES
    chosen = _select(candidates, weights, limit)
    chosen.sort(key=lambda c: (c.hit_rank, c.position))
    citations: list[Citation] = []
    parts: list[str] = []
    for marker, cand in enumerate(chosen, start=1):
        quote = _with_list(cand.text, cand.hit.chunk.text)
        citations.append(_cite(marker, cand.hit, quote))
        parts.append(f"{_display(quote, cand.hit.chunk.text)} [{marker}]")
    if _ASKS_LIST.search(question) and len(parts) > 2:
        text = "\n".join(f"- {p}" for p in parts)
    else:
        text = " ".join(parts)
    return Draft(text, citations)


def _select(candidates: list[Candidate], weights: dict[str, float], limit: int) -> list[Candidate]:
    """Greedy choice: each next sentence is worth the question terms it adds that the chosen
    ones do not already cover (covered terms count for REPEAT_WEIGHT), so a two-part question
    gets a sentence for each part instead of two for the first."""
    total = sum(weights.values()) or 1.0
    covered: set[str] = set()
    chosen: list[Candidate] = []
    first_best = None
    pool = list(candidates)

    def gain(c: Candidate, covered: set[str]) -> float:
        new = sum(w for t, w in weights.items() if t in c.terms and t not in covered)
        old = sum(w for t, w in weights.items() if t in c.terms and t in covered)
        return (new + tuning.REPEAT_WEIGHT * old) / total + c.score

    while pool and len(chosen) < limit:
        best = max(pool, key=lambda c: (gain(c, covered), -c.hit_rank, -c.position))
        value = gain(best, covered)
        first_best = value if first_best is None else first_best
        if value < tuning.KEEP_RATIO * first_best:
            break
        pool.remove(best)
        if any(_jaccard(best.terms, c.terms) > tuning.DUPLICATE_JACCARD for c in chosen):
            continue
        chosen.append(best)
        covered |= best.terms
    return chosen


def _matching_records(index: LexicalIndex, filters: Filters) -> int | None:
    """How many project records the filters select in the whole store, if any filter is set."""
    if filters.is_empty():
        return None
    mask = index.facets.mask(filters)
    return len({index.chunks[i].record_id for i in mask.nonzero()[0] if index.chunks[i].record_id})


def _project_table(projects: list[Hit], matching: int | None) -> Draft:
    rows = projects[: tuning.MAX_PROJECT_ROWS]
    total = max(matching or 0, len(rows))
    shown = f"; the {len(rows)} closest to the question are listed" if total > len(rows) else ""
    lines = [
        f"{total} project{'s' if total != 1 else ''} in the evidence match{shown}:",
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


def _share(hit: Hit, weights: dict[str, float]) -> float:
    present = set(terms(f"{hit.chunk.title} {hit.chunk.text}"))
    return sum(w for t, w in weights.items() if t in present) / (sum(weights.values()) or 1.0)


def _informative(sentence: str, section: str | None) -> bool:
    """Headings, title lines, record name lines and reference lines state no fact."""
    words = sentence.split()
    if len(words) < 4 or sentence == section or _URL.search(sentence):
        return False
    if _RECORD_HEAD.match(sentence):
        return False
    is_row = " | " in sentence
    return is_row or sentence.rstrip('"”’)').endswith((".", "!", "?", ":", ";")) or len(words) > 14


def _with_list(sentence: str, passage: str) -> str:
    """A sentence that introduces a list ("Its five principles are:"), or a table's header row,
    brings the items or rows on the lines after it along, as one contiguous quote."""
    start = passage.find(sentence)
    if start < 0:
        return sentence
    if " | " in sentence and passage[start:].count("\n") and _is_header(sentence, passage):
        end = start + len(sentence)
        while match := _ROW.match(passage, end):
            end = match.end()
        return passage[start:end]
    if not sentence.endswith(":"):
        return sentence
    end = start + len(sentence)
    while match := _LIST_ITEM.match(passage, end):
        end = match.end()
    return passage[start:end]


def _is_header(line: str, passage: str) -> bool:
    return next((ln for ln in passage.split("\n") if " | " in ln), None) == line


def _split(text: str) -> list[str]:
    out: list[str] = []
    for line in text.split("\n"):
        out += split_sentences(line)
    return out


def _display(sentence: str, passage: str) -> str:
    """A sentence as it reads in the answer: list dashes dropped, a table row read with its
    header ("Launched: Gwent: 1 July 2016; Kent: March 2018")."""
    text = re.sub(r"^[-–•*]\s+", "", sentence)
    if "\n" in text and " | " in text.split("\n", 1)[0]:
        head, *rows = text.split("\n")
        return f"{head.split(' | ')[0]}: " + "; ".join(r.split(" | ")[0] for r in rows)
    if "\n" in text:
        head, *items = text.split("\n")
        bare = (re.sub(r"^\s*([-–•*]|\d{1,2}[.)])\s+", "", i).rstrip(".;") for i in items)
        return f"{head} " + "; ".join(bare) + "."
    if " | " not in text:
        return text
    header = next((ln for ln in passage.split("\n") if " | " in ln), "")
    cells, names = text.split(" | "), header.split(" | ")
    if header == text or len(names) != len(cells):
        return text.replace(" | ", "; ")
    pairs = "; ".join(f"{n}: {c}" for n, c in zip(names[1:], cells[1:], strict=True) if c)
    return f"{cells[0]} — {pairs}"


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
