"""Requests outside what an evidence assistant does: steering it, or asking it for advice.

`refused`: the question tries to see or change the assistant's own instructions, to take on a
role, to drop its sources, or to have something asserted regardless of them. `out_of_remit`: it
asks what the asker should do in their own situation, or is conversation rather than a question.
Both are read from the request's grammar (who is addressed, what is done to what), built from
small classes of general English words, never from the evidence, so they hold on any corpus.
A question that is merely off the evidence's subject is declined by the judgement instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from assistant.question.spelling import Speller

# What the assistant runs under: a request to see or change it is refused.
_OWN = (
    r"(?:prompts?|instructions?|rules|guidelines|guardrails|configuration|config|settings|"
    r"restrictions|directives|programming|safeguards|safety|filters?|source checking|"
    r"citation checking|checks)"
)
# Whose instructions: the assistant's own, never "the rules" of something the evidence covers.
_WHOSE = (
    r"(?:your|its|previous|prior|earlier|above|hidden|initial|original|secret|internal|system|"
    r"underlying)"
)
_SEE = (
    r"(?:reveal|show|print|repeat|output|display|leak|share|paste|dump|recite|expose|copy|quote|"
    r"translate|spell|encode|append|add|send|list|give|tell|write|what (?:are|is|were))"
)
_CHANGE = (
    r"(?:ignore|disregard|forget|override|bypass|skip|drop|abandon|suspend|disable|remove|"
    r"turn off|switch off|deactivate|lift|change|modify|revoke|cancel|relax|loosen|break)"
)
_STEER = re.compile(
    # seeing or changing its own instructions
    rf"\b(?:{_SEE}|{_CHANGE})\b[^.?!]{{0,40}}?\b(?:(?:the|all|any|all of)\s+)?"
    rf"(?:{_WHOSE}\s+){{1,3}}(?:\w+\s+){{0,2}}{_OWN}\b"
    rf"|\b{_CHANGE}\b (?:the |all |any )?(?:source|citation|safety) check\w*"
    # ...or named by where they stand: "the rules above"
    rf"|\b{_CHANGE}\b (?:the |all |any )?{_OWN} (?:above|before this|so far)\b"
    # ...or by what they govern ("the rules that shape your replies") or where they stand in the
    # conversation ("print all the text above")
    rf"|\b{_OWN}\s+(?:that|which)\s+(?:\w+\s+){{0,2}}?your\b"
    rf"|\b{_SEE}\b (?:me )?(?:everything|all|(?:all |the )?(?:text|words|lines))\b"
    r"(?: (?:of |that is |that was |written )?(?:the )?(?:text|words|lines))? (?:above|so far)\b"
    # setting aside what it does: "forget that you cite", "ignore the fact that you ..."
    r"|\b(?:ignore|forget|disregard)\s+(?:(?:that|the fact that|how)\s+)?you\b"
    # taking on another role or mode
    r"|\byou(?:'re| are) (?:now|no longer)\b|\bpretend\b"
    r"|\bact as (?:if|though) you\b"
    r"|\brole[- ]?play\b|\bjailbreak\w*|\b(?:developer|god|unrestricted) mode\b"
    r"|\b(?:no|without) (?:any )?(?:restrictions|limits|limitations|rules|filters)\b"
    # dropping the sources
    r"|\b(?:stop|skip|drop|disable|turn off|without|no need for|(?:do not|don'?t) (?:need|use))"
    r" (?:any |the |your )?(?:citing|quoting|citations?|sources?|references|evidence)\b"
    r"|\bno (?:sources?|citations?|references) (?:needed|required|necessary)\b"
    # having something asserted whatever the evidence says
    r"|\b(?:reply|respond|answer) (?:only |just )?with\b"
    r"|\b(?:say|state|confirm|assert|declare)\b[^.?!]{0,60}\b(?:as (?:a )?fact|is (?:true|a fact)|"
    r"regardless|whatever the)\b"
    r"|\bmake (?:something|things|it|one|them) up\b"
    r"|\bmake up (?:\w+ ){0,2}?(?:answers?|figures?|numbers?|facts?|quotes?)\b"
    r"|\binvent (?:an? )?(?:answer|figure)"
    # claiming authority over it
    r"|\b(?:i am|i'm|this user is) (?:your |an? |the )?(?:developer|creator|admin|administrator|"
    r"owner|operator)\b"
    r"|\b(?:system|admin|administrator|developer|operator) "
    r"(?:note|message|override|command|notice)\b",
    re.I,
)
# Asking what to do in one's own situation.
_ADVICE = re.compile(
    r"\b(?:should|shall|must) (?:i|we)\b|\bdo (?:i|we) (?:need|have) to\b"
    r"|\b(?:am i|are we) (?:allowed|entitled|eligible|able|obliged|required)\b"
    # "can I sue", not "can I see": what the asker may do, not what they may read
    r"|\bcan i (?!(?:see|get|have|find|ask|check|read|look|know|view|access|say)\b)\w+"
    r"|\bwhat (?:do|should|can|would) (?:i|we) do\b|\bhow (?:do|can|should|would) i\b"
    r"|\bwho (?:do|should|can) i\b|\b(?:do|would|could) you (?:recommend|advise|suggest)\b"
    r"|\b(?:legal|medical|financial|personal|clinical) advice\b|\badvise me\b"
    r"|\bis it (?:safe|legal|ok|okay|wise) (?:for me |to )"
    # the asker's own rights, place or employer: "my rights", "nearest to me", "can my boss ..."
    r"|\bmy (?:rights|entitlements?)\b|\b(?:near|nearest|closest)\b[^.?!]{0,40}?\b(?:to )?me\b"
    r"|\b(?:can|could|will|would|may) my \w+(?: \w+)? me\b"
    r"|\b(?:is|are) my \w+(?: \w+)? (?:legally )?(?:required|allowed|obliged|entitled|able)\b"
    r"|\b(?:will|would) i (?:get|be|need|have|lose)\b|\bhelp me\b[^.?!]{0,20}?\bmy\b"
    # a recommendation asked of the assistant itself, as a command: "recommend a good ..."
    r"|(?:^|[:;,.!?–-]\s*)(?:please\s+)?(?:recommend|suggest)\s+(?:me\s+)?"
    r"(?:an?|some|any|the best)\b",
    re.I,
)
# Conversation rather than a question: greetings, thanks, asking after the assistant, and
# requests for made-up writing.
_CHAT = re.compile(
    r"^\W*(?:hi|hello|hey|hiya|thanks|thank you|cheers|good (?:morning|afternoon|evening))\W*$"
    r"|^\W*how are you\b|^\W*who are you\W*$"
    r"|\b(?:tell|write|compose|make)(?: me)? an? (?:joke|poem|song|story|limerick|rap)\b",
    re.I,
)


@dataclass(frozen=True)
class Remit:
    status: Literal["refused", "out_of_remit"]
    reason: str  # a plain sentence for the user


def check(question: str) -> Remit | None:
    """Whether a question falls outside the assistant's remit, and why, in plain words."""
    question = _spelt_out(question)
    if _STEER.search(question):
        return Remit(
            "refused",
            "This asks me to change, reveal or set aside how I work. Answers here come only "
            "from the sources, each one cited.",
        )
    if _CHAT.search(question):
        return Remit(
            "out_of_remit",
            "I answer questions about the evidence I hold, with citations; that is outside it.",
        )
    if _ADVICE.search(question):
        return Remit(
            "out_of_remit",
            "This asks for advice on what to do, which the evidence cannot give. In an emergency "
            "call the emergency services; otherwise ask the body concerned.",
        )
    return None


