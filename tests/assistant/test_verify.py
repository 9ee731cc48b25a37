"""Citation checks: a citation whose passage was not retrieved or whose quote is not in it goes."""

from __future__ import annotations

from assistant.types import Citation, Passage
from assistant.verify import verify

P1 = Passage(
    chunk_id="a", source="r.pdf", title="R", page=2, text="Fire crews arrived first.", score=1
)
P2 = Passage(chunk_id="b", source="s.pdf", title="S", page=5, text="Costs rose by 49%.", score=0.5)


def _cite(marker: int, chunk_id: str, quote: str) -> Citation:
    return Citation(marker=marker, chunk_id=chunk_id, source="x", title="x", quote=quote)


def test_good_citations_pass_and_keep_their_order() -> None:
    text, cites = verify(
        "Crews came first [1]. Costs rose [2].",
        [_cite(1, "a", "Fire crews arrived first."), _cite(2, "b", "rose by 49%")],
        [P1, P2],
    )
    assert text == "Crews came first [1]. Costs rose [2]."
    assert [c.chunk_id for c in cites] == ["a", "b"]


def test_a_quote_not_in_its_passage_is_dropped_and_markers_renumbered() -> None:
    text, cites = verify(
        "Invented claim [1]. Costs rose [2].",
        [_cite(1, "a", "Police crews arrived first."), _cite(2, "b", "Costs rose by 49%.")],
        [P1, P2],
    )
    assert text == "Invented claim. Costs rose [1]."
    assert [(c.marker, c.chunk_id) for c in cites] == [(1, "b")]


def test_a_citation_to_a_passage_that_was_not_retrieved_is_dropped() -> None:
    text, cites = verify("Claim [1] and [3].", [_cite(1, "zzz", "anything")], [P1])
    assert text == "Claim and."
    assert cites == []
