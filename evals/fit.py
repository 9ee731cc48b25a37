"""Fit the answer decision (assistant/judgement/model.json) to labelled questions.

    .venv/bin/python -m evals.fit [--data evals/datasets/generated-tune.jsonl ...]

Each question is understood, retrieved and assessed once (assistant/judgement/judge.py `assess`); a
logistic regression over the signals then learns which candidates answer: label 1 for a question
the evidence answers wholly or in part, 0 for one it does not (requests outside the remit and
record queries are decided by rules of their own and left out). The operating point is the
highest threshold that wrongly declines at most MAX_FALSE_DECLINES of the answerable questions
of every set given, so the tune data of both wordings hold it. Only tune splits are read.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from assistant.judgement import signals
from assistant.judgement.judge import assess
from assistant.judgement.model import PARAMETERS
from assistant.question import remit
from assistant.types import DECLINING, Ask, Turn

DEFAULT_DATA = (
    "evals/datasets/generated-tune.jsonl",
    "evals/datasets/generated-tune-officer.jsonl",
    "evals/datasets/officer.jsonl",
)
# The share of answerable tune questions the operating point may decline, per set.
MAX_FALSE_DECLINES = 0.05
# When candidates alone miss more than MAX_FALSE_DECLINES, the model may still add this share.
MIN_SHARE = 0.01
# Inverse regularisation strength of the logistic regression (scikit-learn's default).
C = 1.0
# Signals of how close the evidence is to the question and how much of it the evidence holds:
# more never counts against answering, so evidence far from any question the model was fitted
# on is not answered by extrapolating a negative weight (held at zero or above;
# cross-validated on the tune splits, declines were as good as or better than without it).
CLOSENESS = frozenset(
    {"best_relevance", "best_similarity", "chosen_similarity", "top_dense", "own_share"}
    | {"passage_share"}
)


def rows(path: Path) -> Iterator[dict[str, object]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row.get("split", "tune") == "tune":
                yield row


def expected(row: dict[str, object]) -> str:
    if row.get("expected_status"):
        return str(row["expected_status"])
    kind = row.get("kind")
    if kind == "out_of_scope":
        return {"injection": "refused", "off_topic": "out_of_remit"}.get(
            str(row.get("oos_type")), "not_covered"
        )
    return "not_covered" if kind in ("follow_up_oos", "near_miss") else "answered"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", nargs="*", default=list(DEFAULT_DATA))
    parser.add_argument("--out", type=Path, default=PARAMETERS)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from assistant.factory import build_assistant
    from assistant.settings import Settings

    assistant = build_assistant(Settings())
    xs: list[list[float]] = []
    ys: list[int] = []
    sets: list[str] = []
    # Whether the evidence gave a candidate answer: without one the question is declined
    # whatever the model says, so those rows neither train it nor set its threshold.
    cands: list[bool] = []
    counts: dict[str, int] = {}
    for name in args.data:
        path = Path(name)
        if not path.is_file():
            print(f"skipped {name}: no such file")
            continue
        for row in rows(path):
            status = expected(row)
            if status in ("out_of_remit", "refused"):
                continue
            question = str(row["question"])
            history = [Turn(**h) for h in row.get("history") or []]  # type: ignore[arg-type]
            ask = Ask(question=question, history=history)
            understood = assistant.understand(ask)
            if remit.check(understood.question):
                continue
            retrieval = assistant.retrieve(understood, ask)
            if retrieval.records is not None:
                continue
            found = assess(understood.analysis, retrieval)
            cands.append(found.candidate.status != "not_covered")
            xs.append([found.features.get(n, 0.0) for n in signals.NAMES])
            ys.append(int(status not in DECLINING))
            sets.append(path.name)
            counts[path.name] = counts.get(path.name, 0) + 1
    x, y, has = np.asarray(xs), np.asarray(ys), np.asarray(cands)
    mean, scale = x[has].mean(axis=0), x[has].std(axis=0)
    scale[scale == 0] = 1.0
    coef, intercept = _logistic((x[has] - mean) / scale, y[has], _bounds(signals.NAMES))
    p = np.where(has, 1.0 / (1.0 + np.exp(-((x - mean) / scale @ coef + intercept))), -1.0)
    labels = np.asarray(sets)
    threshold = min(_threshold(p[(labels == s) & (y == 1)]) for s in counts)
    params = {
        "features": list(signals.NAMES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": coef.round(6).tolist(),
        "intercept": round(float(intercept), 6),
        "at_least_zero": sorted(CLOSENESS),
        "threshold": round(threshold, 6),
        "fitted_on": counts,
        "command": "python -m evals.fit " + " ".join(args.data),
    }
    args.out.write_text(json.dumps(params, indent=1) + "\n", encoding="utf-8")
    for s in counts:
        m = labels == s
        pos, neg = m & (y == 1), m & (y == 0)
        print(
            f"{s}: {m.sum()} questions; wrongly declined {np.mean(p[pos] < threshold):.3f}, "
            f"should-decline declined {np.mean(p[neg] < threshold) if neg.any() else 0.0:.3f}"
        )
    for n, c in sorted(zip(signals.NAMES, params["coef"], strict=True), key=lambda t: -abs(t[1])):
        print(f"  {n:22s} {c:+.3f}")
    print(f"threshold {threshold:.3f}; written to {args.out}")


def _bounds(names: tuple[str, ...]) -> list[tuple[float | None, float | None]]:
    """Closeness and shared terms weigh only for answering; other signals go either way."""
    return [(0.0, None) if n in CLOSENESS else (None, None) for n in names]


def _logistic(
    x: np.ndarray, y: np.ndarray, bounds: list[tuple[float | None, float | None]]
) -> tuple[np.ndarray, float]:
    """Logistic regression as scikit-learn's (L2 penalty, strength C, classes weighted to
    balance), with each coefficient held within its bounds (L-BFGS-B)."""
    from scipy.optimize import minimize

    weight = np.where(y == 1, 0.5 / np.mean(y == 1), 0.5 / np.mean(y == 0))
    n = x.shape[1]

    def loss(b: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ b[:n] + b[n]
        # log(1 + e^z) - y z, written to stay finite for large |z|
        value = float(np.sum(weight * (np.logaddexp(0.0, z) - y * z)) + 0.5 / C * b[:n] @ b[:n])
        residual = weight * (1.0 / (1.0 + np.exp(-z)) - y)
        return value, np.append(x.T @ residual + b[:n] / C, residual.sum())

    found = minimize(
        loss, np.zeros(n + 1), jac=True, method="L-BFGS-B", bounds=[*bounds, (None, None)]
    )
    return found.x[:n], float(found.x[n])


def _threshold(p: np.ndarray) -> float:
    """The highest probability that declines at most MAX_FALSE_DECLINES of these answerable
    questions, counting those declined for want of any candidate (p < 0); at least the lowest
    share MIN_SHARE when those alone exceed it."""
    if not len(p):
        return 1.0
    already = float(np.mean(p < 0))
    share = max(MIN_SHARE, MAX_FALSE_DECLINES - already)
    return float(np.quantile(p[p >= 0], share))


if __name__ == "__main__":
    main()
