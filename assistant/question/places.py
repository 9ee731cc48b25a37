"""Places typed in lower case that the store never names ("in mansfield"), found with the
gazetteers of assistant/question/gazetteer.py and then weighed as the capitalised name would be.
"""

from __future__ import annotations

import re

from assistant.question.gazetteer import counties, nearest, places
from assistant.question.known import Known
from assistant.question.spelling import common_words, english_words

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
_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*")
# The words place names keep in lower case inside them ("Newcastle upon Tyne").
_JOINING = frozenset({"and", "by", "de", "en", "in", "la", "le", "of", "on", "the", "upon"})


def places_in(question: str, known: Known) -> list[str]:
    """Places typed in lower case that the store never names: a run of words that is a place,
    one of them a word the store never writes and no common English word; or one such word that
    is a place misspelt ("newcatsle") or a county's short form ("pembs", "northumb")."""
    tokens = _WORD.findall(question)
    common = common_words(COMMON_WORDS)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
            run = tokens[i : i + n]
            if " ".join(run) in places() and any(
                w not in common and not store_writes(w, known) for w in run
            ):
                out.append(" ".join(run))
                i += n
                break
        else:
            if _place_like(tokens[i], known):
                out.append(tokens[i])
            i += 1
    return out


def names_place(name: str) -> bool:
    """Whether a name is a place, holds one (no common English word) or misspells one."""
    low = name.lower()
    common = common_words(COMMON_WORDS)
    return low in places() or any(
        len(w) >= SHORT_LETTERS
        and w.isalpha()
        and w not in common
        and (w in places() or _misspelt(w))
        for w in low.split()
    )


def written(place: str) -> str:
    """A place typed in lower case as its name is written: "newcastle upon tyne" is Newcastle
    upon Tyne, "stratford-upon-avon" Stratford-upon-Avon."""
    parts = re.split(r"([\s-]+)", place)
    return "".join(p if i and p in _JOINING else p[:1].upper() + p[1:] for i, p in enumerate(parts))


def store_writes(word: str, known: Known) -> bool:
    """Whether the store writes the word itself, its spelling corrected: a place's name is no
    inflection of another word ("poole" is not "pooled")."""
    return known.speller.correct(word) in known.words


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
    place = nearest(word, 2 if len(word) >= MISSPELT_TWO else 1)
    return place is not None and place[0] == word[0]
