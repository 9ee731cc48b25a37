"""Words of a question the store never uses: unknown words, and places typed in lower case that
the evidence does not speak of ("in australia")."""

from __future__ import annotations

import re

from assistant.question.known import Known
from assistant.question.spelling import common_words
from assistant.terms import STOPWORDS, terms, words

# Words shorter than this never count as foreign: "ask", "use" and the like say little.
MIN_FOREIGN = 4
# Only the COMMON_WORDS most frequent English words count as foreign when the store never uses
# them: evidence on "australia" or "scottish" services would use those words, while rarer words
# ("hindered", "drawbacks") are more often another way of saying what the evidence says
# (set by reading which of the tune split's and hand-typed questions' unknown words were which).
COMMON_WORDS = 8000
# A word of place and the one or two words it governs: "in northern ireland", "from australia";
# not when a question word, determiner or quantifier follows it ("from what little there was").
_PLACE = re.compile(
    r"\b(?:in|from|across|throughout|outside|within|around)\s+(?:the\s+)?"
    r"(?!(?:what|which|who|whom|whose|this|that|these|those|its|their|his|her|our|my|your|any"
    r"|some|each|every|all|no|little|few|much|many)\b)([a-z]+(?:\s+[a-z]+)?)"
)
# General English words that shape a question without naming a topic: never foreign.
_FUNCTION_WORDS = frozenset(
    """besides apart including except regarding around within without towards across along among
    amongst beyond despite throughout upon versus whether although however therefore already
    currently still ever never often usually really actually exactly roughly approximately
    percentage proportion number amount total figure figures average rate share level levels
    happen happened happens kind kinds sort type types example examples detail details thing
    things anything something everything else main best worst most least please thanks tell
    know need want like much many more less year years month months week weeks today got gotten
    haven hasn didn doesn isn wasn aren weren""".split()  # noqa: SIM905
)


def unknown_words(question: str, known: Known) -> frozenset[str]:
    """Words of the question the store never uses, even after spelling correction, in any
    inflection."""
    return frozenset(w for w in words(question) if not known.uses(w))


def foreign_words(question: str, known: Known) -> tuple[str, ...]:
    """Places typed in lower case ("in australia", "across northern ireland"): common English
    words after a word of place that the store never uses."""
    out = []
    for match in _PLACE.finditer(question.lower()):
        place = [
            w
            for w in match.group(1).split()
            if len(w) >= MIN_FOREIGN
            and w not in STOPWORDS
            and w not in _FUNCTION_WORDS
            and w in common_words(COMMON_WORDS)
            and not any(t in known.terms for t in terms(known.speller.correct(w)))
        ]
        if place:
            out.append(" ".join(place))
    return tuple(dict.fromkeys(out))


def common_unknown(unknown: frozenset[str]) -> list[str]:
    """Unknown words that are common English content words ("armed", "border"): evidence
    naming that thing would use them, so nothing in the store is about it."""
    common = common_words(COMMON_WORDS)
    return sorted(
        w
        for w in unknown
        if len(w) >= MIN_FOREIGN and w in common and w not in STOPWORDS and w not in _FUNCTION_WORDS
    )
