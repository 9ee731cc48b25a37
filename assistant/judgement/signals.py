"""The signals the answer decision weighs, each a number measured from the question's analysis,
its retrieval and the sentences that would answer it. None decides alone: the fitted model in
assistant/judgement/model.py combines them.
"""

from __future__ import annotations

import math
import re

from assistant.question.analysis import TYPED, Analysis, fits
from assistant.question.names import Link
from assistant.question.places import names_place
from assistant.question.spelling import english_words
from assistant.question.unknown import MIN_FOREIGN
from assistant.retrieval.retrieve import Hit, Retrieval, Sentence
from assistant.terms import STOPWORDS, terms

# The order the fitted model reads them in.
NAMES = (
    "best_relevance",
    "best_similarity",
    "chosen_similarity",
    "top_dense",
    "own_share",
    "passage_share",
    "asked_share",
    "asked_passage_share",
    "names_held",
    "unlinked",
    "unlinked_share",
    "unknown_share",
    "read_through_link",
    "year_absent",
    "typed",
    "typed_held",
    "parts_missing",
    "typed_missing",
    "search_agree",
    "lexical_top",
    "query_terms",
    "table",
    "names_absent",
    "names_unpinned",
    "names_uncovered",
    "english_unknown",
    "value_elsewhere",
    "unlinked_places",
    "names_unheld",
)


def measure(
    analysis: Analysis,
    retrieval: Retrieval,
    chosen: list[Sentence],
    pool: list[Sentence],
    unlinked: list[str],
    scored: dict[int, float] | None = None,
    table: bool = False,
) -> dict[str, float]:
    """Every signal, 0 where it cannot be measured."""
    weights = retrieval.weights
    total = sum(weights.values()) or 1.0
    names = {t for n in analysis.names for t in terms(n)} | {
        t for k in retrieval.links for t in terms(f"{k.typed} {k.read_as}")
    }
    # What is asked, beyond whom or what it is asked about: the question's other terms.
    asked = {t: w for t, w in weights.items() if t not in names}
    asked_total = sum(asked.values())
    chosen_terms = frozenset().union(*(s.terms for s in chosen)) if chosen else frozenset()
    passages = _passage_terms(chosen)
    hits = retrieval.hits
    top = hits[0] if hits else None
    unlinked_terms = set(terms(" ".join(unlinked)))
    resolved = {w.lower() for k in retrieval.links if k.linked for w in k.typed.split()}
    unknown_terms = set(terms(" ".join(w for w in retrieval.unknown if w not in resolved)))
    held = [n for n in analysis.names if any(_holds(s.hit, n) for s in chosen)]
    return {
        "best_relevance": max(scored.values()) if scored else 0.0,
        "best_similarity": max((s.similarity for s in pool), default=0.0),
        "chosen_similarity": max((s.similarity for s in chosen), default=0.0),
        "top_dense": max((h.dense for h in hits[:3]), default=0.0),
        "own_share": _share(chosen_terms, weights, total),
        "passage_share": _share(passages, weights, total),
        "asked_share": _share(chosen_terms, asked, asked_total) if asked_total else 1.0,
        "asked_passage_share": _share(passages, asked, asked_total) if asked_total else 1.0,
        "names_held": len(held) / len(analysis.names) if analysis.names else 1.0,
        "unlinked": float(len(unlinked)),
        "unlinked_share": sum(w for t, w in weights.items() if t in unlinked_terms) / total,
        "unknown_share": sum(w for t, w in weights.items() if t in unknown_terms) / total,
        "read_through_link": float(sum(k.reported for k in retrieval.links)),
        "year_absent": float(any(y in retrieval.unknown for y in analysis.years)),
        "typed": float(any(p.answer_type in TYPED for p in analysis.parts)),
        "typed_held": _typed_held(analysis, chosen),
        "parts_missing": 0.0,
        "typed_missing": 0.0,
        "value_elsewhere": 0.0,
        "search_agree": float(top is not None and top.dense > 0 and top.lexical_rank is not None),
        "lexical_top": 1.0 / (1 + top.lexical_rank)
        if top and top.lexical_rank is not None
        else 0.0,
        "query_terms": math.log1p(len(weights)),
        "table": float(table),
        # English words the store never uses: evidence on what they name would use them.
        "english_unknown": float(
            sum(
                len(w) >= MIN_FOREIGN and w in english_words() and w not in STOPWORDS
                for w in retrieval.unknown
                if w not in resolved
            )
        ),
        # A town or county the gazetteer knows and the store never names is a place elsewhere,
        # not a short form of one it does ("Omagh", not "Pembs").
        "unlinked_places": float(sum(names_place(n) for n in unlinked)),
        "names_unheld": float(sum(_unheld_phrase(k, retrieval) for k in retrieval.links)),
        **_names(analysis, retrieval, chosen, pool),
    }


