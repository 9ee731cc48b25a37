"""The report's plots (PNG, matplotlib's Agg backend): metrics against the baseline and the
targets, the latency distribution, and the per-kind breakdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

METRICS_PNG = "metrics.png"
LATENCY_PNG = "latency.png"
KINDS_PNG = "kinds.png"

RETRIEVAL = ("recall_at_1", "recall_at_5", "recall_at_10", "mrr", "ndcg_at_10")
ANSWERS = (
    "citation_hit",
    "grounded",
    "key_fact_coverage",
    "out_of_scope_declined",
    "in_scope_wrongly_declined",
)
PER_KIND = ("recall_at_5", "citation_hit", "key_fact_coverage", "declined_right")


def write_plots(folder: Path, report: dict[str, Any]) -> list[str]:
    """Draw the three plots into the folder; returns their file names."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _metrics(plt, folder / METRICS_PNG, report)
    _latency(plt, folder / LATENCY_PNG, report)
    _kinds(plt, folder / KINDS_PNG, report)
    return [METRICS_PNG, LATENCY_PNG, KINDS_PNG]


def _value(x: float | None) -> float:
    return 0.0 if x is None else float(x)


def _metrics(plt: Any, path: Path, report: dict[str, Any]) -> None:
    overall = report["metrics"]["overall"]
    baseline = (report.get("baseline") or {}).get("overall")
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    xs = list(range(len(RETRIEVAL)))
    width = 0.38 if baseline else 0.6
    left.bar(
        [x - width / 2 if baseline else x for x in xs],
        [_value(overall[m]) for m in RETRIEVAL],
        width,
        label="bluelight",
    )
    if baseline:
        left.bar(
            [x + width / 2 for x in xs],
            [_value(baseline[m]) for m in RETRIEVAL],
            width,
            label="tutorial baseline (top 4)",
        )
    left.set_xticks(xs, [m.replace("_at_", "@") for m in RETRIEVAL])
    left.set_ylim(0, 1.05)
    left.set_title("Retrieval against the baseline")
    left.legend(loc="lower right")

    limits = {**report["thresholds"].get("floors", {}), **report["thresholds"].get("ceilings", {})}
    xs = list(range(len(ANSWERS)))
    right.bar(xs, [_value(overall[m]) for m in ANSWERS], 0.6, color="tab:green")
    for x, metric in zip(xs, ANSWERS, strict=True):
        if metric in limits:
            right.hlines(limits[metric], x - 0.35, x + 0.35, colors="black", linestyles="dashed")
    right.set_xticks(xs, [m.replace("_", "\n") for m in ANSWERS], fontsize=8)
    right.set_ylim(0, 1.05)
    right.set_title("Citations, facts and declining (dashed: target)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _latency(plt: Any, path: Path, report: dict[str, Any]) -> None:
    fig, ax = plt.subplots(figsize=(8, 4.5))
    stages = {
        stage: [q["timings_ms"][stage] for q in report["questions"] if stage in q["timings_ms"]]
        for stage in ("retrieve", "compose", "wall")
    }
    top = max((max(v) for v in stages.values() if v), default=1.0) or 1.0
    # One set of bins for every stage, so the bars line up and compare.
    bins = [top * i / 30 for i in range(31)]
    for stage, values in stages.items():
        if values:
            ax.hist(values, bins=bins, alpha=0.55, label=stage)
    ax.set_xlabel("milliseconds per question")
    ax.set_ylabel("questions")
    ax.set_title("Latency distribution by stage")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _kinds(plt: Any, path: Path, report: dict[str, Any]) -> None:
    kinds = report["metrics"]["by_kind"]
    names = list(kinds)
    fig, ax = plt.subplots(figsize=(11, 4.5))
    width = 0.8 / len(PER_KIND)
    for i, metric in enumerate(PER_KIND):
        values = [_value(_kind_metric(kinds[k], metric)) for k in names]
        ax.bar([x + (i - 1.5) * width for x in range(len(names))], values, width, label=metric)
    ax.set_xticks(range(len(names)), [f"{k}\n(n={kinds[k]['questions']})" for k in names])
    ax.set_ylim(0, 1.05)
    ax.set_title("Per kind (declined_right: out-of-scope declined, or in-scope answered)")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _kind_metric(values: dict[str, Any], metric: str) -> float | None:
    if metric != "declined_right":
        return values.get(metric)
    if values["out_of_scope"]:
        return values["out_of_scope_declined"]
    wrong = values["in_scope_wrongly_declined"]
    return None if wrong is None else 1 - wrong
