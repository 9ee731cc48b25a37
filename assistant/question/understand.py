"""Understand a question, before anything is retrieved: cleaned and masked, with a follow-up's
context, analysed, and read against what the store holds (its names and unknown words linked, the
conditions it sets on project records, the words and places the store never uses).

`understand` is the stage's one entry; what it knows of the store comes in as `Known`, taken from
the retriever's snapshot of the store, so a question is read against the store it is answered from.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from assistant.errors import BadInput
from assistant.privacy import KINDS, redact
from assistant.profile import Profile
from assistant.question.analysis import (
    TYPED,
    Analysis,
    analyse,
    asked_concept,
    names_in,
    with_context,
)
from assistant.question.gazetteer import places
from assistant.question.known import Known
from assistant.question.names import Link
from assistant.question.places import places_in, store_writes
from assistant.question.records import RecordQuery, collection, read_records, words_of
from assistant.question.spelling import common_words, english_words
from assistant.question.unknown import COMMON_WORDS, common_unknown, foreign_words, unknown_words
from assistant.sanitize import strip_invisible
from assistant.terms import STOPWORDS, words
from assistant.types import Ask

MAX_QUESTION_CHARS = 2000
# Links that read a typed word as a name of the store.
_NAMING = frozenset({"initials", "short_form", "defined"})
# Readings a corrected typo may not bring: a misspelt "where" is read as "were" as easily.
_NOT_FROM_TYPOS = frozenset({"yes_no", "explanation", "comparison"})
# Links that read a typed word as a store word, whatever the speller makes of it.
_EXPANDING = _NAMING | {"profile", "contraction"}
_MASK = re.compile(r"\[(?:" + "|".join(KINDS.values()) + r")\]")


@dataclass(frozen=True)
class Understood:
    question: str  # as asked, cleaned, personal details masked
    search: str  # what retrieval searches: with a follow-up's context and what short forms mean
    analysis: Analysis
    records: RecordQuery  # whether it asks for project records, and on what conditions
    # The question's names and unknown words as read against the store.
    links: tuple[Link, ...] = ()
    unknown: frozenset[str] = frozenset()  # question words the store never uses
    # Places typed in lower case that the store never names ("in australia").
    foreign: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()  # kinds of personal data found in it and masked
    # The names it pins (a follow-up's, with those of its earlier turns), as typed and as the
    # store writes them, and what it asks of them: the question without its names ("where and
    # when was the first meeting"), "" when it names none.
    named: tuple[str, ...] = ()
    focus: str = ""


def understand(ask: Ask, known: Known, profile: Profile | None = None) -> Understood:
    """The question cleaned and masked, with a follow-up's context, analysed, and read against
    what the store knows."""
    profile = profile or Profile.empty()
    masked = redact(clean(ask.question, profile))
    # The masks ("[email]") carry no meaning for retrieval or analysis.
    question = " ".join(_MASK.sub(" ", masked.text).split()) if masked.kinds else masked.text
    in_context = with_context(question, ask.history)
    short_forms = {k.lower(): v for k, v in profile.short_forms.items()}
    links = _links(in_context, known, short_forms)
    # What the question's short forms and initialisms stand for is searched too.
    read = " ".join(k.read_as for k in links if k.expands)
    # A list asked for in everyday words ("what stops...") is searched under its name too.
    concept = asked_concept(question)
    if concept:
        read = f"{read} {concept}".strip()
    # A word read as a name's short form is that name, not a typo ("glens" is no "glues").
    keep = frozenset(
        w.lower() for k in links if k.linked and k.how != "exact" for w in k.typed.split()
    )
    asked = known.speller.corrected(in_context, keep)
    # A question that stands alone is its own context: its correction is already made.
    fixed = asked if in_context == question else known.speller.corrected(question, keep)
    for k in links:
        if k.expands:
            # Beside the typed form, so the reading stays where it was typed ("not police"
            # does not reach it) and the typed word still counts ("collabs" asks for a set).
            asked = re.sub(rf"\b{re.escape(k.typed)}\b", rf"\g<0> {k.read_as}", asked)
    records = read_records(asked, known.vocabulary, words_of(profile))
    lower_places = places_in(question, known)
    # A place's words the store never writes are unknown, though another word stems like them.
    unknown = unknown_words(in_context, known) | {
        w for p in lower_places for w in p.split() if not store_writes(w, known)
    }
    foreign = foreign_words(in_context, known)
    if records.conditions is not None:
        # A common word the store never uses ("border force") names what no record is about;
        # the words the conditions were read from are not that.
        said = _said(profile) | {w.lower() for k in links if k.linked for w in k.typed.split()}
        # A day of the week says when the asker needs it ("by friday"), not what a record is.
        days = {d.lower() for d in calendar.day_name}
        heard = [
            w
            for w in common_unknown(unknown)
            if w not in said and not collection(w) and w not in days
        ]
        foreign = tuple(dict.fromkeys([*foreign, *heard]))
    analysis = _as_list(
        _with_store_names(_analysed(question, fixed), question, known, links, lower_places),
        concept,
    )
    named = _named(analysis.names + _earlier_names(question, in_context, known, links), links)
    return Understood(
        question=question,
        search=f"{in_context} {read}" if read else in_context,
        analysis=analysis,
        records=records,
        links=links,
        unknown=unknown,
        foreign=foreign,
        personal=masked.kinds,
        named=named,
        focus=_focus(fixed, analysis.names) if named else "",
    )


def _earlier_names(
    question: str, in_context: str, known: Known, links: tuple[Link, ...]
) -> tuple[str, ...]:
    """The names a follow-up's earlier turns pin: what its own words ask of ("when did fire
    move in there" asks it of the building named before); () for a question on its own."""
    earlier = in_context[len(question) :].strip()
    if not earlier:
        return ()
    read = _with_store_names(analyse(earlier), earlier, known, links, places_in(earlier, known))
    return read.names


