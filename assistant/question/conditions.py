"""A project question read as conditions over the record fields: region, status, services in and
out, theme, years, savings. Every value is read against the values the store's records really
hold, with the everyday words for them that the corpus profile gives; nothing here names a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from assistant.types import Chunk

# Words that ask for a set of records rather than one thing: plurals ("the X project" is one).
COLLECTION = re.compile(
    r"\b(projects|schemes|initiatives|pilots|programmes|trials|collaborations|collabs|records"
    r"|ones|examples|anything|stuff|entries|on (?:file|record))\b",
    re.I,
)
# A word that turns the condition after it around: "no fire", "without the police", "not pilots".
_NEGATION = re.compile(
    r"\b(no|not|without|excluding|except|other than|but not|minus|non|aren't|isn't|never)\b"
    r"[\s\w/,-]{0,32}$",
    re.I,
)
# "haven't got past planning" still means planning: the stage not passed is where it stands.
_NOT_PAST = re.compile(r"\b(?:not|n't)\s+(?:\w+\s+)?(?:past|beyond)\s+[\w\s]{0,12}$", re.I)
_COMPASS = ("north", "south", "east", "west")
# "purely fire", "only police": the services named and no others.
_ONLY = re.compile(r"\b(?:purely|only|solely|just|exclusively)\s+(?:the\s+)?$", re.I)
_YEAR = r"((?:19|20)\d\d)"
# An amount of money as officers type it: £500k, 1.5m, half a million, a mil.
_AMOUNT = re.compile(
    r"(?P<cur>£)?\s*(?P<num>half an?|an?|\d[\d,]*(?:\.\d+)?)\s*"
    r"(?P<unit>k\b|thousand|m\b|mn\b|mil\w*|bn\b|billion)?",
    re.I,
)
_MORE = r"(?:at least|over|more than|above|upwards of|greater than|min(?:imum)?(?: of)?|>=?|from)"
_LESS = r"(?:under|less than|below|up to|at most|no more than|max(?:imum)?(?: of)?|<=?|to)"
_SAVING = re.compile(r"\bsav(?:e|ed|es|ing|ings)\b", re.I)


@dataclass(frozen=True)
class RecordFacts:
    """What the store's records hold, for reading conditions against."""

    regions: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()

    @classmethod
    def of(cls, chunks: Iterable[Chunk]) -> RecordFacts:
        records = [c for c in chunks if c.record_id]
        return cls(
            regions=held(records, "region"),
            themes=held(records, "theme"),
            services=frozenset(s for c in records for s in c.services),
            statuses=held(records, "status"),
        )


def held(chunks: Iterable[Chunk], name: str) -> frozenset[str]:
    """The values of one single-valued field that these chunks hold."""
    return frozenset(v for c in chunks if (v := getattr(c, name)))


@dataclass(frozen=True)
class Words:
    """The everyday words for record values, from the corpus profile: value -> phrases."""

    services: Mapping[str, Sequence[str]] = field(default_factory=dict)
    service_groups: Mapping[str, Sequence[str]] = field(default_factory=dict)
    statuses: Mapping[str, Sequence[str]] = field(default_factory=dict)
    themes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    scope: Sequence[str] = ()  # phrases naming the whole scope, not one region
    aliases: Mapping[str, str] = field(default_factory=dict)  # short forms and demonyms -> values


@dataclass(frozen=True)
class Conditions:
    """What a matching record must hold. Empty tuples mean no condition on that field."""

    regions: tuple[str, ...] = ()  # any of
    themes: tuple[str, ...] = ()  # any of
    themes_out: tuple[str, ...] = ()  # none of
    services_in: tuple[str, ...] = ()  # all of
    services_out: tuple[str, ...] = ()  # none of
    statuses_in: tuple[str, ...] = ()  # any of
    statuses_out: tuple[str, ...] = ()  # none of
    year_from: int | None = None
    year_to: int | None = None
    savings_known: bool = False
    savings_min: float | None = None
    savings_max: float | None = None  # exclusive

    @property
    def on_savings(self) -> bool:
        """Whether any condition is on the records' savings."""
        return self.savings_known or self.savings_min is not None or self.savings_max is not None

    def is_empty(self) -> bool:
        return self == Conditions()

    def each(self) -> list[tuple[str, Conditions]]:
        """Each condition alone, in words, with the conditions that remain without it."""
        out: list[tuple[str, Conditions]] = []
        blank = Conditions()
        for name, lead, joint in (
            ("regions", "in", " or "),
            ("themes", "on", " or "),
            ("themes_out", "not on", " or "),
            ("services_in", "involving", " and "),
            ("services_out", "without", " or "),
            ("statuses_in", "with status", " or "),
            ("statuses_out", "not", " or "),
        ):
            value: tuple[str, ...] = getattr(self, name)
            if value:
                said = f"{lead} " + joint.join(v.replace("_", " ") for v in value)
                out.append((said, _replace(self, **{name: getattr(blank, name)})))
        if self.year_from is not None or self.year_to is not None:
            out.append((_years_words(self), _replace(self, year_from=None, year_to=None)))
        if self.on_savings:
            rest = _replace(self, savings_known=False, savings_min=None, savings_max=None)
            out.append((_savings_words(self), rest))
        return out

    def matches(self, chunk: Chunk) -> bool:
        if self.regions and chunk.region not in self.regions:
            return False
        if self.themes and chunk.theme not in self.themes:
            return False
        if chunk.theme in self.themes_out:
            return False
        if any(s not in chunk.services for s in self.services_in):
            return False
        if any(s in chunk.services for s in self.services_out):
            return False
        if self.statuses_in and chunk.status not in self.statuses_in:
            return False
        if chunk.status in self.statuses_out:
            return False
        if self.year_from is not None and (chunk.year is None or chunk.year < self.year_from):
            return False
        if self.year_to is not None and (chunk.year is None or chunk.year > self.year_to):
            return False
        needs_savings = self.savings_known or self.savings_min is not None
        if needs_savings and chunk.savings is None:
            return False
        if self.savings_min is not None and (chunk.savings or 0) < self.savings_min:
            return False
        return not (
            self.savings_max is not None
            and chunk.savings is not None
            and chunk.savings >= self.savings_max
        )


