"""Facet columns select exactly the chunks Filters.matches allows, for every kind of filter."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from assistant.retrieval.facets import Facets
from assistant.types import Chunk, Filters

CHUNKS = [
    Chunk(
        chunk_id=f"c{i}",
        doc_id=f"d{i // 4}",
        doc_hash="h",
        position=i % 4,
        text="text",
        source="s",
        title="t",
        doc_type=("project", "report", "text")[i % 3],
        theme=(None, "estates", "control_rooms")[i % 3] if i % 3 == 0 else None,
        region=(None, "London", "Wales", "North West")[i % 4],
        services=(("police", "fire"), ("ambulance",), ())[i % 3],
        year=(None, 2012, 2015, 2018, 2021)[i % 5],
    )
    for i in range(60)
]

FILTERS = [
    Filters(),
    Filters(doc_type=["project"]),
    Filters(doc_type=["report", "text"]),
    Filters(region=["London"]),
    Filters(region=["Wales", "Nowhere"]),
    Filters(region=["Nowhere"]),
    Filters(theme=["estates"]),
    Filters(services=["fire"]),
    Filters(services=["police", "fire"]),
    Filters(services=["coastguard"]),
    Filters(year_from=2015),
    Filters(year_to=2015),
    Filters(year_from=2013, year_to=2019),
]


@pytest.mark.parametrize(
    "filters",
    [*FILTERS, *(a.merged(b) for a, b in itertools.combinations(FILTERS, 2))],
)
def test_mask_selects_the_chunks_the_filters_match(filters: Filters) -> None:
    expected = np.array([filters.matches(c) for c in CHUNKS])

    assert (Facets(CHUNKS).mask(filters) == expected).all()


def test_mask_over_no_chunks_is_empty() -> None:
    assert Facets([]).mask(Filters(region=["London"])).shape == (0,)
