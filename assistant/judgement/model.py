"""The fitted answer decision: logistic regression over the signals of
assistant/judgement/signals.py.

Its parameters live in model.json beside this file, written by `python -m evals.fit`
from labelled questions (which ones, and the operating point, are recorded in the file).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PARAMETERS = Path(__file__).with_name("model.json")


@dataclass(frozen=True)
class Decision:
    """The fitted logistic regression over the signals, and the probability it answers at."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float  # answer when the probability reaches it

    def probability(self, values: dict[str, float]) -> float:
        z = self.intercept
        for name, mean, scale, coef in zip(
            self.features, self.mean, self.scale, self.coef, strict=True
        ):
            z += coef * (values.get(name, 0.0) - mean) / scale
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    @classmethod
    def read(cls, path: Path) -> Decision:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            features=tuple(data["features"]),
            mean=tuple(data["mean"]),
            scale=tuple(data["scale"]),
            coef=tuple(data["coef"]),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
        )


@lru_cache(maxsize=1)
def fitted() -> Decision:
    return Decision.read(PARAMETERS)


def answers(values: dict[str, float]) -> bool:
    """Whether the evidence answers, by the fitted model at its operating point."""
    model = fitted()
    return model.probability(values) >= model.threshold