# Shorthand typed in requests ("w/", "1st"), spelt out before the check reads them.
_SHORTHAND = {
    "w/": "with", "w/o": "without", "1st": "first", "pls": "please", "plz": "please", "u": "you",
    "ur": "your",
}  # fmt: skip
_TOKEN = re.compile(r"[A-Za-z]+/?o?|\d+st\b")


def _spelt_out(question: str) -> str:
    """The question with shorthand spelt out and misspelt words of the checks' own vocabulary
    put right ("propmt", "instrucitons"), so a typo does not carry a request past them."""
    return _TOKEN.sub(lambda m: _word(m.group(0)), question)


@lru_cache(maxsize=4096)
def _word(token: str) -> str:
    low = token.lower()
    if low in _SHORTHAND:
        return _SHORTHAND[low]
    fixed = _speller().correct(low)
    return token if fixed == low else fixed


@lru_cache(maxsize=1)
def _speller() -> Speller:
    """The question stage's speller, over the checks' own words instead of the store's."""
    return Speller(dict.fromkeys(_vocabulary(), 1))


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[str, ...]:
    """The words the checks are written in, read from their own patterns."""
    text = " ".join(p.pattern for p in (_STEER, _ADVICE, _CHAT))
    found = set(re.findall(r"[a-z]{4,}", re.sub(r"\\[a-zA-Z]", " ", text)))
    return tuple(sorted(found | {w[:-1] for w in found if w.endswith("s")}))


# Evidence sentences recur from question to question: each is read once.
@lru_cache(maxsize=65_536)
def instructs(sentence: str) -> bool:
    """Whether a sentence of the evidence is an instruction to the assistant rather than a fact:
    such a sentence is never quoted."""
    return bool(_STEER.search(sentence))
