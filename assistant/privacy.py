"""Personal data in free text found and masked before the service keeps the text anywhere.

Presidio's predefined pattern recognizers, called directly: no NLP engine is built, so no spaCy
model is loaded or downloaded. They find e-mail addresses, phone numbers (Google's libphonenumber,
UK numbering and any +NN international form), National Insurance numbers and full UK postcodes.
Names need a named-entity model, which this does not load; a full postcode narrows a person down
to a handful of addresses, so every one is masked, whether a name stands beside it or not.
"""

from __future__ import annotations

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
    from presidio_analyzer.predefined_recognizers import (
        EmailRecognizer,
        PhoneRecognizer,
        UkNinoRecognizer,
        UkPostcodeRecognizer,
    )

    # tldextract's default fetches the public suffix list from the network on first use; the
    # snapshot shipped with the package is enough to tell a real domain.
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    class OfflineEmailRecognizer(EmailRecognizer):  # type: ignore[misc]
        def validate_result(self, pattern_text: str) -> bool:
            return offline(pattern_text).fqdn != ""

    # VALID leniency: only numbers the numbering plan allows, so years and counts stay as they are.
    return [
        OfflineEmailRecognizer(),
        PhoneRecognizer(supported_regions=("GB",), leniency=1),
        UkNinoRecognizer(),
        UkPostcodeRecognizer(),
    ]
