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

from assistant import tuning
from assistant.judgement import model, signals
from assistant.judgement.signals import in_text as _in_text
from assistant.judgement.signals import record_text as _record_text
from assistant.question import remit
from assistant.question.analysis import TYPED, Analysis, Part, fits
from assistant.question.places import written
from assistant.question.spelling import english_words
from assistant.retrieval.retrieve import Hit, Retrieval, Sentence
from assistant.terms import terms
from assistant.types import DECLINING, Status

# What each typed part asks for, in words for the answer's "the sources do not give ...".
_WANTED = {
    "money": "the amount of money asked about",
    "count": "the number asked about",
    "percent": "the percentage asked about",
    "date": "the date asked about",
    "duration": "the length of time asked about",
    "time": "the time asked about",
    "person_org": "who was involved, as asked",
    "place": "the place asked about",
    "opinion": "the view asked about",
}


@dataclass(frozen=True)
class Judgement:
    status: Status
    sentences: list[Sentence] = field(default_factory=list)  # the evidence to compose from
    projects: list[Hit] = field(default_factory=list)  # rows of a project table
    missing: list[str] = field(default_factory=list)  # what was asked and not found
    reason: str = ""  # a plain sentence for the user when something is missing or declined

    @property
    def declined(self) -> bool:
        return self.status in DECLINING


def judge(question: str, analysis: Analysis, retrieval: Retrieval) -> Judgement:
    """Decide what the evidence answers of the question, and choose the sentences that do."""
    if out := remit.check(question):
        return Judgement(out.status, reason=out.reason)
    if retrieval.records is not None:
        return _record_query(analysis, retrieval)
    return decide(assess(analysis, retrieval))


@dataclass(frozen=True)
class Assessment:
    """The best answer the evidence could give, and the signals of whether it answers."""

    candidate: Judgement  # answered or partial, with its sentences, or not_covered
    features: dict[str, float]
    unlinked: list[str]  # names and words of the question the store does not hold
    asked: list[str] = field(default_factory=list)  # the typed values asked, in words
    subject: Hit | None = None  # the passage naming what the question is about, if one does


def assess(analysis: Analysis, retrieval: Retrieval) -> Assessment:
    """The sentences that would answer, chosen without any gate, with the signals the decision
    weighs: closeness, shared terms, linked names, the asked type of value, search agreement."""
    unlinked = _unlinked(analysis, retrieval)
    if retrieval.understanding.project_lookup and (table := _projects(analysis, retrieval)):
        features = signals.measure(analysis, retrieval, table.sentences, [], unlinked, table=True)
        return Assessment(table, features, unlinked)
    pool = [s for s in retrieval.sentences if not remit.instructs(s.unit.text)]
    if not pool:
        empty = Judgement("not_covered", reason=_NOTHING)
        return Assessment(empty, signals.measure(analysis, retrieval, [], [], unlinked), unlinked)
    scored = {id(s): relevance(s, retrieval.weights) for s in pool}
    if len(analysis.parts) > 1:
        # Each part of a two-part question is weighed on its own words and the question's
        # names (its subject), so the other part's words do not count against it.
        for part in analysis.parts:
            own = _part_weights(part, retrieval.weights, analysis)
            for s in pool:
                scored[id(s)] = max(scored[id(s)], relevance(s, own))
    # Passages that mention the question's names come first among equals (read once each).
    pinned: dict[str, bool] = {}
    read = signals.linked_forms(retrieval)
    for s in pool:
        chunk_id = s.hit.chunk.chunk_id
        if chunk_id not in pinned:
            pinned[chunk_id] = _pinned(s, analysis, read)
        if pinned[chunk_id]:
            scored[id(s)] += tuning.W_PINNED
    found: list[Sentence] = []
    missing: list[str] = []
    typed_missing = 0
    values: list[tuple[str, Sentence]] = []  # each typed part's text and the sentence giving it
    if listing := _listing(analysis, pool, scored):
        found.append(listing)
    for part in analysis.parts[len(found) :]:
        about = _about(part, pool, analysis, read)
        best = _best_for(part, about, scored, retrieval.weights, len(analysis.parts) > 1)
        if best is None:
            typed_missing += part.answer_type in TYPED
            missing.append(_WANTED.get(part.answer_type, _A_PART))
        else:
            if part.answer_type in TYPED:
                values.append((part.text, best))
            if best not in found:
                found.append(best)
    chosen = _fill(found, pool, scored, analysis) if found else []
    # The label's closeness picks which field answers; whether anything answers is weighed on
    # the evidence alone, so a near-miss about a record is no nearer for its fields' labels.
    plain = {id(s): scored[id(s)] - _asked(s) for s in pool}
    features = signals.measure(analysis, retrieval, chosen, pool, unlinked, scored=plain)
    features["parts_missing"] = len(missing) / max(1, len(analysis.parts))
    features["typed_missing"] = float(typed_missing)
    features["value_elsewhere"] = signals.elsewhere(values, analysis, retrieval, pool)
    if not chosen:
        subject = _subject(analysis, retrieval)
        reason = _not_given(subject, missing) if missing else _NOTHING
        return Assessment(
            Judgement("not_covered", missing=missing, reason=reason), features, unlinked
        )
    if missing:
        partial = Judgement(
            "partial", chosen, missing=missing, reason=_not_given(chosen[0].hit, missing)
        )
        return Assessment(partial, features, unlinked)
    # Said if the decision declines: which values the sentences found do not give, and of what.
    asked = [_WANTED[p.answer_type] for p in analysis.parts if p.answer_type in _WANTED]
    subject = _subject(analysis, retrieval) if asked else None
    return Assessment(Judgement("answered", chosen), features, unlinked, asked, subject)


