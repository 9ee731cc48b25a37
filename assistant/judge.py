"""Judgement: does the retrieved evidence answer the question, which part of it, and with which
sentences? One stage, between retrieval and composition, for every composer.

The outcome is `answered` (the chosen sentences give what was asked), `partial` (some parts of
the question are answered; `missing` says which are not), `not_covered`, `out_of_remit` or
`refused`. A part is answered only by a sentence that is close to it in meaning and words, holds
a value of the type it asks for (an amount, a count, a date, a body...) and stands in a passage
that mentions every name and year the question pins it to. Weights and thresholds live in
assistant/tuning.py with how each was set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant import remit, tuning
from assistant.lexical import terms
from assistant.question import TYPED, Analysis, Part, fits
from assistant.retrieve import Hit, Retrieval, Sentence

# What each typed part asks for, in words for the answer's "the sources do not give ...".
_WANTED = {
    "money": "the amount of money asked about",
    "count": "the number asked about",
    "percent": "the percentage asked about",
    "date": "the date asked about",
    "duration": "the length of time asked about",
    "person_org": "who was involved, as asked",
    "place": "the place asked about",
}


@dataclass(frozen=True)
class Judgement:
    status: str  # answered | partial | not_covered | out_of_remit | refused
    sentences: list[Sentence] = field(default_factory=list)  # the evidence to compose from
    projects: list[Hit] = field(default_factory=list)  # rows of a project table
    missing: list[str] = field(default_factory=list)  # what was asked and not found
    reason: str = ""  # a plain sentence for the user when something is missing or declined
    support: float = 0.0  # the best sentence's relevance, for evals and tuning

    @property
    def declined(self) -> bool:
        return self.status in ("not_covered", "out_of_remit", "refused")


def judge(question: str, analysis: Analysis, retrieval: Retrieval) -> Judgement:
    """Decide what the evidence answers of the question, and choose the sentences that do."""
    if out := remit.check(question):
        return Judgement(out.status, reason=out.reason)
    absent = _absent_names(analysis, retrieval) + _foreign(retrieval)
    if absent:
        return Judgement(
            "not_covered",
            missing=absent,
            reason=f"The sources do not mention {_join(absent)}.",
        )
    if retrieval.understanding.project_lookup:
        table = _projects(analysis, retrieval)
        if table is not None:
            return table
    pool = [s for s in retrieval.sentences if not remit.instructs(s.unit.text)]
    pool = [s for s in pool if _pinned(s, analysis)]
    if not pool:
        named = [*analysis.names, *analysis.years]
        if named:
            reason = f"The sources found say nothing about {_join(named)}."
            return Judgement("not_covered", missing=named, reason=reason)
        return Judgement("not_covered", reason=_NOTHING)
    scored = {id(s): relevance(s, retrieval.weights) for s in pool}
    if len(analysis.parts) > 1:
        # Each part of a two-part question is weighed on its own words and the question's
        # names (its subject), so the other part's words do not count against it.
        for part in analysis.parts:
            own = _part_weights(part, retrieval.weights, analysis)
            for s in pool:
                scored[id(s)] = max(scored[id(s)], relevance(s, own))
    support = max(scored.values())
    if support < tuning.MIN_RELEVANCE:
        return Judgement("not_covered", reason=_NOTHING, support=support)
    found: list[Sentence] = []
    missing: list[str] = []
    if listing := _listing(analysis, pool, scored):
        # A list question is answered by a list or table of the asked things, when there is one.
        found.append(listing)
    for part in analysis.parts[len(found) :]:
        best = _best_for(part, pool, scored, retrieval.weights, len(analysis.parts) > 1)
        if best is None:
            missing.append(_WANTED.get(part.answer_type, "an answer to part of the question"))
        elif best not in found:
            found.append(best)
    if not found:
        return Judgement(
            "not_covered",
            missing=missing,
            reason=f"The sources found do not give {_join(missing)}.",
            support=support,
        )
    chosen = _fill(found, pool, scored, analysis)
    if uncovered := _uncovered(chosen, analysis):
        # Answer only what the evidence ties to every name the question gives.
        for name in uncovered:
            extra = [s for s in pool if s not in chosen and _pinned(s, _only(analysis, name))]
            if extra:
                chosen.append(max(extra, key=lambda s: _rank(s, scored)))
        if still := _uncovered(chosen, analysis):
            return Judgement(
                "not_covered",
                missing=still,
                reason=f"The sources found say nothing that ties the answer to {_join(still)}.",
                support=support,
            )
    if missing:
        return Judgement(
            "partial",
            chosen,
            missing=missing,
            reason=f"The sources found do not give {_join(missing)}.",
            support=support,
        )
    return Judgement("answered", chosen, support=support)


_NOTHING = "The sources hold nothing that answers this question."


def relevance(s: Sentence, weights: dict[str, float]) -> float:
    """How well a sentence answers the question: closeness in meaning plus the idf-weighted
    share of the question's terms it (or, for less, its passage's heading) holds."""
    total = sum(weights.values()) or 1.0
    own = sum(w for t, w in weights.items() if t in s.terms) / total
    ctx = sum(w for t, w in weights.items() if t in s.context and t not in s.terms) / total
    score = (
        tuning.W_SIMILARITY * s.similarity
        + tuning.W_TERMS * own
        + tuning.W_CONTEXT * ctx
        + tuning.W_RANK / (s.passage + 1)
    )
    if s.unit.kind == "field":
        score *= tuning.FIELD_WEIGHT
    return score


def _rank(s: Sentence, scored: dict[int, float]) -> tuple[float, int, int]:
    """Order of preference: relevance, an uploaded claim counted UPLOAD_MARGIN lower so that
    curated evidence on the same point comes first; then passage rank and reading order."""
    upload = tuning.UPLOAD_MARGIN if s.hit.chunk.provenance == "upload" else 0.0
    return (scored[id(s)] - upload, -s.passage, -s.position)


def _best_for(
    part: Part,
    pool: list[Sentence],
    scored: dict[int, float],
    weights: dict[str, float],
    several: bool,
) -> Sentence | None:
    """The most relevant sentence that holds the kind of value the part asks for."""
    typed = part.answer_type in TYPED
    candidates = [s for s in pool if not typed or fits(part.answer_type, s.unit.display())]
    if part.focus:
        # A count must count the asked thing: "five fire stations" does not say how many lives.
        focus = set(terms(" ".join(part.focus)))
        candidates = [s for s in candidates if focus & s.terms]
    if not candidates:
        return None
    if several:
        # Each part of a two-part question is scored on its own words too.
        own = _part_weights(part, weights, None)
        key = {id(s): scored[id(s)] + tuning.W_PART * _share(s, own) for s in candidates}
    else:
        key = scored
    best = max(candidates, key=lambda s: _rank(s, key))
    need = tuning.MIN_TYPED_RELEVANCE if typed else tuning.MIN_RELEVANCE
    return best if scored[id(best)] >= need else None


def _fill(
    found: list[Sentence], pool: list[Sentence], scored: dict[int, float], analysis: Analysis
) -> list[Sentence]:
    """The answer's sentences: those that answer each part, then those that add to them (every
    row of a table whose row answered a list question), in reading order."""
    chosen = list(found)
    limit = tuning.MAX_SENTENCES_LIST if analysis.wants_list else tuning.MAX_SENTENCES
    if analysis.wants_list:
        rows = {(s.unit.header, s.hit.chunk.doc_id) for s in found if s.unit.kind == "row"}
        chosen += [
            s
            for s in pool
            if s.unit.kind == "row"
            and (s.unit.header, s.hit.chunk.doc_id) in rows
            and s not in chosen
        ][: tuning.MAX_TABLE_ROWS]
    if analysis.wants_list and any(s.unit.kind in ("list", "row") for s in found):
        # The list or the table is the answer: other sentences would only pad it.
        return _reading_order(chosen)
    top = max(scored[id(s)] for s in found)
    answering = {s.hit.chunk.chunk_id for s in found}
    for s in sorted(pool, key=lambda s: _rank(s, scored), reverse=True):
        if len(chosen) >= max(limit, len(found)):
            break
        if s in chosen or scored[id(s)] < tuning.KEEP_RATIO * top:
            continue
        if s.unit.kind == "field" and s.hit.chunk.chunk_id not in answering:
            continue  # a record's fields add to an answer about that record, never pad another
        if any(_jaccard(s.terms, c.terms) > tuning.DUPLICATE_JACCARD for c in chosen):
            continue
        chosen.append(s)
    return _reading_order(chosen)


def _reading_order(chosen: list[Sentence]) -> list[Sentence]:
    """Curated evidence before uploads, then in the order the passages were ranked and read."""
    return sorted(chosen, key=lambda s: (s.hit.chunk.provenance == "upload", s.passage, s.position))


def _projects(analysis: Analysis, retrieval: Retrieval) -> Judgement | None:
    """A project question answered as a table of matching records, or declined when the
    filters it implies select none."""
    records = [h for h in retrieval.hits if h.chunk.record_id]
    records = [h for h in records if all(_in_text(n, _record_text(h)) for n in analysis.names)]
    if not retrieval.filters.is_empty():
        matching = [h for h in records if retrieval.filters.matches(h.chunk)]
        # What the filters do not capture ("mountain rescue teams") must still be in the record.
        matching = [
            h for h in matching if _hit_share(h, retrieval.weights) >= tuning.PROJECT_ROW_SHARE
        ]
        if not matching:
            return Judgement(
                "not_covered",
                missing=["a project matching every condition in the question"],
                reason="No project record in the evidence matches every condition in the question.",
            )
        return Judgement("answered", projects=matching[: tuning.MAX_PROJECT_ROWS], support=1.0)
    weights = retrieval.weights
    relevant = [h for h in records if _hit_share(h, weights) >= tuning.PROJECT_ROW_SHARE]
    if not relevant:
        return None  # no record fits: the question is answered from prose, if at all
    return Judgement("answered", projects=relevant[: tuning.MAX_PROJECT_ROWS], support=1.0)


def _foreign(retrieval: Retrieval) -> list[str]:
    """Places the question names in lower case that the store never uses, when they weigh
    enough of it."""
    if not retrieval.foreign:
        return []
    foreign = set(terms(" ".join(retrieval.foreign)))
    total = sum(retrieval.weights.values()) or 1.0
    share = sum(w for t, w in retrieval.weights.items() if t in foreign) / total
    return list(retrieval.foreign) if share >= tuning.FOREIGN_SHARE else []


def _absent_names(analysis: Analysis, retrieval: Retrieval) -> list[str]:
    """Names and years the question pins its answer to that the store never mentions."""
    out = [
        n
        for n in analysis.names
        if all(w.lower() in retrieval.unknown for w in re.findall(r"[\w'’]+", n))
    ]
    return out + [y for y in analysis.years if y in retrieval.unknown]


def _listing(analysis: Analysis, pool: list[Sentence], scored: dict[int, float]) -> Sentence | None:
    """The most relevant list whose opening line, or table row whose header, names the plural a
    list question asks for ("risks": a table headed "Risk | Mitigation")."""
    if not analysis.wants_list or not analysis.listed:
        return None
    noun = set(terms(analysis.listed))
    lists = [
        s
        for s in pool
        if (s.unit.kind == "list" and noun & set(terms(s.unit.text.split("\n", 1)[0])))
        or (s.unit.kind == "row" and noun & set(terms((s.unit.header or "").split(" | ")[0])))
    ]
    best = max(lists, key=lambda s: _rank(s, scored), default=None)
    return (
        best
        if best is not None and scored[id(best)] >= tuning.MIN_RELEVANCE * tuning.LIST_SHARE
        else None
    )


def _pinned(s: Sentence, analysis: Analysis) -> bool:
    """Whether the sentence's passage mentions a name or year the question names (each name
    must then be in some chosen passage: see `_uncovered`)."""
    if not analysis.names and not analysis.years:
        return True
    text = _record_text(s.hit)
    return any(_in_text(n, text) for n in analysis.names) or any(y in text for y in analysis.years)


def _uncovered(chosen: list[Sentence], analysis: Analysis) -> list[str]:
    """Names and years of the question that no chosen sentence's passage mentions."""
    texts = [_record_text(s.hit) for s in chosen]
    names = [n for n in analysis.names if not any(_in_text(n, t) for t in texts)]
    return names + [y for y in analysis.years if not any(y in t for t in texts)]


