"""Set the judgement's weights and thresholds on the tune splits, and print the grid it searched.

    .venv/bin/python -m evals.tune [--dataset evals/datasets/generated-tune.jsonl ...]

Each question is understood and retrieved once; the judge (cheap, pure) is then re-run while
each setting in turn moves over its grid, the others held (coordinate descent, two rounds). The
score counts a wrong confident answer as worse than a needless decline, and rewards key facts in
the answer; the best settings are printed with their figures, to be copied into
assistant/tuning.py. Only the tune split is read; the test split, the dev set and the second
corpus report.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

from assistant import tuning
from assistant.compose.base import Evidence
from assistant.compose.extractive import ExtractiveComposer
from assistant.judgement.judge import judge
from assistant.settings import Settings
from assistant.types import DECLINING, Ask, Turn
from evals.dataset import Question, load_dataset
from evals.fit import DEFAULT_DATA

# A wrong answer to a question the evidence does not answer costs this many needless declines.
WRONG_ANSWER_COST = 1.5
# A key fact found in an answer is worth this much of a needless decline.
KEY_FACT_VALUE = 0.5

GRID = {
    "W_TERMS": [0.3, 0.45, 0.6, 0.8, 1.0, 1.3],
    "W_CONTEXT": [0.0, 0.15, 0.25, 0.4],
    "W_RANK": [0.0, 0.05, 0.1, 0.2],
    "W_PART": [0.2, 0.4, 0.6],
    "W_FOCUS": [0.0, 0.8, 1.0, 1.2],
    "FIELD_WEIGHT": [0.6, 0.8, 1.0],
    "W_ASKED": [0.0, 0.2, 0.4, 0.6, 0.8],
    "ASKED_FLOOR": [0.0, 0.05, 0.1, 0.15, 0.2, 0.3],
    "MIN_RELEVANCE": [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0, 1.1],
    "MIN_TYPED_RELEVANCE": [0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
    "KEEP_RATIO": [0.5, 0.6, 0.7, 0.8, 0.9],
    "MAX_SENTENCES": [2, 3, 4, 5],
}
ROUNDS = 2


@dataclass
class Figures:
    score: float
    wrong_answers: int
    false_declines: int
    key_facts: float
    declinable: int
    answerable: int


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, nargs="*", default=[Path(p) for p in DEFAULT_DATA])
    parser.add_argument("--split", default="tune")
    parser.add_argument("--measure", action="store_true", help="only print the current figures")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    questions = [
        q
        for path in args.dataset
        for q in load_dataset(path)
        if getattr(q, "split", args.split) == args.split
    ]
    from assistant.factory import build_assistant

    assistant = build_assistant(Settings())
    prepared = []
    for q in questions:
        # A follow-up is asked with its earlier turns, as the eval asks it.
        turns = [Turn(role=role, content=content) for role, content in q.history]  # type: ignore[arg-type]
        ask = Ask(question=q.question, history=turns)
        u = assistant.understand(ask)
        prepared.append((q, u, assistant.retrieve(u, ask)))
    best = measure(prepared)
    print(f"{len(questions)} questions from {', '.join(map(str, args.dataset))} split {args.split}")
    print("start", _settings(), best)
    if args.measure:
        return
    for _ in range(ROUNDS):
        for name, values in GRID.items():
            kept = getattr(tuning, name)
            for value in values:
                setattr(tuning, name, value)
                figures = measure(prepared)
                if figures.score > best.score:
                    best, kept = figures, value
            setattr(tuning, name, kept)
        print("round", _settings(), best)


def _settings() -> dict[str, float]:
    return {name: getattr(tuning, name) for name in GRID}


def measure(prepared: list) -> Figures:
    wrong = false = 0
    facts = 0.0
    declinable = answerable = 0
    composer = ExtractiveComposer()
    for q, u, retrieval in prepared:
        verdict = judge(u.question, u.analysis, retrieval)
        expected = _expected(q)
        given_decline = verdict.status in DECLINING
        if expected in DECLINING:
            declinable += 1
            wrong += not given_decline
            continue
        answerable += 1
        if given_decline:
            false += 1
            continue
        text = composer.compose(Evidence.of(u, retrieval, verdict), []).text.lower()
        if q.key_facts:
            facts += sum(f.lower() in text for f in q.key_facts) / len(q.key_facts)
    score = -WRONG_ANSWER_COST * wrong - false + KEY_FACT_VALUE * facts
    return Figures(round(score, 2), wrong, false, round(facts, 1), declinable, answerable)


def _expected(q: Question) -> str:
    status = getattr(q, "expected_status", None)
    if status:
        return status
    return "not_covered" if not q.in_scope else "answered"


if __name__ == "__main__":
    main()
