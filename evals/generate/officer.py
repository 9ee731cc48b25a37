"""Officers'-wording twins of generated questions: the same question, with the same expected
outcome, typed the way officers type. Every change is a general rule of English or of British
usage, never a form copied from a store: initials of a capitalised name, its leading part, the
customary short form of a county (a general gazetteer), everyday synonyms and abbreviations,
lower case, no question mark, one typo, a clause saying why it is asked, and for some a
follow-up that names the thing in a first turn and asks about "it".

    python -m evals.generate.officer       # generated-{tune,test}.jsonl -> *-officer.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from evals.generate.gazetteer import COUNTY_SHORT

DATASETS = Path(__file__).resolve().parents[1] / "datasets"
SEED = 29
SUFFIX = "-of"
# How often each change is made, when it can be.
RATES = {
    "name": 0.85,
    "synonym": 0.6,
    "lower": 0.8,
    "no_mark": 0.8,
    "typo": 0.5,
    "context": 0.4,
    "follow_up": 0.2,
}
# Requests that carry no name: asking them as a follow-up would make no sense.
NO_FOLLOW_UP = ("remit.", "injection.")

# Words that start a sentence with a capital without being part of a name.
_SENTENCE_WORDS = frozenset({
    "what", "when", "who", "whom", "whose", "which", "how", "where", "why", "is", "are", "was",
    "were", "did", "does", "do", "can", "could", "would", "should", "will", "has", "have", "had",
    "tell", "give", "list", "name", "show", "for", "in", "on", "at", "by", "from", "the", "a",
    "an", "i", "also", "and", "or", "but", "if", "as", "of", "to", "please", "any", "my", "we",
})  # fmt: skip
# Lower-case words that may sit inside a name ("Fire and Rescue Service").
_CONNECTORS = frozenset({"and", "of", "the", "for", "&"})
_CAPITAL = re.compile(r"^[A-Z][\w'’&.-]*$")
_VOWELS = frozenset("aeiouy")
# English nouns that close the name of an undertaking; a name may be said without one.
GENERIC_HEADS = frozenset({
    "programme", "project", "scheme", "partnership", "service", "services", "centre", "academy",
    "hub", "pilot", "unit", "initiative", "network", "group", "board", "team", "fund", "review",
    "strategy", "trial", "protocol", "station", "headquarters",
})  # fmt: skip

# Everyday synonyms and abbreviations of common English words (lower-case occurrences only, so
# names stay whole). General usage, written for this module.
SYNONYMS: dict[str, str] = {
    "started": "kicked off",
    "start": "kick off",
    "begin": "get going",
    "began": "got going",
    "launched": "rolled out",
    "project": "scheme",
    "projects": "schemes",
    "region": "area",
    "organisation": "org",
    "organisations": "orgs",
    "government": "govt",
    "department": "dept",
    "headquarters": "HQ",
    "operational": "ops",
    "operations": "ops",
    "communications": "comms",
    "approximately": "approx",
    "year": "yr",
    "years": "yrs",
    "number": "no.",
    "people": "ppl",
    "information": "info",
    "committee": "cttee",
    "station": "stn",
    "stations": "stns",
    "joint": "shared",
    "funded": "paid for",
    "funding": "money",
    "approved": "signed off",
    "agreed": "signed off",
    "involve": "include",
    "involved": "included",
    "collaboration": "joint working",
    "staff": "personnel",
    "savings": "money saved",
    "saved": "cut",
    "ended": "wound up",
    "closed": "shut",
    "running": "going",
    "first": "1st",
    "second": "2nd",
    "with": "w/",
    "because": "as",
    "emergency services": "blue light services",
    "ambulance service": "ambo service",
}
_SYNONYM = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)) + r")\b"
)

# Why an officer says they ask: before the question, or after it.
CONTEXT_BEFORE = (
    "for a board paper: ",
    "my chief asked - ",
    "prepping a briefing for the commissioner, ",
    "need this for a cttee report: ",
    "writing up options for the exec team - ",
    "ahead of the joint panel on weds, ",
    "the ACC wants to know ",
    "drafting a paper for the PCC - ",
)
CONTEXT_AFTER = (
    " - for a board paper",
    " (my chief asked)",
    ", need it for a briefing note",
    " - going into a slide for the exec",
    " for the collaboration board on thurs",
    " - the finance lead is chasing",
    " as the DCC wants it by friday",
)
# The first turn of a follow-up, naming the thing the second turn calls "it".
FIRST_TURNS = (
    "background on {name} please",
    "what have we got on {name}",
    "{name} - what's on file",
    "looking into {name}",
)
PRONOUNS = ("it", "that one", "that")
# Words that may follow a noun phrase replaced by a pronoun ("when did it start").
_FOLLOWERS = frozenset({
    "start", "started", "begin", "began", "end", "ended", "open", "opened", "close", "closed",
    "cover", "covers", "involve", "involves", "include", "includes", "cost", "save", "saved",
    "at", "in", "on", "by", "for", "with", "and", "or", "to", "of", "from", "over", "under",
    "is", "was", "has", "had", "have", "did", "does", "still", "kick", "kicked", "get", "got",
})  # fmt: skip


def county_short(word: str) -> str | None:
    """The customary short form of a county (gazetteer.COUNTY_SHORT), if it has one."""
    return COUNTY_SHORT.get(word)


def name_runs(words: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each run of capitalised words, connectors allowed inside one."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        if _is_name_word(words, i):
            j = i + 1
            while j < len(words):
                if _is_name_word(words, j):
                    j += 1
                elif words[j] in _CONNECTORS and j + 1 < len(words) and _is_name_word(words, j + 1):
                    j += 2
                else:
                    break
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _is_name_word(words: list[str], i: int) -> bool:
    word = words[i].strip(",;:?'\"")
    if not _CAPITAL.match(word) or word.isupper():
        return False  # an initialism or a bracketed word is a name of its own
    return not (i == 0 and word.lower() in _SENTENCE_WORDS)


def initials(words: list[str]) -> str:
    """The initials of the capitalised words: "Fire and Rescue Service" -> "FRS"."""
    return "".join(w[0] for w in words if w[:1].isupper())


def shorten(run: list[str], rng: random.Random) -> tuple[list[str], str] | None:
    """One short form of a name, and which rule made it; None when no rule applies."""
    bare = [w.strip(",;:()?'\"") for w in run]
    trail = run[-1][len(bare[-1]) :] if run[-1].startswith(bare[-1]) else ""
    capitals = [w for w in bare if w[:1].isupper() and not w.isupper()]
    options: list[tuple[list[str], str]] = []
    counties = [county_short(w) for w in bare]
    if any(counties):
        made = [w.replace(b, c) if c else w for c, b, w in zip(counties, bare, run, strict=True)]
        return made, "county"
    if len(capitals) >= 3:
        options.append(([initials(bare)], "initials"))
        if len(capitals) >= 4 and bare[0] not in _COMPASS:
            head = counties[0] or bare[0]
            options.append(([head, initials(bare[1:])], "initials"))
        if bare[-1].lower() in GENERIC_HEADS:
            kept = bare[:-1]
            while kept and kept[-1] in _CONNECTORS:
                kept.pop()
            options.append((kept, "leading part"))
    if not options:
        return None
    words, rule = options[rng.randrange(len(options))]
    return [*words[:-1], words[-1] + trail], rule


_COMPASS = frozenset({
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Greater",
    "Mid", "Central", "Upper", "Lower", "New", "Great",
})  # fmt: skip


def typo(word: str, rng: random.Random) -> str:
    """One slip of the keyboard: two neighbouring letters swapped, a double letter typed once,
    or a vowel left out."""
    inner = [i for i in range(1, len(word) - 2) if word[i] != word[i + 1]]
    doubles = [i for i in range(1, len(word) - 1) if word[i] == word[i - 1]]
    vowels = [i for i in range(1, len(word) - 1) if word[i] in _VOWELS]
    slips = []
    if inner:
        slips.append("swap")
    if doubles:
        slips.append("single")
    if vowels:
        slips.append("vowel")
    if not slips:
        return word
    slip = slips[rng.randrange(len(slips))]
    if slip == "swap":
        i = inner[rng.randrange(len(inner))]
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    places = doubles if slip == "single" else vowels
    i = places[rng.randrange(len(places))]
    return word[:i] + word[i + 1 :]


def _rng(seed: int, key: str) -> random.Random:
    digest = hashlib.sha1(f"{seed}|officer|{key}".encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def twin(row: dict[str, Any], seed: int = SEED) -> dict[str, Any]:
    """The officers'-wording twin of one generated row: same expectations, new wording."""
    rng = _rng(seed, row["id"])
    done: list[str] = []
    words = row["question"].split()
    named: list[tuple[int, int]] = []
    out: list[str] = []
    last = 0
    for start, end in name_runs(words):
        out += words[last:start]
        short = shorten(words[start:end], rng) if rng.random() < RATES["name"] else None
        if short:
            done.append(short[1])
            words_made = short[0]
        else:
            words_made = words[start:end]
        named.append((len(out), len(out) + len(words_made)))
        out += words_made
        last = end
    out += words[last:]
    text = " ".join(out)

    def swap(m: re.Match[str]) -> str:
        if rng.random() < RATES["synonym"]:
            done.append("synonym")
            return SYNONYMS[m.group(1)]
        return m.group(1)

    text = _SYNONYM.sub(swap, text)
    history: list[dict[str, str]] = []
    multi = [(s, e) for s, e in named if e - s >= 2]
    if not row["rule"].startswith(NO_FOLLOW_UP) and multi and rng.random() < RATES["follow_up"]:
        text, history = _follow_up(text, out, multi, rng)
        if history:
            done.append("follow-up")
    if rng.random() < RATES["lower"]:
        keep_caps = rng.random() < 0.5
        text = " ".join(w if keep_caps and _initialism(w) else w.lower() for w in text.split())
        done.append("lower case")
    if text.endswith("?") and rng.random() < RATES["no_mark"]:
        text = text[:-1].rstrip()
        done.append("no question mark")
    if rng.random() < RATES["typo"]:
        text, slipped = _with_typo(text, rng)
        if slipped:
            done.append("typo")
    if rng.random() < RATES["context"]:
        if rng.random() < 0.5:
            text = CONTEXT_BEFORE[rng.randrange(len(CONTEXT_BEFORE))] + text
        else:
            end = text[-1] if text[-1] in "?." else ""
            body = text[:-1] if end else text
            text = body + CONTEXT_AFTER[rng.randrange(len(CONTEXT_AFTER))] + end
        done.append("context")
    made = {**row, "id": row["id"] + SUFFIX, "question": text, "wording": sorted(set(done))}
    if history:
        made["history"] = history
    return made


