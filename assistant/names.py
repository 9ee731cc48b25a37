"""Names in a question linked to the words the store uses, before anything is decided.

Officers write "Glens", "NVAS" or "the jwg" where the documents write Glenshire, North Vale
Ambulance Service or the working group's full name. A name is linked, in order, by: the store
using it as typed; a short form the corpus profile gives; an abbreviation the documents define
themselves (Schwartz and Hearst's method); the initials of a capitalised run in the store; a
short form of a store word (its letters in order, same start: "Glens" of Glenshire); a
close spelling (rapidfuzz). An unlinked name weighs against answering; it decides nothing alone.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz, process

# How a name was read: the forms that change the words searched are reported to the officer.
HOW = ("exact", "profile", "defined", "initials", "short_form", "fuzzy", "unlinked")
REPORTED = frozenset({"defined", "initials", "short_form", "fuzzy"})
# A short form keeps this many leading letters of its word: "Gle..." for Glenshire.
SHORT_PREFIX = 3
# Short forms need this many letters; shorter ones ("ops") have too many readings.
SHORT_MIN = 4
# rapidfuzz ratio for a misspelt name; below it a name is unlinked rather than guessed.
FUZZY_MIN = 88
# An English word among this many commonest is a word, not a short form ("keys" is not
# a town named Keyes); rarer ones may be.
COMMON = 15_000
# Capitalised runs read for initials: "North Vale Ambulance Service" -> NVAS.
_RUN = re.compile(r"\b[A-Z][\w'’&-]*(?:,?\s+(?:(?:of|and|for|the|&)\s+)*[A-Z][\w'’&-]*){1,7}")
_SMALL = frozenset({"of", "and", "for", "the", "&"})
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


@dataclass(frozen=True)
class Link:
    typed: str  # as the question has it
    read_as: str  # the store's form; the typed form when exact or unlinked
    how: str  # one of HOW
    known: bool = False  # the store uses the typed form itself

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

    Built from the stored texts once per store version; each part on first use.
    """

    def __init__(
        self,
        texts: Iterable[str],
        words: Mapping[str, int],
        short_forms: Mapping[str, str],
        english: frozenset[str] = frozenset(),
        common: frozenset[str] = frozenset(),
    ) -> None:
        self._texts = list(texts)
        self.words = words  # lower-case word -> how many chunks use it
        self.short_forms = {k.lower(): v for k, v in short_forms.items()}
        self.english = english  # general English words: never guessed as misspelt names
        self.common = common  # the commonest of them: never read as short forms

    @cached_property
    def proper(self) -> dict[str, str]:
        """Capitalised words as the store writes them, by lower case, the commonest spelling."""
        counts: Counter[str] = Counter()
        for text in self._texts:
            counts.update(w for w in _WORD.findall(text) if w[0].isupper() and len(w) > 2)
        out: dict[str, str] = {}
        for word, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            out.setdefault(word.lower(), word)
        return out

    @cached_property
    def initials(self) -> dict[str, str]:
        """Initials of capitalised runs -> the commonest run with them."""
        runs: dict[str, Counter[str]] = defaultdict(Counter)
        for text in self._texts:
            for m in _RUN.finditer(text):
                words = [w for w in re.split(r"[\s,]+", m.group(0)) if w]
                letters = "".join(w[0].upper() for w in words if w.lower() not in _SMALL)
                if len(letters) >= 2:
                    runs[letters][" ".join(words)] += 1
        return {k: _commonest(v) for k, v in runs.items()}

    @cached_property
    def defined(self) -> dict[str, str]:
        """Abbreviations the documents define themselves: "Joint Working Group (JWG)"."""
        # The package configures the root logger when imported; keep ours as it is.
        root = logging.getLogger()
        handlers, level = list(root.handlers), root.level
        from abbreviations import schwartz_hearst  # type: ignore[import-untyped]

        root.handlers, root.level = handlers, level
        pairs: dict[str, Counter[str]] = defaultdict(Counter)
        for text in self._texts:
            if "(" not in text:
                continue
            found = schwartz_hearst.extract_abbreviation_definition_pairs(doc_text=text)
            for short, long in found.items():
                pairs[short.lower()][" ".join(long.split())] += 1
        return {
            k: sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for k, v in pairs.items()
        }

    @cached_property
    def _proper_keys(self) -> list[str]:
        return sorted(self.proper)

    def link(self, name: str) -> Link:
        """The store's reading of one name (a word, a run of words, or an initialism)."""
        low = name.lower().strip()
        if low in self.short_forms:
            return Link(name, self.short_forms[low], "profile")
        words = re.findall(r"[\w'’]+", low)
        known = bool(words) and all(w in self.words or w.rstrip("s") in self.words for w in words)
        if low in self.defined:
            # What the documents define it as is searched too, wherever they spell it out.
            return Link(name, self.defined[low], "defined", known)
        if known:
            return Link(name, name, "exact", True)
        letters = re.sub(r"[^A-Za-z]", "", name)
        if name.isupper() and 2 <= len(letters) <= 8 and letters in self.initials:
            return Link(name, self.initials[letters], "initials")
        if len(words) > 1:
            parts = [self.link(w) for w in words]
            if all(p.linked for p in parts):
                how = next((p.how for p in parts if p.how != "exact"), "exact")
                return Link(name, " ".join(p.read_as for p in parts), how)
            return Link(name, name, "unlinked")
        word = words[0] if words else ""
        if word and word not in self.common and (short := self._short_form(word)):
            return Link(name, short, "short_form")
        if len(word) > SHORT_MIN and word not in self.english and (near := self._near(word)):
            return Link(name, near, "fuzzy")
        return Link(name, name, "unlinked")

    def _short_form(self, word: str) -> str | None:
        """A capitalised store word this one shortens: same first letters, its letters in order
        ("glens" -> Glenshire, "dunsh" -> Dunshire); the commonest when several."""
        if len(word) < SHORT_MIN or not word.isalpha():
            return None
        stem = word[:-1] if word.endswith("s") else word
        found = [
            p
            for p in self._proper_keys
            if p.startswith(word[:SHORT_PREFIX]) and len(p) > len(word) + 1 and _in_order(stem, p)
        ]
        if not found:
            return None
        best = max(found, key=lambda p: (self.words.get(p, 0), p.startswith(stem), p))
        return self.proper[best]

    def _near(self, word: str) -> str | None:
        found = process.extractOne(
            word, self._proper_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN
        )
        return self.proper[found[0]] if found and found[0][:2] == word[:2] else None


def _in_order(short: str, long: str) -> bool:
    """Whether the letters of `short` occur in `long` in order."""
    it = iter(long)
    return all(ch in it for ch in short)


def _commonest(counts: Counter[str]) -> str:
    """The most frequent form; ties by the form itself, so every process reads alike."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
