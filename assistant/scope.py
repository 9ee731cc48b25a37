"""Decide whether the retrieved evidence can answer a question, before anything is composed.

A question is out of scope when the passages found do not hold enough of its words (weighted by
how rare each word is in the evidence), when they are not semantically close, when it names
something (a multi-word proper name) the passages never mention, or when it asks for personal
guidance (joining, applying, contacting) that evidence about collaboration cannot give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant import tuning
from assistant.lexical import LexicalIndex, terms
from assistant.retrieve import Hit, Retrieval

_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]*)+")
_ARTICLE = re.compile(r"^(The|A|An)\s+")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_QUESTION_START = re.compile(r"^(What|Which|Who|When|Where|How|Why|Tell|Is|Are|Did|Do|Does|Can)\s+")
_HOWTO = re.compile(
    r"\b(how (do|can|should) (i|we)|where (do|can) (i|we)|can i|how to)\b.*"
    r"\b(sign up|join|apply|become|contact|report|complain|register|volunteer|book)\b",
    re.I,
)


@dataclass(frozen=True)
class Scope:
    answerable: bool
    reason: str
    coverage: float
    dense: float


def assess(question: str, retrieval: Retrieval, index: LexicalIndex) -> Scope:
    hits = retrieval.hits
    if not hits or not retrieval.query_terms:
        return Scope(False, "the evidence holds nothing that matches the question", 0.0, 0.0)
    weights = {t: index.idf(t) for t in set(retrieval.query_terms)}
    coverage = _coverage(hits[: tuning.SCOPE_PASSAGES], weights)
    dense = max(h.dense for h in hits)
    if _HOWTO.search(question):
        return Scope(
            False,
            "it asks for personal guidance, and the evidence describes collaboration between "
            "services rather than how to join or contact them",
            coverage,
            dense,
        )
    if name := _unknown_name(question, hits):
        return Scope(False, f"the evidence found never mentions {name}", coverage, dense)
    if year := _unknown_year(question, hits):
        return Scope(False, f"the evidence found says nothing about {year}", coverage, dense)
    filtered = retrieval.understanding.project_lookup and not retrieval.filters.is_empty()
    if filtered and any(h.chunk.record_id and retrieval.filters.matches(h.chunk) for h in hits):
        # Filters picked the projects: the records that match them are the answer.
        return Scope(True, "", coverage, dense)
    if coverage + dense < tuning.MIN_SUPPORT:
        missing = sorted(t for t in weights if index.df.get(t, 0) == 0)
        reason = (
            f"the evidence never mentions {', '.join(missing)}"
            if missing
            else "no passage in the evidence covers the question closely enough"
        )
        return Scope(False, reason, coverage, dense)
    return Scope(True, "", coverage, dense)


def _coverage(hits: list[Hit], weights: dict[str, float]) -> float:
    present: set[str] = set()
    for hit in hits:
        c = hit.chunk
        present.update(terms(f"{c.title} {c.section or ''} {c.text}"))
    total = sum(weights.values()) or 1.0
    return sum(w for t, w in weights.items() if t in present) / total


def _unknown_year(question: str, hits: list[Hit]) -> str | None:
    """A year the question asks about that no passage mentions (a future or uncovered year)."""
    text = " ".join(h.chunk.text for h in hits)
    for year in _YEAR.findall(question):
        if year not in text:
            return year
    return None


def _unknown_name(question: str, hits: list[Hit]) -> str | None:
    """A multi-word proper name in the question that none of the passages contains."""
    text = _QUESTION_START.sub("", question.strip())
    haystack = " ".join(f"{h.chunk.title} {h.chunk.text}" for h in hits).lower()
    haystack = re.sub(r"\s+", " ", haystack)
    for match in _NAME.finditer(re.sub(r"['’]s\b", "", text)):
        for part in re.split(r"\s+and\s+", match.group(0)):
            name = _ARTICLE.sub("", part)
            if len(name.split()) >= 2 and name.lower() not in haystack:
                return name
    return None
