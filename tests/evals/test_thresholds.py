"""The checked-in thresholds and how a run is held against them."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.gate import ThresholdsError, check, dataset_gates, load_thresholds, thresholds_for

PASSING = {
    "recall_at_5": 0.95,
    "citation_hit": 0.9,
    "grounded": 1.0,
    "out_of_scope_declined": 1.0,
    "key_fact_coverage": 0.8,
    "in_scope_wrongly_declined": 0.0,
}


def test_checked_in_thresholds_are_the_reported_floors() -> None:
    t = load_thresholds()
    assert t["floors"] == {
        "recall_at_5": 0.90,
        "citation_hit": 0.85,
        "grounded": 1.00,
        "out_of_scope_declined": 0.75,
        "key_fact_coverage": 0.60,
        "recall_at_5_over_baseline": 0.15,
    }
    assert t["ceilings"] == {"in_scope_wrongly_declined": 0.05}


def test_a_run_meeting_every_target_passes() -> None:
    checks = check(PASSING, {"recall_at_5": 0.7}, load_thresholds())
    assert all(c.passed for c in checks)
    delta = next(c for c in checks if c.metric == "recall_at_5_over_baseline")
    assert delta.value == pytest.approx(0.25)


def test_each_missed_floor_or_ceiling_is_named() -> None:
    metrics = {**PASSING, "grounded": 0.99, "in_scope_wrongly_declined": 0.06}
    failed = [c for c in check(metrics, {"recall_at_5": 0.85}, load_thresholds()) if not c.passed]
    assert [c.metric for c in failed] == [
        "grounded",
        "recall_at_5_over_baseline",
        "in_scope_wrongly_declined",
    ]
    assert failed[0].describe() == "grounded: 0.990 (target >= 1.00) BELOW"
    assert failed[2].describe() == "in_scope_wrongly_declined: 0.060 (target <= 0.05) ABOVE"


def test_a_metric_exactly_on_its_target_passes_despite_float_noise() -> None:
    metrics = {**PASSING, "recall_at_5": sum([0.1] * 9), "citation_hit": 0.85}
    assert all(c.passed for c in check(metrics, {"recall_at_5": 0.75}, load_thresholds()))


def test_unmeasured_metric_fails_but_a_run_without_baseline_skips_the_delta() -> None:
    checks = {c.metric: c for c in check({**PASSING, "grounded": None}, None, load_thresholds())}
    assert not checks["grounded"].passed
    assert checks["recall_at_5_over_baseline"].skipped
    assert checks["recall_at_5_over_baseline"].passed


def test_thresholds_that_are_not_numbers_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text('[floors]\nrecall_at_5 = "high"\n')
    with pytest.raises(ThresholdsError, match="must be a number"):
        load_thresholds(path)


def test_the_officer_test_split_is_gated_with_its_own_limits() -> None:
    gates = {(g.dataset.name, g.split): g for g in dataset_gates()}
    officer = gates[("officer.jsonl", "test")]
    assert officer.dataset.is_file()
    assert set(officer.thresholds["floors"]) == {
        "recall_at_5",
        "citation_hit",
        "grounded",
        "out_of_scope_declined",
        "key_fact_coverage",
        "project_lookup_f1",
    }
    assert set(officer.thresholds["ceilings"]) == {"in_scope_wrongly_declined"}
    assert thresholds_for(Path("x/officer.jsonl"), "test") == officer.thresholds
    assert thresholds_for(Path("x/officer.jsonl"), "tune") == load_thresholds()


def test_a_set_without_its_own_limits_is_held_to_the_dev_sets(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(
        "[floors]\nrecall_at_5 = 0.9\n"
        '[datasets."a.jsonl"]\nsplit = "test"\n'
        '[datasets."a.jsonl".floors]\nrecall_at_5 = 0.5\n'
        '[datasets."a.jsonl".ceilings]\nin_scope_wrongly_declined = 0.4\n'
    )
    assert thresholds_for(Path("a.jsonl"), "test", path) == {
        "floors": {"recall_at_5": 0.5},
        "ceilings": {"in_scope_wrongly_declined": 0.4},
    }
    assert thresholds_for(Path("b.jsonl"), None, path)["floors"] == {"recall_at_5": 0.9}
    path.write_text('[datasets."a.jsonl".floors]\nrecall_at_5 = "high"\n')
    with pytest.raises(ThresholdsError, match=r'datasets\."a\.jsonl"\.floors'):
        dataset_gates(path)
