"""Read a question for project records: does it ask for them, and on what conditions?

Conditions are read against the values the store's records really hold (a Vocabulary), with the
everyday words for them that the corpus profile gives (assistant/question/conditions.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.profile import Profile
from assistant.question.conditions import COLLECTION, Conditions, RecordFacts, Words, held, read
from assistant.types import Chunk, Filters

# Plural: "which projects..." asks for a list; "the X project" asks about one.
_PROJECT_WORDS = re.compile(
    r"\b(projects|schemes|initiatives|pilots|examples|programmes|trials|collaborations)\b", re.I
)
_LIST_WORDS = re.compile(r"\b(which|list|what|show|name|any)\b", re.I)
# "what did the inspectorate say about police collabs" asks what a source said, not for records.
_SAID = re.compile(
    r"\bwhat (?:did|does|do|has|have|had) \S[^?]{0,60}? (?:say|said|think|thought|find|found"
    r"|conclude|concluded|recommend|recommended|make|made|write|wrote)\b",
    re.I,
)


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
        chunks = list(chunks)  # read twice: for every chunk, then for the records
        return cls(
            regions=held(chunks, "region"),
            themes=held(chunks, "theme"),
            services=frozenset(s for c in chunks for s in c.services),
            doc_types=held(chunks, "doc_type"),
            records=RecordFacts.of(chunks),
        )


@dataclass(frozen=True)
class RecordQuery:
    """What a question asks of the project records."""

    project_lookup: bool
    filters: Filters = field(default_factory=Filters)
    # A question for a set of project records, as conditions run over every record.
    conditions: Conditions | None = None


def read_records(question: str, vocab: Vocabulary, words: Words | None = None) -> RecordQuery:
    """Whether the question asks for project records, the conditions it sets on them (read
    against the values the records hold), and the filters those imply."""
    if _SAID.search(question):
        return RecordQuery(False)
    lookup = bool(_PROJECT_WORDS.search(question)) and bool(_LIST_WORDS.search(question))
    conditions = read(question, vocab.records, words or Words())
    if conditions is None:
        return RecordQuery(lookup)
    filters = Filters(
        region=list(conditions.regions),
        theme=list(conditions.themes),
        services=list(conditions.services_in),
        year_from=conditions.year_from,
        year_to=conditions.year_to,
    )
    return RecordQuery(True, filters, conditions)


def collection(word: str) -> bool:
    """Whether a word asks for a set of records ("schemes", "stuff")."""
    return bool(COLLECTION.fullmatch(word))


def words_of(profile: Profile) -> Words:
    """What reading a question's conditions over records may know of the profile's domain."""
    return Words(
        services=profile.services,
        service_groups=profile.service_groups,
        statuses=profile.statuses,
        themes=profile.themes,
        scope=profile.scope,
        aliases=profile.short_forms,
    )
