"""Officers'-wording twins: general rules, the same expectations, and the committed files."""

from __future__ import annotations

import json
import random
from pathlib import Path

from evals.generate.officer import (
    SUFFIX,
    county_short,
    name_runs,
    shorten,
    twin,
    twins,
    typo,
)

DATASETS = Path(__file__).resolve().parents[2] / "evals" / "datasets"
KEPT = ("must_cite", "key_facts", "kind", "expected_status", "split", "rule", "source")


def rows(name: str) -> list[dict]:  # type: ignore[type-arg]
    text = (DATASETS / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line]


def test_counties_take_their_customary_short_form_and_other_words_none() -> None:
    assert county_short("Nottinghamshire") == "Notts"
    assert county_short("Warwickshire") == "Warks"
    assert county_short("Kent") is None


def test_names_are_runs_of_capitalised_words_with_connectors_inside() -> None:
    words = [
        "When",
        "did",
        "Kent",
        "Fire",
        "and",
        "Rescue",
        "Service",
        "move",
        "to",
        "the",
        "Ops",
        "Centre?",
    ]
    assert [" ".join(words[a:b]) for a, b in name_runs(words)] == [
        "Kent Fire and Rescue Service",
        "Ops Centre?",
    ]


def test_a_long_name_is_said_by_its_initials_or_without_its_generic_head() -> None:
    made = {
        " ".join(shorten(["Kent", "Fire", "and", "Rescue", "Service"], random.Random(n))[0])
        for n in range(40)
    }
    assert made == {"KFRS", "Kent FRS", "Kent Fire and Rescue"}
    assert shorten(["Sherwood", "Lodge"], random.Random(1)) is None


def test_a_typo_changes_one_word_by_one_slip() -> None:
    for n in range(20):
        slipped = typo("collaboration", random.Random(n))
        assert slipped != "collaboration"
        assert abs(len(slipped) - len("collaboration")) <= 1


def test_a_twin_keeps_every_expectation_and_is_the_same_for_the_same_seed() -> None:
    source = rows("generated-test.jsonl")[:200]
    made = twins(source)
    assert made == twins(source)
    for row, new in zip(source, made, strict=True):
        assert new["id"] == row["id"] + SUFFIX
        assert {k: new[k] for k in KEPT} == {k: row[k] for k in KEPT}
    assert sum(t["question"] != r["question"] for t, r in zip(made, source, strict=True)) >= 190


def test_a_follow_up_twin_names_the_thing_first_and_asks_about_it() -> None:
    row = {
        "id": "x",
        "question": "When did the Lincolnshire Blue Light Collaboration Programme start?",
        "rule": "record.start",
    }
    follow = [t for n in range(200) if "history" in (t := twin(row, seed=n))]
    assert follow
    for t in follow:
        assert t["history"][0]["role"] == "user"
        assert "lincolnshire" not in t["question"].lower()


def test_the_committed_twins_are_what_the_rules_make_from_the_committed_sets() -> None:
    for split in ("tune", "test"):
        expected = twins(rows(f"generated-{split}.jsonl"))
        assert rows(f"generated-{split}-officer.jsonl") == expected, (
            "run `python -m evals.generate.officer`"
        )
