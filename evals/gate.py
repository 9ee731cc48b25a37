"""The quality gate: the checked-in floors and ceilings, and which of them a run misses."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import BadInput

BASELINE_DELTA = "recall_at_5_over_baseline"
# Metrics are means of a few dozen values; this absorbs float noise, never a real miss.
EPSILON = 1e-9


class ThresholdsError(BadInput):
    """The thresholds file cannot be read or holds something other than numbers."""


@dataclass(frozen=True)
class Check:
    metric: str
    op: str  # ">=" for a floor, "<=" for a ceiling
    limit: float
    value: float | None
    skipped: bool = False

    @property
    def passed(self) -> bool:
        if self.skipped:
            return True
        if self.value is None:
            return False
        if self.op == ">=":
            return self.value >= self.limit - EPSILON
        return self.value <= self.limit + EPSILON

    def describe(self) -> str:
        if self.skipped:
            return f"{self.metric}: skipped (no baseline in this run)"
        shown = "not measured" if self.value is None else f"{self.value:.3f}"
        verdict = "ok" if self.passed else "BELOW" if self.op == ">=" else "ABOVE"
        return f"{self.metric}: {shown} (target {self.op} {self.limit:.2f}) {verdict}"


def default_thresholds() -> Path:
    return Path(__file__).resolve().parent / "thresholds.toml"


@dataclass(frozen=True)
class DatasetGate:
    """A question set the gate also runs, with its own floors and ceilings."""

    dataset: Path
    split: str | None
    thresholds: dict[str, dict[str, float]]


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ThresholdsError(f"{path}: cannot read the thresholds ({exc})") from exc


def _limits(data: dict[str, Any], path: Path, where: str = "") -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for table in ("floors", "ceilings"):
        values = data.get(table, {})
        if not all(isinstance(v, int | float) for v in values.values()):
            raise ThresholdsError(f"{path}: every value in [{where}{table}] must be a number")
        out[table] = {k: float(v) for k, v in values.items()}
    return out


def load_thresholds(path: Path | None = None) -> dict[str, dict[str, float]]:
    """{"floors": {...}, "ceilings": {...}} from the TOML file: the dev set's."""
    path = path or default_thresholds()
    return _limits(_read(path), path)


def dataset_gates(path: Path | None = None) -> list[DatasetGate]:
    """The other question sets the gate runs ([datasets."<file>"] tables), each with its own
    split and limits."""
    path = path or default_thresholds()
    out = []
    for name, table in _read(path).get("datasets", {}).items():
        split = table.get("split")
        if split is not None and not isinstance(split, str):
            raise ThresholdsError(f'{path}: [datasets."{name}"] split must be a string')
        limits = _limits(table, path, f'datasets."{name}".')
        out.append(DatasetGate(path.parent / "datasets" / name, split, limits))
    return out


def thresholds_for(
    dataset: Path, split: str | None, path: Path | None = None
) -> dict[str, dict[str, float]]:
    """The limits a run of this set (and split) is held to: its own when the thresholds file
    names it, else the dev set's."""
    for gate in dataset_gates(path):
        if gate.dataset.name == dataset.name and gate.split == split:
            return gate.thresholds
    return load_thresholds(path)


def baseline_datasets(path: Path | None = None) -> list[Path]:
    """The question sets the baseline gap is measured over ([baseline] datasets), if named."""
    path = path or default_thresholds()
    names = _read(path).get("baseline", {}).get("datasets", [])
    return [path.parent / "datasets" / name for name in names]


def check(
    overall: dict[str, Any],
    baseline: dict[str, Any] | None,
    thresholds: dict[str, dict[str, float]],
    gap_overall: dict[str, Any] | None = None,
) -> list[Check]:
    """Each threshold against the run's overall metrics; the baseline gap compares
    `gap_overall` (the pipeline over the baseline's question set) with `baseline`."""
    gap_overall = gap_overall or overall
    checks: list[Check] = []
    for metric, limit in thresholds.get("floors", {}).items():
        if metric == BASELINE_DELTA:
            if baseline is None:
                checks.append(Check(metric, ">=", limit, None, skipped=True))
                continue
            ours, theirs = gap_overall.get("recall_at_5"), baseline.get("recall_at_5")
            delta = None if ours is None or theirs is None else ours - theirs
            checks.append(Check(metric, ">=", limit, delta))
        else:
            checks.append(Check(metric, ">=", limit, overall.get(metric)))
    for metric, limit in thresholds.get("ceilings", {}).items():
        checks.append(Check(metric, "<=", limit, overall.get(metric)))
    return checks