def _named(names: tuple[str, ...], links: tuple[Link, ...]) -> tuple[str, ...]:
    """The question's names as typed, and as the store writes those it reads another way."""
    typed = {n.lower() for n in names}
    read = [k.read_as for k in links if k.expands and k.typed.lower() in typed]
    return tuple(dict.fromkeys([*names, *read]))


def _focus(question: str, names: tuple[str, ...]) -> str:
    """The question without its names: what it asks of them. "" when nothing else is asked."""
    rest = question
    for name in sorted(names, key=len, reverse=True):
        rest = re.sub(rf"(?i)(?<!\w){re.escape(name)}(?:['’]s)?(?!\w)", " ", rest)
    rest = " ".join(rest.split())
    return rest if any(w not in STOPWORDS for w in words(rest)) else ""


def _analysed(question: str, fixed: str) -> Analysis:
    """The question's parts read through its typos (`fixed` is the question corrected: "whch
    area" asks for a place, "lves" are lives); its names and years as typed. A correction that
    turns a question word into another kind of word ("wehre" to "were") is not taken."""
    analysis = analyse(question)
    if fixed == question:
        return analysis
    read = analyse(fixed)
    before = {p.answer_type for p in analysis.parts}
    if any(p.answer_type in _NOT_FROM_TYPOS and p.answer_type not in before for p in read.parts):
        return analysis
    return replace(
        analysis,
        parts=read.parts,
        wants_list=analysis.wants_list or read.wants_list,
        listed=analysis.listed or read.listed,
    )


def _as_list(analysis: Analysis, concept: str | None) -> Analysis:
    """A question naming nothing that asks what holds things back or helps them along asks for
    the list research names so; one naming a project asks for what its own record says."""
    if concept is None or analysis.names or analysis.parts[0].answer_type in TYPED:
        return analysis
    return replace(analysis, wants_list=True, listed=concept)


