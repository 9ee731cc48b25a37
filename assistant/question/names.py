"""Names in a question linked to the words the store uses, before anything is decided.

Officers write "Glens", "NVAS" or "the jwg" where the documents write Glenshire, North Vale
Ambulance Service or the working group's full name. A name is linked, in order, by: the store
using it as typed; a short form the corpus profile gives; an abbreviation the documents define
themselves (Schwartz and Hearst's method); the initials of a capitalised run in the store; a
short form of a store word (its letters in order, same start: "Glens" of Glenshire); a word
typed without its middle (its first and last letters kept: "natl" of national); a close
spelling (rapidfuzz). An unlinked name weighs against answering; it decides nothing alone.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

# How a name was read: the forms that change the words searched are reported to the officer.
HOW = ("exact", "profile", "defined", "initials", "short_form", "contraction", "fuzzy", "unlinked")
REPORTED = frozenset({"defined", "initials", "short_form", "contraction", "fuzzy"})
# A short form keeps this many leading letters of its word: "Gle..." for Glenshire.
SHORT_PREFIX = 3
# A word is a name when the store writes it with a capital at least this share of the times
# it uses it inside a sentence ("Glenshire" always; a word only opening sentences never counts).
NAME_SHARE = 0.9
# A capitalised word after a lower-case word or a comma: inside a sentence.
_INSIDE = re.compile(r"(?<=[a-z0-9,)] )([A-Z][a-z][\w'’-]*)")
# A lower-case initialism needs this many letters and must be no English word ("ops", "gas").
INITIALS_MIN_LOWER = 3
# Short forms need this many letters; shorter ones ("ops") have too many readings.
SHORT_MIN = 4
# A contraction drops at least this many letters of its word ("assn" seven of association).
CONTRACTION_DROPS = 2
# rapidfuzz ratio for a misspelt name; below it a name is unlinked rather than guessed.
FUZZY_MIN = 88
# An English word among this many commonest is a word, not a short form ("keys" is not
# a town named Keyes); rarer ones may be.
COMMON = 15_000
# Capitalised runs read for initials: "North Vale Ambulance Service" -> NVAS; at most
# INITIALS_MAX words and letters.
INITIALS_MAX = 10
_RUN = re.compile(
    r"\b[A-Z][\w'’&-]*(?:,?\s+(?:(?:of|and|for|the|&)\s+)*[A-Z][\w'’&-]*){1,"
    + str(INITIALS_MAX - 1)
    + "}"
)
# A run's tail ("Sussex Emergency Services ..." of "Surrey and Sussex Emergency Services ...")
# is read for initials of at least this many letters: shorter ones have too many readings.
TAIL_MIN = 3
# Pairs of words hashed before they are folded into the sorted set of those the store writes.
PAIRS_BATCH = 1_000_000
_SMALL = frozenset({"of", "and", "for", "the", "&"})
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


@dataclass(frozen=True)
class Link:
    typed: str  # as the question has it
    read_as: str  # the store's form; the typed form when exact or unlinked
    how: str  # one of HOW
    known: bool = False  # the store uses the typed form itself
    # A name of several words the store uses each of but never in this order ("Charity
    # Commission" where it writes "charity" and "commission" apart): a body it may not name.
    unphrased: bool = False

    @property
    def linked(self) -> bool:
        return self.how != "unlinked"

    @property
    def expands(self) -> bool:
        """Whether the store's form differs from the typed one, so it is searched too."""
        return self.how != "exact" and self.linked and self.read_as.lower() != self.typed.lower()

    @property
    def reported(self) -> bool:
        return (
            self.how in REPORTED and not self.known and self.read_as.lower() != self.typed.lower()
        )