def _unheld_phrase(link: Link, retrieval: Retrieval) -> bool:
    """A name of two or more words, each an English word or one the store uses, that the store
    never writes as such ("British Red Cross"): a body named in full that it does not name, not
    a short form of one it does."""
    words = [w for w in re.findall(r"[\w'’]+", link.typed.lower()) if w not in STOPWORDS]
    if len(words) < 2 or not (link.unphrased or not link.linked):
        return False
    return all(w in english_words() or w not in retrieval.unknown for w in words)


def _names(
    analysis: Analysis, retrieval: Retrieval, chosen: list[Sentence], pool: list[Sentence]
) -> dict[str, float]:
    """How the question's names and years stand in the evidence, each read as typed or as
    linked: never used at all, in no passage read, or in none of the chosen ones."""
    read = linked_forms(retrieval)
    forms = [(n, read.get(n, n)) for n in analysis.names] + [(y, y) for y in analysis.years]
    if not forms:
        return {"names_absent": 0.0, "names_unpinned": 0.0, "names_uncovered": 0.0}
    absent = [
        n
        for n in analysis.names
        if n not in read and all(w.lower() in retrieval.unknown for w in re.findall(r"[\w'’]+", n))
    ] + [y for y in analysis.years if y in retrieval.unknown]

    # Each passage once: its sentences share its text.
    texts = list(dict.fromkeys(record_text(s.hit) for s in pool))
    pinned = any(holds(t, n, f) for t in texts for n, f in forms)
    chosen_texts = list(dict.fromkeys(record_text(s.hit) for s in chosen))
    uncovered = [n for n, f in forms if not any(holds(t, n, f) for t in chosen_texts)]
    return {
        "names_absent": float(len(absent)),
        "names_unpinned": float(not pinned),
        "names_uncovered": len(uncovered) / len(forms),
    }


def elsewhere(
    values: list[tuple[str, Sentence]],
    analysis: Analysis,
    retrieval: Retrieval,
    pool: list[Sentence],
) -> float:
    """The share of asked values (each with the text of the part asking it) given by a passage
    that does not name what the part names, as typed or as linked ("eight were selected" read
    where the asked place is not). Only names some passage read holds count: one nothing
    stands for weighs through the other signals."""
    if not values or not analysis.names:
        return 0.0
    read = linked_forms(retrieval)
    texts = {id(s.hit): record_text(s.hit) for s in pool}
    held = [n for n in analysis.names if any(holds(t, n, read.get(n, n)) for t in texts.values())]
    if not held:
        return 0.0
    away = 0
    for part, s in values:
        # A part that names none of them ("and what did it cost") is about the question's.
        own = asked_of(part, held) or held
        away += not all(holds(record_text(s.hit), n, read.get(n, n)) for n in own)
    return away / len(values)


def asked_of(part: str, names: list[str] | tuple[str, ...]) -> list[str]:
    """The names a part of a question names itself ("and what did it cost" names none)."""
    return [n for n in names if n.lower() in part.lower()]


def holds(text: str, name: str, form: str) -> bool:
    """Whether a text names a question's name as typed or in the form it was linked to."""
    return in_text(name, text) or in_text(form, text)


def linked_forms(retrieval: Retrieval) -> dict[str, str]:
    """Each linked name of the question, as typed, to the store's form of it."""
    return {k.typed: k.read_as for k in retrieval.links if k.linked}


def _share(present: frozenset[str] | set[str], weights: dict[str, float], total: float) -> float:
    return sum(w for t, w in weights.items() if t in present) / (total or 1.0)


def _passage_terms(chosen: list[Sentence]) -> frozenset[str]:
    out: set[str] = set()
    for s in chosen:
        out |= s.context | set(terms(s.hit.chunk.text))
    return frozenset(out)


def _holds(hit: Hit, name: str) -> bool:
    text = f"{hit.chunk.title}\n{hit.chunk.section or ''}\n{hit.chunk.text}".lower()
    return all(w in text for w in name.lower().split())


def _typed_held(analysis: Analysis, chosen: list[Sentence]) -> float:
    typed = [p for p in analysis.parts if p.answer_type in TYPED]
    if not typed:
        return 1.0
    ok = [p for p in typed if any(fits(p.answer_type, s.unit.display()) for s in chosen)]
    return len(ok) / len(typed)


def record_text(hit: Hit) -> str:
    c = hit.chunk
    return f"{c.title}\n{c.section or ''}\n{c.region or ''}\n{c.text}"


def in_text(name: str, text: str) -> bool:
    """A name is in a text as typed, word by word (any order, plural or possessive), or as the
    initials of a capitalised run ("NVAS" for "North Vale Ambulance Service")."""
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


def _lexical_top(top: Hit | None) -> float:
    """How high BM25 put the first passage: 1 first, 0 when it did not find it."""
    return 1.0 / (1 + top.lexical_rank) if top and top.lexical_rank is not None else 0.0
