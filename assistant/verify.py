"""Check every citation before an answer leaves: its passage was retrieved, its quote is in it."""

from __future__ import annotations

import re

from assistant.types import Citation, Passage

# A citation marker in answer text: "[3]", with the space before it.
MARKER = re.compile(r"\s?\[(\d+)\]")


def verify(
    text: str, citations: list[Citation], passages: list[Passage], first: int = 1
) -> tuple[str, list[Citation]]:
    """Drop citations that fail, and their markers; renumber what remains from `first` (1 for a
    whole answer) in text order."""
    by_id = {p.chunk_id: p for p in passages}
    good = {
        c.marker: c
        for c in citations
        if c.chunk_id in by_id and c.quote.strip() and c.quote in by_id[c.chunk_id].text
    }
    order: dict[int, int] = {}

    def renumber(match: re.Match[str]) -> str:
        old = int(match.group(1))
        if old not in good:
            return ""
        order.setdefault(old, len(order) + first)
        return f" [{order[old]}]" if match.group(0).startswith(" ") else f"[{order[old]}]"

    text = MARKER.sub(renumber, text)
    kept = [good[old].model_copy(update={"marker": new}) for old, new in order.items()]
    return text.strip(), sorted(kept, key=lambda c: c.marker)