def _said(profile: Profile) -> set[str]:
    """Every word of the profile's everyday words for services, statuses, themes and scope."""
    tables = (profile.services, profile.service_groups, profile.statuses, profile.themes)
    phrases = [p for t in tables for k, v in t.items() for p in (k, *v)]
    phrases += [*profile.scope, *profile.short_forms, *profile.short_forms.values()]
    return {w for p in phrases for w in words(p)}


def _with_store_names(
    analysis: Analysis,
    question: str,
    known: Known,
    links: tuple[Link, ...],
    lower_places: list[str],
) -> Analysis:
    """The analysis with the names typed in lower case: runs of words the store writes as names
    ("north vale"), and short forms and initialisms linked to the store ("glens")."""
    found: list[str] = []
    run: list[str] = []
    for m in re.finditer(r"[\w'’-]+|[^\w\s]", question):
        word = m.group(0)
        if word.islower() and word in known.lexicon.names:
            run.append(word)
            continue
        found.append(" ".join(run))
        run = []
    found.append(" ".join(run))
    # One common English word the store capitalises ("panel" of a Panel) is a word, not a name,
    # unless it is a place.
    found = [
        n for n in found if " " in n or (n and (n not in known.lexicon.common or n in places()))
    ]
    found += [k.typed for k in links if k.how in _NAMING and k.typed.islower()]
    # A place typed in lower case that the store never names ("in mansfield") is weighed as the
    # same name typed with a capital would be.
    found += lower_places
    typed = {w.lower() for n in analysis.names for w in n.split()}
    extra = [n for n in dict.fromkeys(found) if not set(n.split()) <= typed]
    return replace(analysis, names=analysis.names + tuple(extra)) if extra else analysis


def clean(question: str, profile: Profile | None = None) -> str:
    """The question with invisible characters removed and whitespace collapsed; refused when
    empty or too long."""
    question = " ".join(strip_invisible(question).split())
    if not question:
        about = (profile or Profile.empty()).about
        raise BadInput(f"the question is empty; ask something about {about}")
    if len(question) > MAX_QUESTION_CHARS:
        raise BadInput(
            f"the question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}"
        )
    return question


def _links(question: str, known: Known, short_forms: Mapping[str, str]) -> tuple[Link, ...]:
    """The question's names, and its words the store never uses, each linked to the store."""
    named = names_in(question)
    inside = {w.lower() for n in named for w in re.findall(r"[\w'’]+", n)}
    loose = [
        w
        for w in words(question)
        if w not in inside and w not in STOPWORDS and len(w) >= 3 and w.isalpha()
    ]
    out = []
    for n in dict.fromkeys([*named, *loose]):
        used = n not in named and known.uses(n)
        if used and (n in known.words or n in english_words()):
            continue  # used as typed, or an English word: nothing to link
        link = known.lexicon.link(n, short_forms)
        if used:
            # The store uses it only after spelling correction ("wilts" -> "wilt"): linked only
            # when it reads as a name's initials or leading letters (Wiltshire).
            if _shortened(n, link, known.lexicon.names):
                out.append(link)
        # A word the speller would change is a typo unless it reads as a name ("glens" is
        # Glenshire, not "glen").
        elif n in named or known.speller.correct(n) == n or link.how in _EXPANDING:
            out.append(link)
    return tuple(out)


def _shortened(word: str, link: Link, names: frozenset[str]) -> bool:
    """Whether a link reads a word as a name's initials or its leading letters; `names` are
    the words the store writes with a capital inside its sentences."""
    if link.how in ("initials", "defined", "profile"):
        return True
    stem = word[:-1] if word.endswith("s") else word
    # A name, not a common word the store writes with a capital ("stattions" is no "Station's").
    read = re.sub(r"['’]s$", "", link.read_as.lower())
    common = common_words(COMMON_WORDS)
    # A common English word the store always writes as a name is that name ("dales": the Dales).
    plain = read not in common and read.rstrip("s") not in common
    return link.how == "short_form" and read.startswith(stem) and (plain or read in names)