class Lexicon:
    """What names the store holds: its words, capitalised words, initials and definitions.

    Built in one pass over the stored texts when the store's index is built, so no question
    pays for it; the texts themselves are not kept.
    """

    def __init__(
        self,
        texts: Iterable[str],
        words: Mapping[str, int],
        english: frozenset[str] = frozenset(),
        common: frozenset[str] = frozenset(),
    ) -> None:
        self.words = words  # lower-case word -> how many chunks use it
        self.english = english  # general English words: never guessed as misspelt names
        self.common = common  # the commonest of them: read as short forms only when capitalised
        proper: Counter[str] = Counter()
        runs: dict[str, Counter[str]] = defaultdict(Counter)
        tails: dict[str, Counter[str]] = defaultdict(Counter)
        pairs: dict[str, Counter[str]] = defaultdict(Counter)
        define = _definitions()
        # Inside a sentence, how often each word is written with a capital and without.
        inside: Counter[str] = Counter()
        lower: Counter[str] = Counter()
        # Each two words written in a row, kept as sorted 8-byte hashes: millions of pairs in a
        # large store cost tens of MB, folded in batches so the pending ones stay few.
        self._pairs = np.empty(0, np.int64)
        pending = array("q")
        for text in texts:
            found = _WORD.findall(text)
            pending.extend(hash(p) for p in _pairs(found))
            if len(pending) >= PAIRS_BATCH:
                self._pairs = np.union1d(self._pairs, np.frombuffer(pending, np.int64))
                pending = array("q")
            proper.update(w for w in found if w[0].isupper() and len(w) > 2)
            inside.update(m.group(1).lower() for m in _INSIDE.finditer(text))
            lower.update(w for w in found if w[0].islower())
            for m in _RUN.finditer(text):
                run = [w for w in re.split(r"[\s,]+", m.group(0)) if w]
                # "The" opening a sentence is no part of the name that follows it.
                run = run[1:] if run[0].lower() in _SMALL else run
                letters = "".join(w[0].upper() for w in run if w.lower() not in _SMALL)
                if len(letters) >= 2:
                    runs[letters][" ".join(run)] += 1
                for i in range(1, len(run)):
                    tail = "".join(w[0].upper() for w in run[i:] if w.lower() not in _SMALL)
                    if run[i].lower() not in _SMALL and len(tail) >= TAIL_MIN:
                        tails[tail][" ".join(run[i:])] += 1
            if "(" in text:
                for short, long in define(doc_text=text).items():
                    pairs[short.lower()][" ".join(long.split())] += 1
        # Capitalised words as the store writes them, by lower case, the commonest spelling.
        self.proper: dict[str, str] = {}
        for word, _ in sorted(proper.items(), key=lambda kv: (-kv[1], kv[0])):
            self.proper.setdefault(word.lower(), word)
        self.initials = {k: _commonest(v) for k, v in runs.items()}  # "NVAS" -> its run
        # Initials of runs' tails, read when no whole run has them.
        self.tails = {k: _commonest(v) for k, v in tails.items() if k not in self.initials}
        self.defined = {k: _commonest(v) for k, v in pairs.items()}  # "jwg" -> its definition
        self._proper_keys = sorted(self.proper)
        self._pairs = np.union1d(self._pairs, np.frombuffer(pending, np.int64))
        self._word_keys = sorted(w for w in words if w.isalpha())
        # Words the store writes as names: with a capital inside sentences, nearly always.
        self.names = frozenset(
            w for w, n in inside.items() if n >= NAME_SHARE * (n + lower[w]) and len(w) > 2
        )

    def link(self, name: str, short_forms: Mapping[str, str] | None = None) -> Link:
        """The store's reading of one name (a word, a run of words, or an initialism);
        `short_forms` are the corpus profile's, lower-case short form -> long form."""
        low = name.lower().strip()
        if short_forms and low in short_forms:
            return Link(name, short_forms[low], "profile")
        words = re.findall(r"[\w'’]+", low)
        known = bool(words) and all(w in self.words or w.rstrip("s") in self.words for w in words)
        if low in self.defined:
            # What the documents define it as is searched too, wherever they spell it out.
            return Link(name, self.defined[low], "defined", known)
        if known and len(words) == 1 and low not in self.words and name.islower():
            # Known only as the plural of a fragment or a name ("lincs": "linc" is no English
            # word, "yorks": York takes no plural): read as the name it shortens, if one.
            single = low.rstrip("s")
            short = (
                self._short_form(low)
                if single not in self.english or single in self.names
                else None
            )
            # The name must start with the word without its "s" and be one plain word (an
            # initialism "maits" is no Maintenance, nor a "glens" a hyphenated Glen-Side).
            if short and short.isalpha() and short.lower().startswith(single):
                return Link(name, short, "short_form")
        if known and not (name.istitle() and len(words) == 1 and low not in self.proper):
            return Link(name, name, "exact", True, not self._written(_pairs(_WORD.findall(low))))
        if known:
            # A word typed as a name that the store only writes small ("Staffs" beside "staff")
            # is the name it shortens, when it shortens one.
            short = self._short_form(low)
            return Link(name, short, "short_form") if short else Link(name, name, "exact", True)
        letters = re.sub(r"[^A-Za-z]", "", name)
        # Initialisms are typed in capitals or, by officers in a hurry, in lower case ("nvas");
        # a lower-case one must be no English word.
        typed_as_initials = name.isupper() or (
            name.islower() and len(letters) >= INITIALS_MIN_LOWER and low not in self.english
        )
        if typed_as_initials and 2 <= len(letters) <= INITIALS_MAX:
            run = self.initials.get(letters.upper()) or self.tails.get(letters.upper())
            if run:
                return Link(name, run, "initials")
        if len(words) > 1:
            # An initialism among the words keeps its capitals ("AFR HQ"): read as initials.
            parts = [
                self.link(t if t.isupper() and len(t) > 1 else t.lower(), short_forms)
                for t in re.findall(r"[\w'’]+", name)
            ]
            if all(p.linked for p in parts):
                how = next((p.how for p in parts if p.how != "exact"), "exact")
                return Link(name, " ".join(p.read_as for p in parts), how)
            return Link(name, name, "unlinked")
        word = words[0] if words else ""
        # A common word is a word ("keys" is no Keyes) unless typed with a capital, as a name.
        named = name[:1].isupper()
        if word and (named or word not in self.common) and (short := self._short_form(word)):
            return Link(name, short, "short_form")
        if name.islower() and word not in self.english and (whole := self._contracted(word)):
            return Link(name, whole, "contraction")
        if len(word) > SHORT_MIN and word not in self.english and (near := self._near(word)):
            return Link(name, near, "fuzzy")
        return Link(name, name, "unlinked")

    def _written(self, pairs: set[tuple[str, str]]) -> bool:
        """Whether the store writes each of these pairs of words in a row somewhere."""
        wanted = np.array([hash(p) for p in pairs], np.int64)
        at = np.searchsorted(self._pairs, wanted)
        inside = at < len(self._pairs)
        return bool(inside.all() and (self._pairs[at[inside]] == wanted[inside]).all())

    def _short_form(self, word: str) -> str | None:
        """A capitalised store word this one shortens: same first letters, its letters in order
        ("glens" -> Glenshire, "dunsh" -> Dunshire); the commonest when several."""
        if len(word) < SHORT_MIN or not word.isalpha():
            return None
        stem = word[:-1] if word.endswith("s") else word
        prefix = word[:SHORT_PREFIX]
        # Only the words that start with the prefix: a slice of the sorted keys.
        start = bisect.bisect_left(self._proper_keys, prefix)
        end = bisect.bisect_left(self._proper_keys, prefix + "\uffff", start)
        found = [
            p for p in self._proper_keys[start:end] if len(p) > len(word) + 1 and _in_order(stem, p)
        ]
        if not found:
            return None
        best = max(found, key=lambda p: (self.words.get(p, 0), p.startswith(stem), p))
        return self.proper[best]

    def _contracted(self, word: str) -> str | None:
        """The store word this one contracts: its first letters and its last ones, the middle
        dropped ("assn" of association); the one keeping the most leading letters, then the
        commonest, when several."""
        if len(word) < SHORT_MIN or not word.isalpha():
            return None
        start = bisect.bisect_left(self._word_keys, word[0])
        end = bisect.bisect_left(self._word_keys, word[0] + "\uffff", start)
        found: dict[str, int] = {}
        for whole in self._word_keys[start:end]:
            if len(whole) < len(word) + CONTRACTION_DROPS:
                continue
            kept = [i for i in range(1, len(word)) if _splits(word, whole, i)]
            if kept:
                found[whole] = max(kept)
        if not found:
            return None
        return max(found, key=lambda w: (found[w], self.words.get(w, 0), w))

    def _near(self, word: str) -> str | None:
        found = process.extractOne(
            word, self._proper_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN
        )
        return self.proper[found[0]] if found and found[0][:2] == word[:2] else None


def _pairs(words: Iterable[str]) -> set[tuple[str, str]]:
    """Each two words in a row, lower case, the small words names hold left out ("Isle of Man":
    isle, man)."""
    kept = [low for low in (w.lower() for w in words) if low not in _SMALL]
    return set(itertools.pairwise(kept))


def _splits(short: str, long: str, at: int) -> bool:
    """Whether `short` is `long`'s first `at` letters and its last ones."""
    return long.startswith(short[:at]) and long.endswith(short[at:])


def _in_order(short: str, long: str) -> bool:
    """Whether the letters of `short` occur in `long` in order."""
    it = iter(long)
    return all(ch in it for ch in short)


def _commonest(counts: Counter[str]) -> str:
    """The most frequent form; ties by the form itself, so every process reads alike."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _definitions() -> Callable[..., dict[str, str]]:
    """Schwartz and Hearst's abbreviation finder, from the `abbreviations` package."""
    # The package configures the root logger when imported; keep ours as it is.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    from abbreviations import schwartz_hearst  # type: ignore[import-untyped]

    root.handlers, root.level = handlers, level
    find: Callable[..., dict[str, str]] = schwartz_hearst.extract_abbreviation_definition_pairs
    return find
