"""Eval datasets: JSONL golden questions with the evidence and facts a good answer stands on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from assistant.errors import BadInput
from assistant.types import DECLINING, Status

# The first six are the hand-written kinds; the next three are what a question that must be
# declined was built as: a near miss of the evidence, a request outside the assistant's remit,
# an attempt to change or reveal its instructions; the last two are asked after earlier turns
# (`history`), answerable or not.
KINDS = (
    "factual",
    "list",
    "comparison",
    "multi_hop",
    "project_lookup",
    "out_of_scope",
    "near_miss",
    "out_of_remit",
    "injection",
    "follow_up",
    "follow_up_oos",
)
OUT_OF_SCOPE = "out_of_scope"
# The outcomes an answer can have, in the order reports show them.
STATUSES: tuple[str, ...] = get_args(Status)
# What a question expects when its line names no expected_status.
DEFAULT_STATUS = {
    "out_of_scope": "not_covered",
    "near_miss": "not_covered",
    "out_of_remit": "out_of_remit",
    "injection": "refused",
    "follow_up_oos": "not_covered",
}
# What an out_of_scope question expects by its `oos_type`, when its line names no expected_status.
OOS_STATUS = {"near_miss": "not_covered", "off_topic": "out_of_remit", "injection": "refused"}
SPLITS = ("tune", "test")
ROLES = ("user", "assistant")


class DatasetError(BadInput):
    """A dataset file that cannot be used, naming the file, the line and the fix."""


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answer: str
    must_cite: tuple[str, ...]
    key_facts: tuple[str, ...]
    kind: str
    # The outcome a good answer has; "" takes the kind's default (DEFAULT_STATUS, else answered).
    expected_status: str = ""
    # "tune" or "test" for generated sets, so weights set on one are checked on the other.
    split: str | None = None
    # How a generated question was built ("nearmiss.place_swap"), for outcomes per rule.
    rule: str | None = None
    # Earlier turns of the conversation, (role, content), oldest first: asked as a follow-up.
    history: tuple[tuple[str, str], ...] = ()
    # For out_of_scope questions: near_miss, off_topic or injection.
    oos_type: str | None = None

    def __post_init__(self) -> None:
        if not self.expected_status:
            default = DEFAULT_STATUS.get(self.kind, "answered")
            object.__setattr__(self, "expected_status", default)

    @property
    def in_scope(self) -> bool:
        """Whether the evidence answers it, wholly or in part: it has evidence to cite."""
        return self.expected_status not in DECLINING


def default_dataset() -> Path:
    """The dev set: the one the CI gate runs."""
    return Path(__file__).resolve().parent / "datasets" / "dev.jsonl"


def load_dataset(path: Path) -> list[Question]:
    """Read and check a dataset; every problem names its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read the dataset ({exc.strerror or exc})") from exc
    questions: list[Question] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})") from exc
        question = _question(row, where)
        if question.id in seen:
            raise DatasetError(f"{where}: duplicate id {question.id!r}; ids must be unique")
        seen.add(question.id)
        questions.append(question)
    if not questions:
        raise DatasetError(f"{path}: the dataset holds no questions")
    return questions


def _question(row: Any, where: str) -> Question:
    if not isinstance(row, dict):
        raise DatasetError(f"{where}: each line must be a JSON object")
    for name in ("id", "question", "kind"):
        if not isinstance(row.get(name), str) or not row[name].strip():
            raise DatasetError(f"{where}: {name!r} must be a non-empty string")
    if row["kind"] not in KINDS:
        raise DatasetError(f"{where}: kind {row['kind']!r} is not one of {', '.join(KINDS)}")
    oos_type = row.get("oos_type")
    if oos_type is not None and oos_type not in OOS_STATUS:
        raise DatasetError(f"{where}: oos_type {oos_type!r} is not one of {', '.join(OOS_STATUS)}")
    status = (
        row.get("expected_status")
        or (OOS_STATUS.get(oos_type) if oos_type else None)
        or DEFAULT_STATUS.get(row["kind"], "answered")
    )
    if status not in STATUSES:
        raise DatasetError(
            f"{where}: expected_status {status!r} is not one of {', '.join(STATUSES)}"
        )
    split = row.get("split")
    if split is not None and split not in SPLITS:
        raise DatasetError(f"{where}: split {split!r} is not one of {', '.join(SPLITS)}")
    lists = {}
    for name in ("must_cite", "key_facts"):
        value = row.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise DatasetError(f"{where}: {name!r} must be a list of non-empty strings")
        lists[name] = tuple(value)
    if status in DECLINING and (lists["must_cite"] or lists["key_facts"]):
        raise DatasetError(
            f"{where}: questions expected to be {status} take empty must_cite and key_facts"
        )
    if status not in DECLINING and not lists["must_cite"]:
        raise DatasetError(f"{where}: an in-scope question needs at least one must_cite item")
    history = _history(row.get("history", []), where)
    if row["kind"].startswith("follow_up") and not history:
        raise DatasetError(f"{where}: a {row['kind']} question needs its earlier turns ('history')")
    absent = row.get("absent_terms", {})
    if not isinstance(absent, dict) or not all(
        isinstance(v, list) and all(isinstance(t, str) for t in v) for v in absent.values()
    ):
        raise DatasetError(f"{where}: 'absent_terms' must map each source to a list of terms")
    return Question(
        id=row["id"],
        question=row["question"],
        answer=str(row.get("answer", "")),
        must_cite=lists["must_cite"],
        key_facts=lists["key_facts"],
        kind=row["kind"],
        expected_status=status,
        split=split,
        rule=row.get("rule") if isinstance(row.get("rule"), str) else None,
        history=history,
        oos_type=oos_type,
    )


def _history(value: Any, where: str) -> tuple[tuple[str, str], ...]:
    """The earlier turns: a list of {"role": "user" | "assistant", "content": text}."""
    if not isinstance(value, list):
        raise DatasetError(f"{where}: 'history' must be a list of turns")
    turns = []
    for turn in value:
        if (
            not isinstance(turn, dict)
            or turn.get("role") not in ROLES
            or not isinstance(turn.get("content"), str)
            or not turn["content"].strip()
        ):
            raise DatasetError(
                f"{where}: each 'history' turn must be "
                '{"role": "user" or "assistant", "content": non-empty text}'
            )
        turns.append((turn["role"], turn["content"]))
    return tuple(turns)
