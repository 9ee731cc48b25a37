"""Answerable questions from prose sentences and table rows: find a date, a sum of money, a count
or an acting organisation in a sentence, take it out, and ask for it."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from evals.generate.phrase import (
    AUX,
    DETERMINERS,
    IRREGULAR,
    PRONOUNS,
    KnowsWord,
    lower_first,
    question,
)

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = rf"(?:\d{{1,2}} (?:{MONTHS}) \d{{4}}|(?:{MONTHS}) \d{{4}}|(?:19|20)\d\d(?:/\d\d)?)"
_WHEN = re.compile(
    r"(?:(?<=\s)|^)(?:(?:[Ee]arly|[Ll]ate) )?"
    r"(?P<prep>[Ii]n|[Oo]n|[Ff]rom|[Ss]ince|[Bb]y|[Uu]ntil)\s+"
    rf"(?P<date>{DATE})(?![\d/–-])(?!\s+(?:to|and)\s+\d)"
)
_WH_OF = {
    "in": "when",
    "on": "on what date",
    "from": "from when",
    "since": "since when",
    "by": "by when",
    "until": "until when",
}
_MODIFIER = (
    r"(?:(?:over|about|around|nearly|almost|some|more than|at least|up to|approximately|"
    r"roughly|just over|just under) )?"
)
_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
_SCALE = r"(?: (?:million|billion|thousand)|m\b|bn\b|k\b)?"
_MONEY = re.compile(rf"(?P<mod>{_MODIFIER})(?P<fact>£(?:{_NUMBER}){_SCALE})")
_COUNT = re.compile(
    rf"(?P<mod>{_MODIFIER})(?P<fact>(?<![£\d.,])(?:{_NUMBER})(?: (?:million|thousand))?)"
    r"(?P<np>(?: [a-z][a-z-]*){1,5})"
)
_PERCENT = re.compile(rf"\bby (?P<mod>{_MODIFIER})(?P<fact>(?:{_NUMBER})(?:%| per cent))")
# Where a clause ends and a dependent or coordinate one begins.
_BREAK = re.compile(
    r",\s+(?:which|who|whose|where|while|whilst|and|but|so|although|though|because|as|with|"
    r"after|before|when|including|following|according)\b|;\s|\s[–—]\s|:\s"
    r"|,\s+(?=[a-z]+ing\b)|\s(?=and (?:the|a|an|its|their) )"
)
# Sentences that open with a dependent clause: the main clause is hard to find.
_SUBORDINATE = frozenset({
    "when", "if", "although", "as", "while", "whilst", "after", "before", "because", "since", "of",
    "with", "unless", "though", "once", "where", "whereas", "until",
})  # fmt: skip
_PREPOSITIONS = frozenset({
    "in", "on", "at", "by", "for", "from", "to", "of", "with", "over", "under", "between",
    "during", "within", "since", "until", "across", "after", "before", "about", "against", "among",
    "into", "through",
})  # fmt: skip
_INTRO = re.compile(r"^((?:In|At|Across|Within|Throughout|Under) [^,]{2,40}), ")
_DURATIONS = frozenset(
    ["years", "months", "weeks", "days", "hours", "minutes", "seconds", "decades"]
)
_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
# What may follow a figure that is a whole noun phrase (not "a £5 million project").
_AFTER_FIGURE = re.compile(
    r"^(?:$|[.,;:)]|\s(?:a|an|per|each|in|on|at|by|for|from|to|over|across|between|during|"
    r"within|since|until|with|annually|every|this|that|last|the)\b)"
)
_STOP = frozenset({
    "the", "a", "an", "of", "and", "or", "to", "in", "on", "for", "with", "by", "at", "from",
    "per", "each", "as", "that", "than", "this", "is", "are", "was", "were", "be", "been", "its",
    "their", "who", "which",
})  # fmt: skip
# English heads of organisation names: "Kent Fire and Rescue Service", "the Home Office".
ORG_HEADS = frozenset({
    "service", "services", "council", "police", "constabulary", "office", "government",
    "association", "agency", "authority", "trust", "university", "commission", "group",
    "department", "board", "partnership", "brigade", "institute", "college", "inspectorate",
    "committee", "society", "ministry", "executive", "fund", "treasury", "parliament", "assembly",
    "cabinet",
})  # fmt: skip
_ORG_SUBJECT = re.compile(
    r"^(?:The )?(?P<org>(?!The )[A-Z][\w'’-]*(?: (?:[A-Z][\w'’-]*|and|of|for|the))*? "
    r"[A-Z][\w'’-]*)(?P<rest> [a-z].*)$"
)


@dataclass(frozen=True)
class Draft:
    question: str
    facts: tuple[str, ...]
    rule: str
    kind: str = "factual"


def sentence_drafts(
    sentence: str, knows: KnowsWord, common: Callable[[str], bool], rng: random.Random
) -> Iterator[Draft]:
    """At most one question per kind of fact in the sentence, each asking for that fact."""
    # A parenthesis ("(ESCWG)", "(see below)") only lengthens the question.
    text = _PARENTHESIS.sub("", sentence.strip())
    words = text.split()
    if not 6 <= len(words) <= 45 or not text[:1].isupper() or not text.endswith("."):
        return
    first = words[0].lower().strip(",")
    if first in PRONOUNS or first in _SUBORDINATE or "http" in text or "?" in text:
        return
    if first.endswith(("ed", "ing")):
        return  # "Launched in 2012 and based at ...": the subject comes later
    for maker in (_when, _money, _count, _percent, _organisation, _person):
        draft = maker(text, knows, common, rng)
        if draft:
            yield draft


def _clause(text: str, start: int, end: int) -> tuple[str, bool] | None:
    """The clause around text[start:end] with that span taken out, and whether the span was
    the clause's opening; None when the span sits in a dependent clause."""
    cuts = [0, *(m.start() for m in _BREAK.finditer(text)), len(text)]
    for left, right in pairwise(cuts):
        if left <= start and end <= right:
            break
    else:
        return None
    segment_start = left
    if left:
        opener = _BREAK.match(text, left)
        lead = opener.group(0) if opener else ""
        if lead.strip(" ,") not in ("and", "but", ";") and not lead.startswith(";"):
            return None
        segment_start = left + len(lead)
    segment = text[segment_start:right]
    s, e = start - segment_start, end - segment_start
    intro = _INTRO.match(segment)
    if intro and intro.end() <= s:
        # "In South Wales, the project was set up in April 2014": the setting goes last.
        moved = intro.group(1)
        segment = segment[intro.end() :]
        s, e = s - intro.end(), e - intro.end()
        comma = segment.find(", ", e)
        end_at = comma if comma > 0 else len(segment)
        segment = f"{segment[:end_at].rstrip('.')} {moved[:1].lower()}{moved[1:]}{segment[end_at:]}"
    opening = not segment[:s].strip(" ,")
    if "," in segment[:s]:
        return None  # the span sits in an aside: "The Service, launched in 2012 and based at"
    if re.search(r"\band \w+ed\b", segment[:s]):
        return None  # the gap is in a second verb phrase: "carried out X and answered [gap]"
    before = segment[:s].split()
    if before and before[-1].lower() in _PREPOSITIONS | {"worth", "than"}:
        return None  # "estimated it at £5m", "worth £50m": the gap is not a whole phrase
    tail = segment[e:]
    if re.match(r",\s*(?:\d|and\b|or\b)", tail):
        return None  # the span is one item of a list: "52 police forces, 58 fire services"
    comma = tail.find(", ", 1)
    if comma > 0:
        tail = tail[:comma]  # what follows a later comma is another phrase
    clause = re.sub(r"\s+", " ", (segment[:s] + " " + tail).strip(" ,.;"))
    words = clause.split()
    if not words or (words[0].lower() in _PREPOSITIONS and not opening):
        return None  # "in the first six months the three teams added": no plain subject
    if sum(1 for w in words if w[:1].islower()) < 3:
        return None  # no verb phrase left: "the Emergency Services Collaboration Working Group"
    return clause, opening


