"""Turning a statement with a gap into a question an officer would type: a direct question where
the grammar is plain ("When did Kent Fire and Rescue Service move its control staff ...?"), an
indirect one otherwise ("Can you tell me how much ... would save a year?"). English grammar only:
nothing here knows a corpus."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

AUX = frozenset({
    "was", "were", "is", "are", "has", "have", "had", "will", "would", "could", "can", "should",
    "may", "might", "must",
})  # fmt: skip
DETERMINERS = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "each",
    "every",
})  # fmt: skip
PRONOUNS = frozenset({
    "it", "they", "this", "these", "those", "he", "she", "we", "you", "i", "its", "their", "there",
    "here", "such", "both", "neither",
})  # fmt: skip
# Irregular past tenses of English verbs and their base forms.
IRREGULAR = {
    "began": "begin", "became": "become", "went": "go", "met": "meet", "took": "take",
    "made": "make", "gave": "give", "won": "win", "ran": "run", "brought": "bring",
    "built": "build", "paid": "pay", "said": "say", "sought": "seek", "led": "lead",
    "chose": "choose", "held": "hold", "saw": "see", "found": "find", "spent": "spend",
    "sent": "send", "grew": "grow", "left": "leave", "told": "tell", "wrote": "write",
    "rose": "rise", "fell": "fall", "drew": "draw", "kept": "keep", "lost": "lose", "got": "get",
    "came": "come", "knew": "know", "thought": "think", "bought": "buy", "sold": "sell",
    "stood": "stand", "meant": "mean", "heard": "hear", "undertook": "undertake",
    "oversaw": "oversee", "withdrew": "withdraw", "forecast": "forecast", "set": "set",
}  # fmt: skip
# Openings of an indirect question, picked at random per question.
LEAD_INS = (
    "Can you tell me {q}?",
    "Do you know {q}?",
    "I need to know {q}.",
    "Could you check {q}?",
    "Tell me {q}.",
    "Do we know {q}?",
)

KnowsWord = Callable[[str], bool]


def tokens(text: str) -> list[str]:
    return text.split()


def lower_first(text: str, common: Callable[[str], bool]) -> str:
    """Lower-case the first word when it is a common word rather than a name."""
    head, _, rest = text.partition(" ")
    follows_name = rest[:1].isupper()  # "Greater Manchester", "Joint Emergency Services Academy"
    if head.lower() in DETERMINERS or (
        head[:1].isupper() and common(head) and not head.isupper() and not follows_name
    ):
        head = head[:1].lower() + head[1:]
    return f"{head} {rest}".strip()


def base_form(verb: str, knows: KnowsWord) -> str | None:
    """The base form of a past-tense verb, when the store itself spells that form somewhere."""
    if verb in IRREGULAR:
        return IRREGULAR[verb]
    if not verb.endswith("ed") or len(verb) < 5 or verb.endswith("eed"):
        return verb[:-1] if verb.endswith("eed") and knows(verb[:-1]) else None
    stem = verb[:-2]
    candidates = [stem[:-1] + "y"] if stem.endswith("i") else []
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "ls":
        candidates.append(stem[:-1])  # planned -> plan, committed -> commit
    candidates += (
        [stem + "e", stem]
        if stem.endswith(("at", "v", "c", "z", "g", "s", "r"))
        else [
            stem,
            stem + "e",
        ]
    )
    return next((c for c in candidates if knows(c)), None)


def direct(wh: str, clause: str, knows: KnowsWord) -> str | None:
    """`wh` fronted with subject-auxiliary inversion or do-support, or None where the clause is
    not plainly subject + verb."""
    words = tokens(clause)
    if not words or (words[0].islower() and words[0] not in DETERMINERS):
        return None  # opens with a preposition or adverb, not a subject
    for i, word in enumerate(words[:10]):
        if i == 0:
            continue
        if "," in " ".join(words[:i]) or words[i - 1].endswith((",", ";", ":")):
            return None
        if word in AUX:
            subject = " ".join(words[:i])
            rest = " ".join(words[i + 1 :])
            return _join(wh, word, subject, rest)
        if word[:1].isupper() or words[i - 1].lower() in DETERMINERS:
            continue
        if word in IRREGULAR or (word.endswith("ed") and len(word) > 4):
            base = base_form(word, knows)
            if base is None:
                return None
            subject = " ".join(words[:i])
            rest = " ".join(words[i + 1 :])
            return _join(wh, "did", subject, base + (" " + rest if rest else ""))
    return None


def _join(*parts: str) -> str:
    text = " ".join(p for p in parts if p).strip().rstrip(",;:")
    return text[:1].upper() + text[1:] + "?"


def question(
    wh: str,
    clause: str,
    knows: KnowsWord,
    rng: random.Random,
    subject_gap: bool = False,
) -> str:
    """The question for a clause whose gap `wh` asks about.

    With `subject_gap` the gap was the clause's subject, so the wh-phrase simply takes its place.
    Otherwise a direct question is tried and an indirect one ("Can you tell me when ...") is the
    fallback; a third of direct questions are asked indirectly anyway, for variety.
    """
    clause = re.sub(r"\s+", " ", clause).strip().rstrip(".,;:")
    if subject_gap:
        return _join(wh, clause)
    asked = direct(wh, clause, knows)
    if asked and rng.random() < 0.67:
        return asked
    lead = rng.choice(LEAD_INS)
    return lead.format(q=f"{wh.lower() if not wh.isupper() else wh} {clause}")


def title_phrase(title: str, common: Callable[[str], bool], heads: frozenset[str]) -> str:
    """A record's title as it reads in a question: "the X scheme", or "the X project" where the
    title does not end in a noun for a project."""
    title = title.strip().rstrip(".")
    last = title.split()[-1].lower() if title.split() else ""
    named = lower_first(title, common) if title.split()[0].lower() != "the" else title[4:]
    return f"the {named}" if last in heads else f"the {named} project"
