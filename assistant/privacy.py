"""Personal data in free text found and masked before the service keeps the text anywhere.

Presidio's predefined pattern recognizers, called directly: no NLP engine is built, so no spaCy
model is loaded or downloaded. They find e-mail addresses, phone numbers (Google's libphonenumber,
UK numbering and any +NN international form), National Insurance numbers and full UK postcodes.
libphonenumber calls the ranges Ofcom keeps for drama and examples (07700 900xxx, 01632 960xxx)
invalid, and people type those and real numbers alike, so UK numbers are also found by their
shape: eleven digits from 01, 02, 03, 05, 07 or 08, or +44 and ten. 999, 101 and 111 are services,
not people, and are left as they are.
Names need a named-entity model, which this does not load; a full postcode narrows a person down
to a handful of addresses, so every one is masked, whether a name stands beside it or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

# Entity type -> the kind named in a Redaction and in the placeholder left in the text.
KINDS = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "UK_NINO": "ni_number",
    "UK_POSTCODE": "postcode",
}


# A run of digits, spaces, dashes, dots and brackets that may be a UK number; its digits decide.
UK_PHONE_SHAPE = r"(?<![\w+])(?:\+|00)?\(?\d[\d\s().\-]{8,20}\d(?!\w)"
_NOT_DIGIT = re.compile(r"\D")
# After the 0 (or +44): the number groups people are given (geographic, non-geographic, mobile).
_UK_FIRST = "123578"


def uk_phone(candidate: str) -> bool:
    """Whether the digits of `candidate` make a UK number: 0 and ten digits, or 44 and ten."""
    digits = _NOT_DIGIT.sub("", candidate)
    if digits.startswith("0044"):
        digits = digits[2:]
    if digits.startswith("44") and candidate.lstrip().startswith(("+", "00")):
        national = digits[2:]
        if national.startswith("0"):  # +44 (0)20 ...: the trunk 0 written in brackets
            national = national[1:]
        return len(national) == 10 and national[0] in _UK_FIRST
    return len(digits) == 11 and digits[0] == "0" and digits[1] in _UK_FIRST


@dataclass(frozen=True)
class Redaction:
    """The text with each piece of personal data replaced by [kind], and the kinds found."""

    text: str
    kinds: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.kinds)


def redact(text: str) -> Redaction:
    """Mask e-mail addresses, phone numbers, NI numbers and postcodes in `text`."""
    if not text:
        return Redaction(text)
    spans = _spans(text)
    if not spans:
        return Redaction(text)
    out: list[str] = []
    last = 0
    for start, end, kind in spans:
        out += [text[last:start], f"[{kind}]"]
        last = end
    out.append(text[last:])
    return Redaction("".join(out), tuple(sorted({kind for _, _, kind in spans})))


def redact_optional(text: str | None) -> str | None:
    return None if text is None else redact(text).text


def warm_up() -> None:
    """Import presidio (a few seconds, for spaCy) before the first request needs it."""
    redact("warm up")


def _spans(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, kind) in text order; the longer of two overlapping wins."""
    found = [
        (r.start, r.end, KINDS[r.entity_type])
        for recognizer in _recognizers()
        for r in recognizer.analyze(text, recognizer.supported_entities, None)
    ]
    chosen: list[tuple[int, int, str]] = []
    for span in sorted(found, key=lambda s: (s[0] - s[1], s[0])):
        if all(span[1] <= c[0] or span[0] >= c[1] for c in chosen):
            chosen.append(span)
    return sorted(chosen)


@cache
def _recognizers() -> list[Any]:
    # Imported here: presidio pulls in spaCy, which takes seconds, and nothing runs at import.
    import tldextract
    from presidio_analyzer import Pattern, PatternRecognizer
    from presidio_analyzer.predefined_recognizers import (
        EmailRecognizer,
        PhoneRecognizer,
        UkNinoRecognizer,
        UkPostcodeRecognizer,
    )

    # tldextract's default fetches the public suffix list from the network on first use; the
    # snapshot shipped with the package is enough to tell a real domain.
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    class OfflineEmailRecognizer(EmailRecognizer):
        def validate_result(self, pattern_text: str) -> bool:
            return offline(pattern_text).fqdn != ""

    class UkPhoneRecognizer(PatternRecognizer):
        def validate_result(self, pattern_text: str) -> bool:
            return uk_phone(pattern_text)

    uk_phones = UkPhoneRecognizer(
        supported_entity="PHONE_NUMBER", patterns=[Pattern("uk phone", UK_PHONE_SHAPE, 0.5)]
    )
    # VALID leniency: only numbers the numbering plan allows, so years and counts stay as they are.
    # "GB" is the UK's region code in libphonenumber ("UK" is unknown to it, and matches nothing).
    return [
        OfflineEmailRecognizer(),
        PhoneRecognizer(supported_regions=("GB",), leniency=1),
        uk_phones,
        UkNinoRecognizer(),
        UkPostcodeRecognizer(),
    ]