def decide(assessment: Assessment) -> Judgement:
    """The candidate answer when the model, fitted to labelled questions, finds it answers;
    otherwise a decline that says what the sources lack."""
    candidate = assessment.candidate
    if candidate.status == "not_covered" and candidate.reason == _NOTHING and assessment.unlinked:
        # Nothing answers, and the question names what the sources never mention: say which.
        named = assessment.unlinked
        return Judgement(
            "not_covered", missing=named, reason=f"The sources do not mention {_join(named)}."
        )
    if candidate.status == "not_covered" or model.answers(assessment.features):
        return candidate
    if assessment.unlinked:
        named = assessment.unlinked
        return Judgement(
            "not_covered", missing=named, reason=f"The sources do not mention {_join(named)}."
        )
    if candidate.missing:
        return Judgement(
            "not_covered",
            missing=candidate.missing,
            reason=_not_given(
                candidate.sentences[0].hit if candidate.sentences else None, candidate.missing
            ),
        )
    if assessment.asked:
        # "The sources describe the joint station but do not give the amount of money asked."
        return Judgement(
            "not_covered",
            missing=assessment.asked,
            reason=_not_given(assessment.subject, assessment.asked),
        )
    return Judgement("not_covered", reason=_NOTHING)


def _not_given(about: Hit | None, missing: list[str]) -> str:
    """ "The sources describe <what they are about> but do not give <what was asked>." """
    topic = _topic(about) if about else ""
    if topic:
        return f"The sources describe {topic} but do not give {_join(missing)}."
    return f"The sources found do not give {_join(missing)}."


def _subject(analysis: Analysis, retrieval: Retrieval) -> Hit | None:
    """The passage found first, when it names every name of the question (as typed or as
    linked): what a question whose asked value is missing is about."""
    if not analysis.names or not retrieval.hits:
        return None
    read = signals.linked_forms(retrieval)
    first = retrieval.hits[0]
    text = _record_text(first)
    named = all(signals.holds(text, n, read.get(n, n)) for n in analysis.names)
    return first if named else None


def _topic(hit: Hit) -> str:
    c = hit.chunk
    if c.record_id:
        return f"project {c.record_id} ({c.title})"
    section = (c.section or "").lstrip("0123456789. ").strip()
    return f"'{section}' in {c.title}" if section and section != c.title else c.title


def _unlinked(analysis: Analysis, retrieval: Retrieval) -> list[str]:
    """Names, years and places of the question that nothing in the store stands for."""
    # A place typed in lower case that holds a word the store never writes is one name, not its
    # words one by one, nor a common word of it read after "in" ("neath port talbot", "port").
    linked = {k.typed.lower() for k in retrieval.links if k.linked}
    places = [
        n
        for n in analysis.names
        if n.islower() and n not in linked and set(n.split()) & retrieval.unknown
    ]
    held = {w for n in places for w in n.split()}
    out = places + [
        k.typed
        for k in retrieval.links
        if not k.linked and _is_name(k.typed, analysis) and k.typed.lower() not in held
    ]
    # A place typed in lower case (a name of the question, unlinked) is said as its name is
    # written: "do not mention Hull".
    out = [written(n) if n.islower() and n in analysis.names else n for n in out]
    out += [y for y in analysis.years if y in retrieval.unknown]
    out += [f for f in retrieval.foreign if not set(f.split()) <= held]
    return list(dict.fromkeys(out))


