"""Sentences as evidence units: the chunker splits long paragraphs with `split_sentences`, and
`units_of` turns a stored chunk into the units an answer can quote.

A unit is an exact span of its chunk's text, so a citation's quote always stands in its passage:
a prose sentence, a list with the line that introduces it, or one table row read under its
header. Headings, table headers, bare labels and link lines are kept as units too, marked as
carrying no content, so nothing downstream needs to recognise them again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The split is written here: spaCy's rule-based sentencizer, measured on the shipped corpus, cut
# numbered items from their text ("1." | "The hub opened.") and ran 30 times slower.
# Abbreviations that end with a full stop but do not end a sentence.
_ABBREV = {
    "e.g", "i.e", "etc", "cf", "vs", "mr", "mrs", "ms", "dr", "st", "no", 
    "inc", "ltd", "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "fig", "vol", "pp", "para", "ref", "prof", "rev", "gov",
}  # fmt: skip
_BOUNDARY = re.compile(r"(?<=[.!?;])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9£])")
_BULLET = re.compile(r"^\s*(?:[-–•*▪●]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
# "...was a barrier; and" or "...shared vision." at the end of a list item.
_TAIL = re.compile(r"(?:[;,]?\s+(?:and|or))?[.;,]*$")
_URL = re.compile(r"https?://|www\.|\S+@\S+\.\w")
# "The review found the following risks." announces what comes after it.
_ANNOUNCES = re.compile(r"\b(the following|as follows|listed below|set out below)\b", re.I)
_LABEL = re.compile(r"^[\w ()/&'’-]{1,40}:\s")
# Each label of a field line, at its start or after the stop that ends the one before.
_FIELD_LABEL = re.compile(r"(?:^|(?<=[.;]\s))([\w ()/&'’-]{1,40}?):\s")
# A content sentence has at least this many words: "See below." or "Page 4" say nothing.
MIN_WORDS = 4
# A run of more than this many words with no full stop is not prose but table text that the PDF
# layer flattened (English prose sentences rarely pass 40 words, and those end with a stop).
FRAGMENT_WORDS = 45
# "Label: value." lines up to this many words are record fields, longer ones are prose.
FIELD_WORDS = 12


def split_sentences(text: str) -> list[str]:
    """Split one line of prose into sentences, keeping each sentence's exact characters."""
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.start()]
        tail = candidate.rstrip(".!?;\"'”’)").rsplit(None, 1)
        last = tail[-1].lower().rstrip(".") if tail else ""
        if text[match.start() - 1] == "." and (last in _ABBREV or _initial(last)):
            continue
        if candidate.strip():
            out.append(candidate.strip())
        start = match.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def _initial(word: str) -> bool:
    """A single letter ("J." in "J. Smith") or a dotted short form ("U.K")."""
    return len(word) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


@dataclass(frozen=True)
class Unit:
    """One quotable span of a chunk."""

    text: str  # the exact characters of the chunk it quotes
    kind: str  # sentence | list | row | field | heading | header | label | link | fragment
    header: str | None = None  # for a row: its table's header line

    @property
    def labels(self) -> tuple[str, ...]:
        """A field's labels: "Theme" and "Region" of "Theme: co responding. Region: South West."."""
        if self.kind != "field":
            return ()
        return tuple(m.group(1).strip() for m in _FIELD_LABEL.finditer(self.text))

    @property
    def content(self) -> bool:
        """Whether the unit states something an answer can rest on."""
        return self.kind in ("sentence", "list", "row", "field")

    def display(self) -> str:
        """The unit as it reads in an answer: a row with its column names, a list inline."""
        if self.kind == "row" and self.header:
            names, cells = self.header.split(" | "), self.text.split(" | ")
            if len(names) == len(cells):
                pairs = "; ".join(f"{n}: {c}" for n, c in zip(names[1:], cells[1:], strict=True))
                return f"{cells[0]} ({names[0]}) — {pairs}" if pairs else cells[0]
            return self.text.replace(" | ", "; ")
        if self.kind == "list":
            head, *items = self.text.split("\n")
            bare = [_TAIL.sub("", _BULLET.sub("", i).strip()) for i in items]
            return f"{head.rstrip()} " + "; ".join(b for b in bare if b) + "."
        return _BULLET.sub("", self.text)