def _anchored(clause: str) -> bool:
    """A clause an officer could ask about: long enough, and naming something (a capitalised
    word past the first, or a number) so the question is not "when was the scheme launched"."""
    words = clause.split()
    if not 4 <= len(words) <= 26 or words[0].lower() in PRONOUNS:
        return False
    return any(w[:1].isupper() or any(ch.isdigit() for ch in w) for w in words[1:])


def _when(text: str, knows: KnowsWord, common: Callable, rng: random.Random) -> Draft | None:
    for m in _WHEN.finditer(text):
        fact = m.group("date")
        if text.count(fact) != 1:
            continue
        found = _clause(text, m.start(), m.end())
        # Another date in the question would make it unclear which one is asked for.
        if found and _anchored(found[0]) and not re.search(DATE, found[0]):
            break
    else:
        return None
    clause, _ = found
    wh = _WH_OF[m.group("prep").lower()]
    if wh == "on what date" and not fact[:1].isdigit():
        wh = "when"
    asked = question(wh, lower_first(clause, common), knows, rng)
    return Draft(asked, (fact,), "sentence.date")


def _money(text: str, knows: KnowsWord, common: Callable, rng: random.Random) -> Draft | None:
    for m in _MONEY.finditer(text):
        fact = m.group("fact")
        if text.count(fact) != 1 or not _AFTER_FIGURE.match(text[m.end() :]):
            continue
        if re.search(r"\b(?:of|and|between|to)\s*$", text[: m.start()]) or text[
            m.end() :
        ].startswith(("–", "-", " to £", " and £")):
            continue  # "a saving of £5.2 million", "between £20m and £23m": not a whole figure
        found = _clause(text, m.start(), m.end())
        if not found:
            continue
        clause, opening = found
        if not _anchored(clause):
            continue
        if opening:
            if clause.split()[0] not in ("was", "were", "is", "are", "has", "had", "will"):
                continue
            return Draft(
                question("How much", clause, knows, rng, subject_gap=True),
                (fact,),
                "sentence.money",
            )
        return Draft(
            question("how much", lower_first(clause, common), knows, rng), (fact,), "sentence.money"
        )
    return None