def _is_name(word: str, analysis: Analysis) -> bool:
    """A capitalised name, or a lower-case word that is no English word (a name typed small)."""
    return word in analysis.names or (len(word) >= 4 and word.lower() not in english_words())


_A_PART = "an answer to one of the question's parts"
# Records named when a condition emptied the set.
NEAREST = 5
_NOTHING = "The sources hold nothing that answers this question."


def relevance(s: Sentence, weights: dict[str, float]) -> float:
    """How well a sentence answers the question: closeness in meaning plus the idf-weighted
    share of the question's terms it (or, for less, its passage's heading) holds."""
    total = sum(weights.values()) or 1.0
    own = sum(w for t, w in weights.items() if t in s.terms) / total
    ctx = sum(w for t, w in weights.items() if t in s.context and t not in s.terms) / total
    score = (
        tuning.W_SIMILARITY * max(s.similarity, tuning.W_FOCUS * s.focus)
        + tuning.W_TERMS * own
        + tuning.W_CONTEXT * ctx
        + tuning.W_RANK / (s.passage + 1)
    )
    if s.unit.kind == "field":
        score = score * tuning.FIELD_WEIGHT + _asked(s)
    return score


def _asked(s: Sentence) -> float:
    """A record field's gain (or loss) for how close its label is to what the question asks."""
    if s.unit.kind != "field":
        return 0.0
    return tuning.W_ASKED * (s.asked - tuning.ASKED_FLOOR)


def _rank(s: Sentence, scored: dict[int, float]) -> tuple[float, int, int]:
    """Order of preference: relevance, an uploaded claim counted UPLOAD_MARGIN lower so that
    curated evidence on the same point comes first; then passage rank and reading order."""
    upload = tuning.UPLOAD_MARGIN if s.hit.chunk.provenance == "upload" else 0.0
    return (scored[id(s)] - upload, -s.passage, -s.position)


def _about(
    part: Part, pool: list[Sentence], analysis: Analysis, read: dict[str, str]
) -> list[Sentence]:
    """Where a typed part's value is sought: the passages holding every name the part asks
    about, as typed or as linked ("how much Kernow Fund money": a sum in a passage naming the
    fund, and none read where the fund is not named when such a passage exists). The whole pool
    when the part names none or no passage holds them all."""
    own = signals.asked_of(part.text, analysis.names)
    if part.answer_type not in TYPED or not own:
        return pool
    holding: dict[str, bool] = {}
    for s in pool:
        if s.hit.chunk.chunk_id not in holding:
            text = _record_text(s.hit)
            holding[s.hit.chunk.chunk_id] = all(signals.holds(text, n, read.get(n, n)) for n in own)
    return [s for s in pool if holding[s.hit.chunk.chunk_id]] or pool


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
        # A count must count the asked thing: "five fire stations" does not say how many lives,
        # and "Glen Park" holds no parking spaces: the counted noun (its first plural, else its
        # last word) must be there.
        focus = set(terms(" ".join(part.focus)))
        counted = _counted(part.focus)
        if part.answer_type == "count" and (head := terms(counted)):
            focus = set(head)
            # A plural asked ("how many ambulances") is not counted by a number of another
            # plural; "how many of the vans are hybrid" is, by "12 vehicles".
            said = set(terms(part.text)) if _plural(counted) else None
            candidates = [s for s in candidates if _beside(s.unit.display(), focus, said)]
        if part.answer_type == "opinion":
            # Whose view is a name: all of it is said ("the Police Federation", not "police").
            candidates = [s for s in candidates if focus <= s.terms]
        else:
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
    # A typed part needs a close sentence holding its value, one of several parts a close
    # sentence; a question's only untyped part takes its best, and the decision weighs it.
    need = tuning.MIN_TYPED_RELEVANCE if typed else tuning.MIN_RELEVANCE if several else 0.0
    # A field's label orders the candidates; whether one is close enough is its evidence's call.
    return best if scored[id(best)] - _asked(best) >= need else None


