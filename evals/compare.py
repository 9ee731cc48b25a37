"""`bluelight eval --compare A B`: what changed between two runs, read from their JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.errors import BadInput
from evals.report import load_report

METRICS = (
    "recall_at_1",
    "recall_at_5",
    "recall_at_10",
    "mrr",
    "ndcg_at_10",
    "citation_hit",
    "grounded",
    "answers_without_citation",
    "key_fact_coverage",
    "out_of_scope_declined",
    "in_scope_wrongly_declined",
    "project_lookup_f1",
)
KIND_METRICS = (
    "recall_at_5",
    "citation_hit",
    "key_fact_coverage",
    "in_scope_wrongly_declined",
    "out_of_scope_declined",
)


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _delta(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return ""
    d = b - a
    return "0" if abs(d) < 5e-4 else f"{d:+.3f}"


def _row(label: str, a: float | None, b: float | None) -> str:
    return f"  {label:<30} {_num(a):>8} {_num(b):>8} {_delta(a, b):>8}"


def compare_runs(a: dict[str, Any], b: dict[str, Any]) -> str:
    """The metric deltas from run A to run B, overall, per kind and question by question."""
    lines = [f"A: {_describe(a)}", f"B: {_describe(b)}"]
    if a["run"]["dataset"] != b["run"]["dataset"]:
        lines.append("note: the runs used different datasets; deltas mix question sets")
    lines += ["", f"  {'metric':<30} {'A':>8} {'B':>8} {'B - A':>8}"]
    oa, ob = a["metrics"]["overall"], b["metrics"]["overall"]
    lines += [_row(m, oa.get(m), ob.get(m)) for m in METRICS]
    for stage in ("retrieve", "compose", "total", "wall"):
        la, lb = oa["latency_ms"].get(stage), ob["latency_ms"].get(stage)
        if la and lb:
            lines.append(_row(f"latency {stage} p50 (ms)", la["p50"], lb["p50"]))
            lines.append(_row(f"latency {stage} p95 (ms)", la["p95"], lb["p95"]))
    ba, bb = (a.get("baseline") or {}).get("overall"), (b.get("baseline") or {}).get("overall")
    if ba and bb:
        lines.append(_row("baseline recall_at_5", ba["recall_at_5"], bb["recall_at_5"]))
    lines += ["", "per kind:"]
    ka, kb = a["metrics"]["by_kind"], b["metrics"]["by_kind"]
    for kind in [k for k in kb if k in ka]:
        for m in KIND_METRICS:
            if _delta(ka[kind].get(m), kb[kind].get(m)) not in ("", "0"):
                lines.append(_row(f"{kind} {m}", ka[kind].get(m), kb[kind].get(m)))
    lines += ["", *_question_changes(a, b)]
    gate_a, gate_b = a["gate"]["passed"], b["gate"]["passed"]
    lines.append(f"gate: {'passes' if gate_a else 'fails'} -> {'passes' if gate_b else 'fails'}")
    return "\n".join(lines)


def _describe(report: dict[str, Any]) -> str:
    run = report["run"]
    return f"{run['id']} (commit {run['commit']}, {run['dataset']}, {run['mode']})"


def issues(question: dict[str, Any]) -> set[str]:
    """A question's problems as stable tokens, so wording or rank changes are not news."""
    out = {f"missed evidence {e}" for e in question["missing_evidence"]}
    out |= {f"missing fact {f!r}" for f in question["missing_facts"]}
    if question["in_scope"] and question["declined"]:
        out.add("declined in scope")
    if not question["in_scope"] and not question["declined"]:
        out.add("answered out of scope")
    if question["citation_hit"] is False and not question["declined"]:
        out.add("no must-cite citation")
    if question["ungrounded"]:
        out.add("ungrounded quote")
    if question["error"]:
        out.add("error")
    return out


def _question_changes(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    before = {q["id"]: q for q in a["questions"]}
    after = {q["id"]: q for q in b["questions"]}
    out: list[str] = []
    for qid, q in after.items():
        if qid not in before:
            out.append(f"  {qid}: new in B")
            continue
        old, new = issues(before[qid]), issues(q)
        if old and not new:
            out.append(f"  {qid}: now passes (was: {'; '.join(sorted(old))})")
        elif new and not old:
            out.append(f"  {qid}: now fails: {'; '.join(sorted(new))}")
        elif old != new:
            change = [f"+ {i}" for i in sorted(new - old)] + [f"- {i}" for i in sorted(old - new)]
            out.append(f"  {qid}: {'; '.join(change)}")
    out += [f"  {qid}: only in A" for qid in before if qid not in after]
    return ["questions that changed:", *(out or ["  none"]), ""]


def compare(a: Path, b: Path) -> str:
    return compare_runs(_read(a), _read(b))


def _read(path: Path) -> dict[str, Any]:
    try:
        return load_report(path)
    except (OSError, ValueError) as exc:
        raise BadInput(
            f"{path}: no readable eval report ({exc}); pass a run folder or its report.json"
        ) from exc