def _count(text: str, knows: KnowsWord, common: Callable, rng: random.Random) -> Draft | None:
    for m in _COUNT.finditer(text):
        fact, np = m.group("fact"), _plural_np(m.group("np"))
        if not np or text.count(fact) != 1 or re.fullmatch(r"(19|20)\d\d", fact):
            continue
        if np.split()[-1] in _DURATIONS:
            continue  # "over 10 years": a span, and "over" is then no modifier
        if (
            re.search(r"(?i)\b(?:of|to|than)\s*$", text[: m.start()])
            or text[m.start() - 1 : m.start()] in "£$"
        ):
            continue
        end = m.start("np") + 1 + len(np)
        after = text[end:]
        if re.match(r"\s(?:and|or)\b", after) or not _AFTER_FIGURE.match(after):
            continue
        found = _clause(text, m.start(), end)
        if not found:
            continue
        clause, opening = found
        if not _anchored(clause):
            continue
        wh = f"how many {np}"
        if opening:
            if clause.split()[0][:1].isupper():
                continue
            return Draft(
                question(wh.capitalize(), clause, knows, rng, subject_gap=True),
                (fact,),
                "sentence.count",
            )
        return Draft(
            question(wh, lower_first(clause, common), knows, rng), (fact,), "sentence.count"
        )
    return None


def _plural_np(words: str) -> str | None:
    """The shortest run of the words that ends in a plural noun: "telephone calls a year" gives
    "telephone calls"; None when it meets a function word first."""
    out: list[str] = []
    for word in words.split():
        if word in _STOP and not (word == "and" and out):
            return None
        out.append(word)
        if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
            return " ".join(out) if out[-1] != "and" else None
    return None


def _percent(text: str, knows: KnowsWord, common: Callable, rng: random.Random) -> Draft | None:
    m = _PERCENT.search(text)
    if not m or text.count(m.group("fact")) != 1:
        return None
    found = _clause(text, m.start(), m.end())
    if not found or not _anchored(found[0]) or found[1]:
        return None
    return Draft(
        question("by how much", lower_first(found[0], common), knows, rng),
        (m.group("fact"),),
        "sentence.percent",
    )


def _organisation(
    text: str, knows: KnowsWord, common: Callable, rng: random.Random
) -> Draft | None:
    m = _ORG_SUBJECT.match(text.rstrip("."))
    if not m:
        return None
    org, rest = m.group("org"), m.group("rest").strip()
    if org.split()[-1].lower() not in ORG_HEADS or text.count(org) != 1:
        return None
    found = _clause(rest, 0, 0)
    if not found or len(found[0].split()) < 4 or not any(w[:1].isupper() for w in found[0].split()):
        return None  # "Which organisation was set up in 2014?" could be many
    verb = found[0].split()[0]
    if not (verb in AUX or verb in IRREGULAR or (verb.endswith("ed") and len(verb) > 4)):
        return None  # "East of England Ambulance Service crews used ...": not the subject
    which = rng.choice(("Which organisation", "Who", "Which body"))
    return Draft(
        question(which, found[0], knows, rng, subject_gap=True), (org,), "sentence.organisation"
    )


