"""The eval metrics as plain functions: ranks of evidence, citations, key facts, percentiles.

A ranking is a list with one entry per passage, in rank order: the set of evidence ids that
passage stands for (a report's file stem, a project record id). Nothing here does I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Sequence
from pathlib import PurePosixPath

Ranking = Sequence[Collection[str]]

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})


def evidence_ids(source: str, record_id: str | None = None) -> frozenset[str]:
    """What a passage or citation stands for: its file's stem, and its record id if it has one."""
    stem = PurePosixPath(source.replace("\\", "/")).stem
    return frozenset({stem, record_id} if record_id else {stem})


def first_ranks(
    ranking: Ranking, relevant: Collection[str], k: int | None = None
) -> dict[str, int]:
    """1-based rank at which each relevant item first appears among the first k passages."""
    found: dict[str, int] = {}
    for rank, ids in enumerate(ranking[:k] if k is not None else ranking, start=1):
        for item in ids:
            if item in relevant and item not in found:
                found[item] = rank
    return found


def recall_at_k(ranking: Ranking, relevant: Collection[str], k: int) -> float:
    """Share of the relevant items found among the first k passages, each item counted once."""
    wanted = set(relevant)
    if not wanted:
        raise ValueError("recall needs at least one relevant item")
    return len(first_ranks(ranking, wanted, k)) / len(wanted)


def reciprocal_rank(ranking: Ranking, relevant: Collection[str]) -> float:
    """1/rank of the first passage holding any relevant item; 0 when none does."""
    wanted = set(relevant)
    for rank, ids in enumerate(ranking, start=1):
        if wanted.intersection(ids):
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranking: Ranking, relevant: Collection[str], k: int = 10) -> float:
    """Binary-relevance nDCG: each distinct relevant item gains 1 at the rank it first appears.

    The ideal puts min(len(relevant), k) items at ranks 1, 2, ...; a passage that holds several
    items at once (the baseline's record chunks can) may beat that ideal, so the value is capped
    at 1.
    """
    wanted = set(relevant)
    if not wanted:
        raise ValueError("nDCG needs at least one relevant item")
    dcg = sum(1.0 / math.log2(rank + 1) for rank in first_ranks(ranking, wanted, k).values())
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(wanted), k) + 1))
    return min(1.0, dcg / ideal)


def citation_hit(cited: Iterable[Collection[str]], relevant: Collection[str]) -> bool:
    """Whether at least one citation stands for a relevant item."""
    wanted = set(relevant)
    return any(wanted.intersection(ids) for ids in cited)


def ungrounded(quotes: Iterable[tuple[str, str]], passages: dict[str, str]) -> list[str]:
    """Chunk ids of citations whose quote is empty, or not in the passage with that chunk id.

    `quotes` holds (chunk_id, quote) per citation; `passages` maps chunk_id to passage text.
    """
    return [
        chunk_id
        for chunk_id, quote in quotes
        if not quote.strip() or chunk_id not in passages or quote not in passages[chunk_id]
    ]


def normalise(text: str) -> str:
    """Case, runs of whitespace and curly quotes do not matter when looking for a fact."""
    return " ".join(text.translate(_QUOTES).casefold().split())


def fact_present(fact: str, text: str) -> bool:
    """Whether a key fact is in the text: exact words, but '405' never matches inside '4050'.

    Numbers are whole tokens: a fact that starts or ends with a digit may not touch another digit,
    nor a decimal point or thousands separator followed or preceded by one ('4' is not in '4.5').
    """
    needle = normalise(fact)
    if not needle:
        return False
    head = r"(?<!\d)(?<!\d[.,])" if needle[0].isdigit() else ""
    tail = r"(?!\d)(?![.,]\d)" if needle[-1].isdigit() else ""
    return re.search(head + re.escape(needle) + tail, normalise(text)) is not None


def fact_coverage(facts: Sequence[str], text: str) -> float:
    """Share of the key facts present in the text."""
    if not facts:
        raise ValueError("coverage needs at least one key fact")
    return sum(fact_present(f, text) for f in facts) / len(facts)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0-100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def given_status(status: str, declined: bool, declining: Collection[str]) -> str:
    """The outcome an answer claims. An answer that declines under the older contract (declined
    true, status left at "answered") counts as not covered."""
    if declined and status not in declining:
        return "not_covered"
    return status


def confusion(pairs: Iterable[tuple[str, str]], labels: Sequence[str]) -> dict[str, dict[str, int]]:
    """Counts of (expected, given) outcomes: one row per expected label, one column per given.

    Every label gets its row and column, zero or not, so tables from different runs line up; a
    label outside `labels` is an error rather than a silently dropped answer.
    """
    table = {e: dict.fromkeys(labels, 0) for e in labels}
    for expected, given in pairs:
        if expected not in table or given not in table:
            raise ValueError(f"outcome {expected!r} -> {given!r} is outside {', '.join(labels)}")
        table[expected][given] += 1
    return table


def mean(values: Iterable[float]) -> float | None:
    """Arithmetic mean, or None for no values (a metric that could not be measured)."""
    items = list(values)
    return sum(items) / len(items) if items else None
