"""Understand a question: is it a project lookup, and which filters does it imply?

Region, theme and service phrases are matched against the values that really occur in the
store (passed in as a Vocabulary), never against a hand-kept list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.conditions import Conditions, RecordFacts, Words, read
from assistant.types import Chunk, Filters

# Plural: "which projects..." asks for a list; "the X project" asks about one.
_PROJECT_WORDS = re.compile(
    r"\b(projects|schemes|initiatives|pilots|examples|programmes|trials|collaborations)\b", re.I
)
_LIST_WORDS = re.compile(r"\b(which|list|what|show|name|any)\b", re.I)
# Everyday words for services; the canonical names come from the store.
_SERVICE_WORDS = {
    "police": r"police|policing|constab\w*|pcsos?",
    "fire": r"fire(?:fighters?)?|frs",
    "ambulance": r"ambulances?|paramedics?",
    "local_authority": r"councils?|local authorit\w+|local government",
    "health": r"health|nhs|hospitals?|clinical",
    "coastguard": r"coastguards?|maritime",
}
_YEAR = r"(19\d\d|20\d\d)"
# "England and Wales" names the whole scope, not the Wales region.
_SCOPE = re.compile(r"england and wales", re.I)


@dataclass(frozen=True)
class Vocabulary:
    """The filterable values present in the store."""

    regions: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    doc_types: frozenset[str] = frozenset()
    records: RecordFacts = field(default_factory=RecordFacts)

    @classmethod
    def of(cls, chunks: Iterable[Chunk]) -> Vocabulary:
        regions, themes, services, types = set(), set(), set(), set()
        for c in chunks:
            if c.region:
                regions.add(c.region)
            if c.theme:
                themes.add(c.theme)
            services.update(c.services)
            types.add(c.doc_type)
        return cls(
            frozenset(regions),
            frozenset(themes),
            frozenset(services),
            frozenset(types),
            RecordFacts.of(chunks),
        )


@dataclass(frozen=True)
class Understanding:
    project_lookup: bool
    filters: Filters = field(default_factory=Filters)
    # A question for a set of project records, as conditions run over every record.
    conditions: Conditions | None = None


def understand(question: str, vocab: Vocabulary, words: Words | None = None) -> Understanding:
    """Project intent, the conditions a project question sets, and the filters it implies."""
    if words is not None and (conditions := read(question, vocab.records, words)):
        filters = Filters(
            region=list(conditions.regions),
            theme=list(conditions.themes),
            services=list(conditions.services_in),
            year_from=conditions.year_from,
            year_to=conditions.year_to,
        )
        return Understanding(True, filters, conditions)
    text = _SCOPE.sub(" ", question)
    lookup = bool(_PROJECT_WORDS.search(text)) and bool(_LIST_WORDS.search(text))
    if not lookup:
        return Understanding(False)
    regions = [r for r in sorted(vocab.regions) if _phrase(r).search(text)]
    themes = [t for t in sorted(vocab.themes) if _phrase(t.replace("_", " ")).search(text)]
    services = [
        s
        for s in sorted(vocab.services)
        if s in _SERVICE_WORDS and re.search(rf"\b({_SERVICE_WORDS[s]})\b", text, re.I)
    ]
    year_from, year_to = _years(text)
    filters = Filters(
        region=regions,
        theme=themes,
        services=services,
        year_from=year_from,
        year_to=year_to,
    )
    return Understanding(True, filters)


def _phrase(value: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in re.split(r"[\s_-]+", value.strip()) if w]
    # "co responding", "co-responding" and "coresponding" are the same phrase.
    return re.compile(r"\b" + r"[\s-]?".join(words) + r"s?\b", re.I)


def _years(text: str) -> tuple[int | None, int | None]:
    if m := re.search(rf"\bbetween {_YEAR} and {_YEAR}\b", text, re.I):
        return int(m.group(1)), int(m.group(2))
    year_from = year_to = None
    if m := re.search(rf"\b(since|from|after|starting in|started in|from) {_YEAR}\b", text, re.I):
        year_from = int(m.group(2)) + (1 if m.group(1).lower() == "after" else 0)
    if m := re.search(rf"\b(before|until|up to|by) {_YEAR}\b", text, re.I):
        year_to = int(m.group(2)) - (1 if m.group(1).lower() == "before" else 0)
    if year_from is None and year_to is None and (m := re.search(rf"\bin {_YEAR}\b", text, re.I)):
        year_from = year_to = int(m.group(1))
    return year_from, year_to