def _replace(c: Conditions, **changes: Any) -> Conditions:
    return replace(c, **changes)


def read(question: str, facts: RecordFacts, words: Words) -> Conditions | None:
    """The conditions of a question that asks for a set of records, or None when it does not."""
    text = question
    for phrase in words.scope:
        text = re.sub(re.escape(phrase), " ", text, flags=re.I)
    if not facts.regions | facts.themes | facts.statuses | facts.services:
        return None  # the store holds no records
    regions = {v.lower() for v in facts.regions}
    for short, long in words.aliases.items():
        # A demonym or short form of a value: "Glenish projects" are projects in Glenland.
        if long.lower() in regions:
            text = re.sub(rf"\b{re.escape(short)}\b", long, text, flags=re.I)
    if not COLLECTION.search(text):
        return None  # no set is asked for, so no condition is read
    themes, themes_out = _themes(text, facts.themes, words.themes)
    services_in, services_out = _services(text, facts.services, words)
    statuses_in, statuses_out = _statuses(text, facts.statuses, words.statuses)
    year_from, year_to = _years(text)
    known, least, most = _savings(text)
    conditions = Conditions(
        regions=_regions(text, facts.regions),
        themes=themes,
        themes_out=themes_out,
        services_in=services_in,
        services_out=services_out,
        statuses_in=statuses_in,
        statuses_out=statuses_out,
        year_from=year_from,
        year_to=year_to,
        savings_known=known,
        savings_min=least,
        savings_max=most,
    )
    if conditions.is_empty():
        return None
    return conditions


def _found(text: str, phrase: str, short: bool = False) -> list[re.Match[str]]:
    """Where a phrase stands in the text; with `short`, each word may be typed short ("south
    vale": a word's first three letters, then some of its letters in order)."""
    pattern = _phrase_pattern(phrase, short)
    return list(pattern.finditer(text)) if pattern is not None else []


@lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str, short: bool) -> re.Pattern[str] | None:
    # Compiled once per phrase: every question is read against every value the store holds.
    words = [w for w in re.split(r"[\s_-]+", phrase.strip()) if w]
    parts = [_short(w) if short and len(w) > 4 else re.escape(w) for w in words]
    if not parts:
        return None
    # "co responding", "co-responding" and "coresponding" are one phrase; plurals too.
    return re.compile(r"(?<![\w-])" + r"[\s-]?".join(parts) + r"(?:s|es)?(?![\w-])", re.I)


def _short(word: str) -> str:
    rest = "".join(f"(?:{re.escape(c)})?" for c in word[3:])
    return re.escape(word[:3]) + rest


def _negated(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start]
    return bool(_NEGATION.search(before)) and not _NOT_PAST.search(before)


def _regions(text: str, regions: frozenset[str]) -> tuple[str, ...]:
    out = [r for r in sorted(regions) if _found(text, r) or _found(text, r, short=True)]
    for r in sorted(regions):
        # Either side of a region named "X and the Y" names it alone ("Dale" projects).
        parts = re.split(r"\s+and\s+(?:the\s+)?", r)
        named = [p for p in parts if len(parts) > 1 and p.lower() not in _COMPASS]
        if any(_found(text, p) or _found(text, p, short=True) for p in named):
            out.append(r)
    for r in sorted(regions):
        words = r.split()
        letters = "".join(w[0] for w in words if w[0].isupper())
        # "SV" for South Vale: initials typed in capitals, of a region of two or more words.
        if len(letters) >= 2 and len(words) >= 2 and re.search(rf"\b{letters}\b", text):
            out.append(r)
    taken = " ".join(out).lower()
    for point in _COMPASS:
        # "the north" alone: every region whose name starts with it.
        if re.search(rf"\b(?:the\s+)?{point}(?:ern)?\b(?!\s+(?:{'|'.join(_COMPASS)}))", text, re.I):
            if point in taken:
                continue
            out += [r for r in sorted(regions) if r.lower().split()[0] == point]
    return tuple(dict.fromkeys(out))