def _beside(text: str, noun: set[str], said: set[str] | None) -> bool:
    """Whether a number (not a year, not a section number) stands within COUNT_WINDOW words of
    the counted noun: "65 were approved" of "115 bids" counts bids, "4.1 Engines" nothing.
    With `said` (the question's terms), a number whose own plural is none of them counts
    something else."""
    tokens = re.findall(r"[\w£$%.,'’-]+", re.sub(r"^\s*\d+(?:\.\d+)+\s", " ", text))
    at = [i for i, t in enumerate(tokens) if noun & set(terms(t))]
    numbers = [
        i
        for i, t in enumerate(tokens)
        if fits("count", t) and not (said is not None and _counts_other(tokens, i, said))
    ]
    return any(abs(i - j) <= tuning.COUNT_WINDOW for i in at for j in numbers)


def _counts_other(tokens: list[str], i: int, said: set[str]) -> bool:
    """Whether the number at i counts something the question does not ask about: the first
    plural right after it is none of its words ("four services: fire, police, ambulance" counts
    services, not ambulances)."""
    for t in tokens[i + 1 : i + 1 + tuning.NOUN_AFTER]:
        word = t.strip(".,").lower()
        if _plural(word):
            return not said & set(terms(word))
        if t[-1] in ".,":
            break  # the number's phrase ends here
    return False


def _plural(word: str) -> bool:
    """A plural noun, as far as its ending says ("bids", not "class", "bus" or "analysis")."""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _counted(focus: tuple[str, ...]) -> str:
    """The noun a count asks about: "spaces" in "car parking spaces", "bids" in "bids went"."""
    return next((w for w in focus if _plural(w)), focus[-1])


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
    return _reading_order(chosen, answering)


def _reading_order(chosen: list[Sentence], first: set[str] | None = None) -> list[Sentence]:
    """Curated evidence before uploads, the passages that answer (their chunk ids in `first`)
    before those that add to them, then in the order the passages were ranked and read."""
    return sorted(
        chosen,
        key=lambda s: (
            s.hit.chunk.provenance == "upload",
            first is not None and s.hit.chunk.chunk_id not in first,
            s.passage,
            s.position,
        ),
    )


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
        return Judgement("answered", projects=matching[: tuning.MAX_PROJECT_ROWS])
    weights = retrieval.weights
    relevant = [h for h in records if _hit_share(h, weights) >= tuning.PROJECT_ROW_SHARE]
    if not relevant:
        return None  # no record fits: the question is answered from prose, if at all
    return Judgement("answered", projects=relevant[: tuning.MAX_PROJECT_ROWS])


def _record_query(analysis: Analysis, retrieval: Retrieval) -> Judgement:
    """A question about a set of records is answered by exactly the records that match every
    condition; when none does, by saying which condition emptied the set."""
    records = retrieval.records or []
    if unlinked := _unlinked(analysis, retrieval):
        # A name no condition reads ("in Cumbria") must still be in the record itself.
        records = [h for h in records if all(_in_text(n, _record_text(h)) for n in unlinked)]
        if not records:
            reason = f"No project record in the evidence mentions {_join(unlinked)}."
            return Judgement("not_covered", missing=unlinked, reason=reason)
    if records:
        return Judgement("answered", projects=records)
    conditions = retrieval.understanding.conditions
    assert conditions is not None
    said = [words for words, _ in conditions.each()]
    reason = "No project record in the evidence is " + _join_all(said) + "."
    if retrieval.relaxed is not None:
        words, near = retrieval.relaxed
        names = "; ".join(f"{h.chunk.record_id} {h.chunk.title}" for h in near[:NEAREST])
        reason += f" Leaving out '{words}', {len(near)} match: {names}."
    return Judgement("not_covered", missing=["a project record " + _join_all(said)], reason=reason)


def _join_all(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


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


def _pinned(s: Sentence, analysis: Analysis, read: dict[str, str]) -> bool:
    """Whether the sentence's passage mentions a name or year the question names, as typed or
    in the form it was linked to (`read`: "FRS" is named by "fire and rescue services")."""
    if not analysis.names and not analysis.years:
        return True
    text = _record_text(s.hit)
    return any(signals.holds(text, n, read.get(n, n)) for n in analysis.names) or any(
        y in text for y in analysis.years
    )


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
