"""Each metric on small hand-made cases whose values were worked out by hand."""

from __future__ import annotations

import math

import pytest

from evals import metrics


def test_evidence_of_a_passage_is_its_file_stem_and_record_id() -> None:
    assert metrics.evidence_ids("reports/national-overview-2016.pdf") == {"national-overview-2016"}
    assert metrics.evidence_ids("seed/lga-escwg-paper.txt") == {"lga-escwg-paper"}
    assert metrics.evidence_ids("records/projects.csv", "P020") == {"projects", "P020"}


def test_hit_at_position_three_has_reciprocal_rank_one_third() -> None:
    ranking = [{"x"}, {"y"}, {"A"}, {"B"}]
    assert metrics.reciprocal_rank(ranking, {"A", "B"}) == pytest.approx(1 / 3)


def test_no_hit_has_reciprocal_rank_zero() -> None:
    assert metrics.reciprocal_rank([{"x"}, {"y"}], {"A"}) == 0.0


def test_recall_counts_items_found_within_the_first_k_passages() -> None:
    ranking = [{"A"}, {"x"}, {"y"}, {"z"}, {"w"}, {"B"}]
    assert metrics.recall_at_k(ranking, {"A", "B"}, 1) == 0.5
    assert metrics.recall_at_k(ranking, {"A", "B"}, 5) == 0.5
    assert metrics.recall_at_k(ranking, {"A", "B"}, 10) == 1.0


def test_recall_counts_an_item_once_however_often_it_is_retrieved() -> None:
    assert metrics.recall_at_k([{"A"}, {"A"}, {"A"}], {"A", "B"}, 5) == 0.5


def test_recall_needs_relevant_items() -> None:
    with pytest.raises(ValueError):
        metrics.recall_at_k([{"A"}], set(), 5)


def test_ndcg_of_hits_at_ranks_two_and_four() -> None:
    # DCG = 1/log2(3) + 1/log2(5) = 1.06161; ideal = 1 + 1/log2(3) = 1.63093.
    ranking = [{"x"}, {"A"}, {"y"}, {"B"}]
    assert metrics.ndcg_at_k(ranking, {"A", "B"}, 10) == pytest.approx(0.65092, abs=1e-5)


def test_ndcg_of_a_perfect_ranking_is_one() -> None:
    assert metrics.ndcg_at_k([{"A"}, {"B"}, {"x"}], {"A", "B"}) == pytest.approx(1.0)


def test_ndcg_with_one_of_three_items_at_the_top() -> None:
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert metrics.ndcg_at_k([{"A"}, {"x"}], {"A", "B", "C"}) == pytest.approx(1 / ideal)


def test_ndcg_ignores_hits_below_k_and_caps_a_passage_holding_several_items() -> None:
    assert metrics.ndcg_at_k([{"x"}, {"A"}], {"A"}, k=1) == 0.0
    assert metrics.ndcg_at_k([{"A", "B", "C"}], {"A", "B", "C"}) == 1.0


def test_citation_hit_needs_one_relevant_citation() -> None:
    assert metrics.citation_hit([{"x"}, {"projects", "P020"}], {"P020", "y"})
    assert not metrics.citation_hit([{"x"}], {"P020"})
    assert not metrics.citation_hit([], {"P020"})


def test_quote_missing_from_its_passage_is_ungrounded() -> None:
    passages = {"c1": "Fire control went live on 1 July 2014.", "c2": "Other text."}
    quotes = [
        ("c1", "Fire control went live on 1 July 2014."),
        ("c2", "Fire control went live on 1 July 2014."),
        ("c9", "Other text."),
        ("c1", "  "),
    ]
    assert metrics.ungrounded(quotes, passages) == ["c2", "c9", "c1"]


@pytest.mark.parametrize(
    ("fact", "text", "present"),
    [
        ("405", "crews were sent to 405 calls", True),
        ("405", "crews were sent to 4050 calls", False),
        ("405", "crews were sent to 1405 calls", False),
        ("405", "in total (405), then more", True),
        ("405", "sent to 405, then 12", True),
        ("4", "savings of £4.5 million", False),
        ("4", "savings of £4 million", True),
        ("1,067", "a survey of 21,067 people", False),
        ("1,067", "a survey of 1,067 people", True),
        ("20", "in 2020", False),
        ("93%", "first in 93% of cases", True),
        ("3.78", "a £3.78m award", True),
        ("3.78", "a £3.789m award", False),
        ("£4 million per year", "about £4 Million  per\nyear", True),
        ("Nick Chard", "cllr NICK\n CHARD", True),
        ("Chief Fire Officers' Association", "the chief fire officers’ association", True),
        ("“Safer Together”", 'a vision, "Safer Together", in 2019', True),
        ("2020-21", "by 2020–21", False),
    ],
)
def test_key_fact_matching(fact: str, text: str, present: bool) -> None:
    assert metrics.fact_present(fact, text) is present


def test_key_fact_coverage_is_the_share_present() -> None:
    text = "It cost £7.6 million and went live on 1 July 2014."
    facts = ["£7.6 million", "1 July 2014", "16 December 2014", "Bootle"]
    assert metrics.fact_coverage(facts, text) == 0.5


def test_percentiles_interpolate_between_ranks() -> None:
    assert metrics.percentile([4, 1, 3, 2], 50) == 2.5
    assert metrics.percentile([1, 2, 3, 4], 95) == pytest.approx(3.85)
    assert metrics.percentile([7.0], 95) == 7.0


def test_mean_of_nothing_is_not_measured() -> None:
    assert metrics.mean([]) is None
    assert metrics.mean([1.0, 0.0]) == 0.5