def units_of(text: str) -> list[Unit]:
    """The units of a chunk's text, in order."""
    lines = text.split("\n")
    units: list[Unit] = []
    header: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            header = None
            i += 1
            continue
        if " | " in line:
            if header is None:
                header = line
                units.append(Unit(line, "header"))
            elif _cells_words(line) == _cells_words(header):
                units.append(Unit(line, "header"))  # the header again, as a new page repeats it
            else:
                units.append(Unit(line, "row", header))
            i += 1
            continue
        header = None
        if stripped.endswith(":") and i + 1 < len(lines) and _BULLET.match(lines[i + 1]):
            # A line that announces a list quotes the whole list, so no item goes missing.
            j = i + 1
            while j < len(lines) and _BULLET.match(lines[j]):
                j += 1
            # The last item ends at its first sentence: a paragraph the PDF layer ran on into
            # it is not part of the list.
            last, *after = split_sentences(lines[j - 1]) or [lines[j - 1]]
            # Only the sentence that announces the list opens it; those before stand alone.
            *before, opening = _lead_joined(line) or [line]
            units += [Unit(t, _kind(t, line, lines, i)) for t in before]
            head = line[line.rfind(opening) :]
            units.append(Unit("\n".join([head, *lines[i + 1 : j - 1], last]), "list"))
            units += [Unit(t, _kind(t, lines[j - 1], lines, j - 1)) for t in after]
            i = j
            continue
        units += [Unit(s, _kind(s, line, lines, i)) for s in _lead_joined(line)]
        i += 1
    return units


def _cells_words(line: str) -> list[str]:
    """A table line's words, whatever cells the PDF layer cut them into."""
    return line.replace("|", " ").lower().split()


def _lead_joined(line: str) -> list[str]:
    """The sentences of a line, with a short lead-in ("– Wolverhampton." or "Background.")
    joined to the sentence it introduces, as one exact span of the line."""
    out: list[str] = []
    pending: str | None = None
    for sentence in split_sentences(line):
        if pending is not None:
            start = line.find(pending)
            sentence = line[start : line.find(sentence, start + len(pending)) + len(sentence)]
            pending = None
        if len(_BULLET.sub("", sentence).split()) < MIN_WORDS and sentence != line.strip():
            pending = sentence
            continue
        out.append(sentence)
    if pending is not None:
        out.append(pending)
    return out


def _kind(sentence: str, line: str, lines: list[str], i: int) -> str:
    words = sentence.split()
    if _URL.search(sentence):
        return "link"
    if sentence.endswith(":") or (_ANNOUNCES.search(sentence) and len(words) <= 12):
        return "label"  # announces something that is not in this unit
    ends = sentence.rstrip("\"'”’)").endswith((".", "!", "?", ";"))
    if not ends and len(words) <= 12 and sentence == line.strip():
        return "heading"  # a short line with no stop: a heading or a title
    if not ends and len(words) > FRAGMENT_WORDS:
        return "fragment"  # a long run with no stop: a table the PDF flattened, not prose
    if _LABEL.match(sentence) and len(words) <= FIELD_WORDS:
        return "field"  # "Lead: West Midlands Ambulance Service." is a record field
    if len(words) < MIN_WORDS:
        return "heading"
    return "sentence"


def quotable(text: str) -> list[tuple[int, Unit]]:
    """The prose, list and row units of a chunk's text with their positions among all its units:
    what is embedded at ingest. Record fields are matched by their words alone: "Status:
    operational." has no meaning a vector would add."""
    return [(i, u) for i, u in enumerate(units_of(text)) if u.content and u.kind != "field"]
