"""Sentence splitting shared by the chunker and the extractive composer."""

from __future__ import annotations

import re

# Abbreviations that end with a full stop but do not end a sentence.
_ABBREV = {"e.g", "i.e", "etc", "cf", "vs", "mr", "mrs", "ms", "dr", "st", "no", "cllr", "approx"}
_BOUNDARY = re.compile(r"(?<=[.!?;])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9£])|\n{2,}|\n(?=[-•*] )")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, keeping each sentence's exact characters."""
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.start()]
        tail = candidate.rstrip(".!?;\"'”’)").rsplit(None, 1)
        if tail and tail[-1].lower().rstrip(".") in _ABBREV and text[match.start() - 1] == ".":
            continue
        if candidate.strip():
            out.append(candidate.strip())
        start = match.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out