def _initialism(word: str) -> bool:
    bare = word.strip(",;:()?'\"")
    return len(bare) >= 2 and bare.isupper()


def _follow_up(
    text: str, words: list[str], named: list[tuple[int, int]], rng: random.Random
) -> tuple[str, list[dict[str, str]]]:
    """Name the thing in a first turn and ask the question about "it"."""
    start, end = max(named, key=lambda r: (r[1] - r[0], -r[0]))
    name = " ".join(words[start:end]).strip(",;:()?'\"")
    if text.count(name) != 1 or len(name) < 4:
        return text, []
    before, after = text.split(name)
    rest = after.split()
    heads = 0
    while heads < len(rest) and rest[heads].strip(",?.").lower() in GENERIC_HEADS:
        heads += 1
        if rest[heads - 1][-1:] in ",?.":
            break
    said = rest[:heads]
    if (
        heads < len(rest)
        and not (said and said[-1][-1:] in ",?.")
        and (rest[heads].lower() not in _FOLLOWERS)
    ):
        return text, []
    if said:
        tail = said[-1][-1] if said[-1][-1:] in ",?." else ""
        after = tail + " " + " ".join(rest[heads:])
        name = " ".join([name, *said]).rstrip(",?.")
    elif after[:1] not in ("", " ", ",", "?", "."):
        return text, []
    article = re.search(r"\b(the|a|an)\s+$", before, re.IGNORECASE)
    if article:
        before = before[: article.start()]
        name = f"{article.group(1).lower()} {name}"
    pronoun = PRONOUNS[rng.randrange(len(PRONOUNS))]
    place = re.search(r"\b(in|at|across)\s+$", before, re.IGNORECASE)
    if place:  # "which projects in the North East" -> "which projects there"
        before, pronoun = before[: place.start()], "there"
    asked = " ".join(f"{before}{pronoun}{after}".split())
    first = FIRST_TURNS[rng.randrange(len(FIRST_TURNS))].format(name=name)
    return asked, [{"role": "user", "content": first}]