_NAME = r"(?:(?:Sir|Dame|Dr|Cllr|Lord|Baroness) )?[A-Z][a-z]+(?: [A-Z][a-z'’-]+){1,2}"
_ROLE = r"the (?:[a-z-]+ ){0,6}?(?:[a-z-]+|[A-Z][\w'’-]*(?: (?:[A-Z][\w'’-]*|and|of|for|the))*)"
_NAME_ROLE = re.compile(rf"(?:^|, |\b(?:by|with) )(?P<name>{_NAME}), (?P<role>{_ROLE}),")
_ROLE_NAME = re.compile(rf"(?:^|\s)(?P<role>{_ROLE}), (?P<name>{_NAME}),")


def _person(text: str, knows: KnowsWord, common: Callable, rng: random.Random) -> Draft | None:
    """ "David Lloyd, the Police and Crime Commissioner for Hertfordshire," asks who held the
    role; so does "the policing and fire minister, Mike Penning,"."""
    m = _NAME_ROLE.search(text) or _ROLE_NAME.search(text)
    if not m:
        return None
    name, role = m.group("name"), m.group("role")
    if name.split()[0].lower() in DETERMINERS or len(role.split()) < 3 or text.count(name) != 1:
        return None
    if not any(w[:1].isupper() for w in role.split()[1:]) and len(role.split()) < 4:
        return None  # "the chair" alone names no body
    verb = "is" if re.search(r"\b(?:is|are|has)\b", text) else "was"
    return Draft(_ask_who(verb, role, rng), (name,), "sentence.person")


def _ask_who(verb: str, role: str, rng: random.Random) -> str:
    return rng.choice((f"Who {verb} {role}?", f"Who {verb} {role} at the time?", f"Name {role}."))


def row_drafts(
    header: tuple[str, ...], cells: tuple[str, ...], rng: random.Random
) -> Iterator[Draft]:
    """A table row asked about column by column: "What is the area of Sussex Control Centre?"."""
    if len(header) != len(cells) or len(cells) < 2 or not all(cells):
        return
    key = cells[0]
    if len(key.split()) > 10:
        return
    for name, value in zip(header[1:], cells[1:], strict=True):
        if not 1 <= len(value.split()) <= 8 or re.fullmatch(r"[A-Z]\d{2,4}", value):
            continue
        named = any(w[:1].isupper() or any(c.isdigit() for c in w) for w in value.split()[1:])
        if not (named or any(c.isdigit() for c in value)):
            continue  # a description, not a fact that can be checked word for word
        col = name.strip().lower()
        if len(col.split()) > 3 or col.split()[0] in ("what", "how", "why", "who"):
            continue
        verb = "are" if col.endswith("s") and not col.endswith("ss") else "is"
        asked = rng.choice(
            (f"What {verb} the {col} for {key}?", f"For {key}, what {verb} the {col}?")
        )
        yield Draft(asked, (value,), "table.cell")


_ITEM = re.compile(r"^\s*(?:[-–•*]|\(?\d{1,2}[.)])\s+")


def list_drafts(lead: str, items: tuple[str, ...], rng: random.Random) -> Iterator[Draft]:
    """A list and the line that announces it: "The 2015 research listed six barriers — what
    were they?", with the items' short names as the facts."""
    lead = lead.strip().rstrip(":").strip()
    words = lead.split()
    if not 4 <= len(words) <= 20 or words[0].lower() in PRONOUNS or "http" in lead:
        return
    names = []
    for item in items:
        bare = _ITEM.sub("", item).strip()
        name = re.split(r"[.:;(]", bare, maxsplit=1)[0].strip(" ,")
        if 1 <= len(name.split()) <= 8:
            names.append(name)
    if len(names) < 2:
        return
    past = re.search(r"\b(?:was|were|had|listed|named|identified|set|gave|found)\b", lead)
    ask = rng.choice(
        ("what were they?", "which were they?") if past else ("what are they?", "which are they?")
    )
    yield Draft(f"{lead[:1].upper()}{lead[1:]} — {ask}", tuple(names[:3]), "list.items", "list")
