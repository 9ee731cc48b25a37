"""Requests outside what an evidence assistant does: steering it, or asking it for advice.

`refused`: the question tries to change, override or reveal the assistant's instructions, or to
make it assert something as fact. `out_of_remit`: it asks for personal, legal, medical or
operational advice, or is small talk. Both are read from the question's shape (who it addresses
and what it asks them to do), never from the evidence, so they hold on any corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STEER = re.compile(
    r"\b(ignore|disregard|forget|override|bypass|skip)\b.{0,40}\b(instructions?|rules?|prompts?|"
    r"guidelines?|guardrails?|polic(?:y|ies)|constraints?|context|above|previous|prior|earlier)\b"
    r"|\b(reveal|show|print|repeat|output|display|leak|tell me|what (is|are)|give me|list)\b.{0,30}"
    r"\b(your|the|its)\s+(system\s+|hidden\s+|initial\s+|original\s+|secret\s+)*"
    r"(prompt|instructions|rules|guidelines|configuration)\b"
    r"|\byou are (now|no longer)\b|\bfrom now on\b|\bpretend (to be|you)\b|\bact as\b"
    r"|\b(jailbreak|developer mode|dan mode|system prompt)\b"
    r"|\b(say|state|confirm|assert|write|answer|reply|respond)\b.{0,40}\b(that|with)\b.{0,80}"
    r"\b(as (a )?fact|is (true|a fact)|regardless|no matter what|whatever the (sources|evidence))\b"
    r"|\b(repeat after me|say exactly|respond only with|answer only with)\b"
    r"|\bnew (instructions|rules|role)\b"
    r"|\b(stop|don'?t|do not|without) (citing|quoting|using) (the |your )?"
    r"(sources|evidence|citations)\b"
    r"|\bjust (say|tell me) what you (think|believe)\b"
    r"|\b(reveal|show|print|repeat|output|display|leak|translate|append|write|spell|dump|share|"
    r"recite|paste|encode)\b.{0,40}\b(your|the|its)\s+(\w+\s+){0,2}(prompts?|instructions|"
    r"configuration|guidelines|template|settings)\b"
    r"|\b(change|override|disable|bypass|remove|turn off|switch off|deactivate|lift)\b.{0,30}"
    r"\b(your|the|its|all)\s+(\w+\s+){0,2}(instructions|rules|safety|settings|restrictions|"
    r"filters|citations?|citation checking|guardrails|checks|limits)\b"
    r"|\b(no|without) (restrictions|limits|rules|filters)\b|\banswer freely\b"
    r"|\bmake (up|something up) (an|the|a) (answer|figure|number)|\bmake up an answer\b"
    r"|\bi am your (developer|creator|administrator|admin|owner|operator)\b"
    r"|\b(instruction|message|order) from (the|your) (administrator|admin|developer|operator)\b"
    r"|\byou are (dan|now dan)\b|\bdan ready\b"
    r"|\brepeat (everything|all|the text|what is) (above|before|written)\b"
    r"|\b(for|in) (this|the rest of this) conversation\b.{0,40}\b(you|stop|ignore|pretend|act)\b",
    re.I,
)
_ADVICE = re.compile(
    r"\b(should|can|could|may|must|do) i\b|\bhow (do|can|should|could|would) i\b"
    r"|\bwhat (do|should|would|can) i\b|\bam i\b|\bi (have|am|feel|need|want|was|got)\b"
    r"|\b(do|would) you (recommend|advise|suggest)\b"
    r"|\b(advise|advice (for|to)) (me|us)\b|\b(legal|medical|financial|personal) advice\b"
    r"|\bmy (symptoms?|doctor|gp|pain|chest|injury|lawyer|solicitor|claim|case|complaint|"
    r"neighbour|house|home|family|child|children|son|daughter|wife|husband|partner|mother|father|"
    r"employer|job|shift|crew|station)\b"
    r"|\bwhat should (we|the crew|crews|officers) do (now|tonight|today|right now|at|if|when)\b"
    r"|\bwho (do|should) i\b|\bshould we (send|deploy|dispatch|evacuate|go)\b"
    r"|\b(quickest|fastest|best) (way|route)\b.{0,60}\bnow\b"
    r"|\bhow (do|can|should) (i|we|you) (get into|break into|break|rescue|treat|resuscitate|stop)\b"
    r"|\btell me how to\b",
    re.I,
)
_SMALL_TALK = re.compile(
    r"^\s*(hi|hello|hey|thanks|thank you|good (morning|afternoon|evening)|how are you|"
    r"who are you|what are you|tell me a (joke|story)|write (me )?a (poem|song|story|joke))\b"
    r"|\b(joke|poem|recipe|horoscope|lottery|football score|weather|birthday present)\b"
    r"|\bwhat time is it\b|\bwhat('s| is) the (time|date) (now|today)\b|\btranslate\b"
    r"|\b(recommend|suggest) (me )?(a|an|some) (good )?(tv|film|movie|book|show|series|song|"
    r"restaurant|drama|podcast)\b|\bplot of\b|\bwhat should i (get|buy)\b",
    re.I,
)


@dataclass(frozen=True)
class Remit:
    status: str  # "refused" | "out_of_remit"
    reason: str  # a plain sentence for the user


def check(question: str) -> Remit | None:
    """Whether a question falls outside the assistant's remit, and why, in plain words."""
    if _STEER.search(question):
        return Remit(
            "refused",
            "This asks me to change, reveal or set aside how I work. I only answer questions "
            "from the evidence, and cite it.",
        )
    if _SMALL_TALK.search(question):
        return Remit(
            "out_of_remit",
            "I answer questions about the evidence I hold, with citations; that is outside it.",
        )
    if _ADVICE.search(question):
        return Remit(
            "out_of_remit",
            "This asks for personal, legal, medical or operational advice, which the evidence "
            "cannot give. For an emergency call 999; otherwise ask the service concerned.",
        )
    return None


def instructs(sentence: str) -> bool:
    """Whether a sentence of the evidence is an instruction to the assistant rather than a fact:
    such a sentence is never quoted."""
    return bool(_STEER.search(sentence))