def _only(analysis: Analysis, name: str) -> Analysis:
    names = (name,) if name in analysis.names else ()
    years = (name,) if name in analysis.years else ()
    return Analysis(analysis.parts, names, years, analysis.wants_list, analysis.listed)


def _record_text(hit: Hit) -> str:
    c = hit.chunk
    return f"{c.title}\n{c.section or ''}\n{c.region or ''}\n{c.text}"


def _in_text(name: str, text: str) -> bool:
    """A name is in a text as typed, word by word (any order, plural or possessive), or as the
    initials of a capitalised run ("NHS" for "National Health Service")."""
    low = text.lower()
    words = [w.lower() for w in re.findall(r"[\w]+", name)]
    if all(re.search(rf"\b{re.escape(w)}", low) for w in words):
        return True
    if name.isupper() and len(name) >= 2:
        for run in re.finditer(r"(?:[A-Z][\w'’-]*\s+(?:(?:of|and|for|the)\s+)*){1,8}", text):
            initials = "".join(w[0] for w in run.group(0).split() if w[0].isupper())
            if name in initials:
                return True
    return False


def _part_weights(
    part: Part, weights: dict[str, float], analysis: Analysis | None
) -> dict[str, float]:
    """The question's term weights for one part's words (and its names, when given)."""
    mine = set(terms(part.text))
    if analysis is not None:
        mine |= set(terms(" ".join(analysis.names)))
    return {t: w for t, w in weights.items() if t in mine}


def _share(s: Sentence, weights: dict[str, float]) -> float:
    total = sum(weights.values()) or 1.0
    return sum(w for t, w in weights.items() if t in s.terms or t in s.context) / total


def _hit_share(hit: Hit, weights: dict[str, float]) -> float:
    present = set(terms(f"{hit.chunk.title} {hit.chunk.text}"))
    return sum(w for t, w in weights.items() if t in present) / (sum(weights.values()) or 1.0)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / (len(a | b) or 1)


def _join(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