def _with_typo(text: str, rng: random.Random) -> tuple[str, bool]:
    words = text.split()
    candidates = [i for i, w in enumerate(words) if w.isalpha() and w.islower() and len(w) >= 5]
    if not candidates:
        return text, False
    i = candidates[rng.randrange(len(candidates))]
    words[i] = typo(words[i], rng)
    return " ".join(words), True


def twins(rows: Iterable[dict[str, Any]], seed: int = SEED) -> list[dict[str, Any]]:
    return [twin(r, seed) for r in rows]


def write_twins(folder: Path, prefix: str = "generated", seed: int = SEED) -> list[Path]:
    """<prefix>-<split>-officer.jsonl from each <prefix>-<split>.jsonl in the folder."""
    paths = []
    for split in ("tune", "test"):
        source = folder / f"{prefix}-{split}.jsonl"
        text = source.read_text(encoding="utf-8")
        rows = [json.loads(line) for line in text.splitlines() if line]
        path = folder / f"{prefix}-{split}-officer.jsonl"
        lines = [json.dumps(r, ensure_ascii=False) for r in twins(rows, seed)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.generate.officer", description=__doc__)
    parser.add_argument("--folder", type=Path, default=DATASETS, help="where the sets are")
    parser.add_argument("--prefix", default="generated", help="sets <prefix>-tune/-test.jsonl")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    for path in write_twins(args.folder, args.prefix, args.seed):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