def _themes(
    text: str, themes: frozenset[str], synonyms: Mapping[str, Sequence[str]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    out: list[str] = []
    outs: list[str] = []
    for theme in sorted(themes):
        label = re.sub(r"[_\s]+\d+$", "", theme).replace("_", " ")
        phrases = [label, *synonyms.get(theme, ())]
        # A label's first two words are enough: "control room" for control rooms 999.
        if len(label.split()) > 2:
            phrases.append(" ".join(label.split()[:2]))
        for m in (m for p in phrases for m in _found(text, p)):
            (outs if _negated(text, m.start()) else out).append(theme)
    outs = list(dict.fromkeys(outs))
    return tuple(t for t in dict.fromkeys(out) if t not in outs), tuple(outs)


def _services(
    text: str, services: frozenset[str], words: Words
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    ins: list[str] = []
    outs: list[str] = []
    for group, members in words.service_groups.items():
        if _found(text, group):
            ins += [m for m in members if m in services]
    only = False
    for service in sorted(services):
        for phrase in [service.replace("_", " "), *words.services.get(service, ())]:
            for m in _found(text, phrase):
                (outs if _negated(text, m.start()) else ins).append(service)
                only = only or bool(_ONLY.search(text[max(0, m.start() - 16) : m.start()]))
    if only:
        outs += [s for s in sorted(services) if s not in ins]
    outs = list(dict.fromkeys(outs))
    ins = [s for s in dict.fromkeys(ins) if s not in outs]
    return tuple(sorted(ins)), tuple(sorted(outs))


def _statuses(
    text: str, statuses: frozenset[str], synonyms: Mapping[str, Sequence[str]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    ins: list[str] = []
    outs: list[str] = []
    for status in sorted(statuses):
        for phrase in [status, *synonyms.get(status, ())]:
            for m in _found(text, phrase):
                (outs if _negated(text, m.start()) else ins).append(status)
    outs = list(dict.fromkeys(outs))
    return tuple(s for s in dict.fromkeys(ins) if s not in outs), tuple(outs)


def _years(text: str) -> tuple[int | None, int | None]:
    if m := re.search(rf"\bbetween {_YEAR} and {_YEAR}\b", text, re.I):
        return int(m.group(1)), int(m.group(2))
    year_from = year_to = None
    if m := re.search(rf"\b(since|from|after|starting in|started in|as of) {_YEAR}\b", text, re.I):
        year_from = int(m.group(2)) + (1 if m.group(1).lower() == "after" else 0)
    if m := re.search(rf"\b(before|until|up to|by|prior to) {_YEAR}\b", text, re.I):
        year_to = int(m.group(2)) - (1 if m.group(1).lower() in ("before", "prior to") else 0)
    if year_from is None and year_to is None and (m := re.search(rf"\b{_YEAR}\b", text)):
        year_from = year_to = int(m.group(1))
    return year_from, year_to


def amount(text: str) -> float | None:
    """An amount of money in pounds: "£500k", "half a mil", "1.5 million", "£2m"."""
    m = _AMOUNT.fullmatch(text.strip())
    if not m or not (m.group("cur") or m.group("unit")):
        return None
    num = m.group("num").lower()
    value = (
        0.5
        if num.startswith("half")
        else 1.0
        if num in ("a", "an")
        else float(num.replace(",", ""))
    )
    unit = (m.group("unit") or "").lower()
    if unit == "k" or unit == "thousand":
        value *= 1e3
    elif unit in ("m", "mn") or unit.startswith("mil"):
        value *= 1e6
    elif unit in ("bn", "billion"):
        value *= 1e9
    return value


def _savings(text: str) -> tuple[bool, float | None, float | None]:
    """Whether savings are asked about, and the least and most (exclusive) amounts asked."""
    if not _SAVING.search(text):
        return False, None, None
    least = most = None
    money = (
        r"(£?\s*(?:half an?|an?|\d[\d,]*(?:\.\d+)?)\s*"
        r"(?:k\b|thousand|m\b|mn\b|mil\w*|bn\b|billion)?)"
    )
    if (m := re.search(rf"\b{_MORE}\s+{money}", text, re.I)) and (v := amount(m.group(1))):
        least = v
    if (m := re.search(rf"(?:\b|(?<=\s)){_LESS}\s+{money}", text, re.I)) and (
        v := amount(m.group(1))
    ):
        most = v
    return True, least, most


def _years_words(c: Conditions) -> str:
    if c.year_from == c.year_to:
        return f"started in {c.year_from}"
    if c.year_to is None:
        return f"started in or after {c.year_from}"
    if c.year_from is None:
        return f"started in or before {c.year_to}"
    return f"started between {c.year_from} and {c.year_to}"


def _savings_words(c: Conditions) -> str:
    if c.savings_min is not None and c.savings_max is not None:
        return f"saving between £{c.savings_min:,.0f} and £{c.savings_max:,.0f}"
    if c.savings_min is not None:
        return f"saving at least £{c.savings_min:,.0f}"
    if c.savings_max is not None:
        return f"saving under £{c.savings_max:,.0f}"
    return "with a savings figure"
