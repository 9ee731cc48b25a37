"""The eval report: one JSON (the record compare reads), a Markdown page and PNG plots, in a
folder named by date and commit."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from evals.baseline import CAPPED_NOTE, DESCRIPTION
from evals.dataset import STATUSES
from evals.gate import Check
from evals.plots import write_plots
from evals.scoring import (
    LOOK_DEPTH,
    STAGES,
    Score,
    aggregate,
    by_kind,
    by_oos_type,
    by_rule,
    by_split,
)

REPORT_JSON = "report.json"
REPORT_MD = "report.md"
HEADLINE = (
    ("recall_at_5", "recall@5"),
    ("citation_hit", "citation hit"),
    ("grounded", "grounded citations"),
    ("answers_without_citation", "answers without citation"),
    ("key_fact_coverage", "key-fact coverage"),
    ("out_of_scope_declined", "should-decline declined"),
    ("in_scope_wrongly_declined", "wrongly declined"),
    ("project_lookup_f1", "project-lookup F1"),
)
# The judgement measures, side by side for the whole run and each split.
OUTCOMES = (
    ("in_scope_wrongly_declined", "wrongly declined (of answerable)"),
    ("out_of_scope_declined", "should-decline declined (of expected declines)"),
    ("decline_reason_right", "declined for the expected reason"),
    ("partial_correct", "partial correctness (expected partial, given partial)"),
    ("status_accuracy", "status accuracy (given = expected)"),
    ("key_fact_coverage", "key-fact coverage"),
    ("citation_hit", "citation hit"),
    ("recall_at_5", "recall@5"),
    ("grounded", "grounded citations"),
    ("project_lookup_f1", "project-lookup F1 (cited records against matching)"),
    ("project_lookup_precision", "project-lookup precision"),
    ("project_lookup_recall", "project-lookup recall"),
)
# The per-kind table's columns: both sides of the judgement, then the answer measures.
KIND_COLUMNS = (
    ("in_scope_wrongly_declined", "wrongly declined"),
    ("out_of_scope_declined", "should-decline declined"),
    ("key_fact_coverage", "key facts"),
    ("citation_hit", "citation hit"),
    ("recall_at_5", "recall@5"),
    ("grounded", "grounded"),
    ("project_lookup_f1", "project-lookup F1"),
)
STATUS_SHORT = {
    "answered": "answered",
    "partial": "partial",
    "not_covered": "not covered",
    "out_of_remit": "out of remit",
    "refused": "refused",
}
RETRIEVAL = (
    ("recall_at_1", "recall@1"),
    ("recall_at_5", "recall@5"),
    ("recall_at_10", "recall@10"),
    ("mrr", "MRR"),
    ("ndcg_at_10", "nDCG@10"),
)


@dataclass(frozen=True)
class RunInfo:
    id: str
    date: str
    commit: str
    dirty: bool
    dataset: str
    mode: str  # "in-process" or "http"
    command: str
    settings: dict[str, Any]
    url: str | None = None


def git_commit(cwd: Path) -> tuple[str, bool]:
    """The short commit and whether the working tree has changes; ("nogit", False) outside git."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=cwd, capture_output=True, text=True
        )
        status = subprocess.run(
            ["git", "status", "--porcelain"], cwd=cwd, capture_output=True, text=True
        )
    except OSError:
        return "nogit", False
    if sha.returncode != 0:
        return "nogit", False
    return sha.stdout.strip(), bool(status.stdout.strip())


def run_folder(root: Path, commit: str, today: date | None = None) -> Path:
    """root/<date>-<commit>, with -2, -3 ... when that run folder already exists."""
    name = f"{(today or date.today()).isoformat()}-{commit}"
    folder, n = root / name, 2
    while folder.exists():
        folder, n = root / f"{name}-{n}", n + 1
    return folder


def build_report(
    info: RunInfo,
    scores: Sequence[Score],
    thresholds: dict[str, dict[str, float]],
    checks: Sequence[Check],
    baseline: dict[str, Any] | None = None,
    judge: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole run as one JSON-ready dict."""
    base_recall = (baseline or {}).get("questions", {})
    questions = []
    for s in scores:
        row = asdict(s)
        row["ranking"] = row["ranking"][:LOOK_DEPTH]
        row["problems"] = s.problems()
        row["baseline_recall_at_5"] = base_recall.get(s.id)
        questions.append(row)
    return {
        "run": asdict(info),
        "metrics": {
            "overall": aggregate(scores),
            "by_kind": by_kind(scores),
            "by_oos_type": by_oos_type(scores),
            "by_split": by_split(scores),
            "by_split_kind": by_split_kind(scores),
            "by_rule": by_rule(scores),
        },
        "baseline": None
        if baseline is None
        else {"description": DESCRIPTION, "note": CAPPED_NOTE, **baseline},
        "thresholds": thresholds,
        "gate": {
            "passed": all(c.passed for c in checks),
            "checks": [{**asdict(c), "passed": c.passed} for c in checks],
        },
        "judge": judge,
        "questions": questions,
    }


def by_split_kind(scores: Sequence[Score]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per kind within each split, when the questions come from more than one split."""
    splits = sorted({s.split for s in scores if s.split})
    if len(splits) < 2:
        return {}
    return {sp: by_kind([s for s in scores if s.split == sp]) for sp in splits}


def write_report(folder: Path, report: dict[str, Any]) -> list[Path]:
    """report.json, report.md and the plots; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / REPORT_JSON).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    pngs = write_plots(folder, report)
    (folder / REPORT_MD).write_text(render_markdown(report, pngs), encoding="utf-8")
    return [folder / REPORT_JSON, folder / REPORT_MD, *(folder / p for p in pngs)]


def load_report(path: Path) -> dict[str, Any]:
    """A run's JSON, given its folder or the file itself."""
    file = path / REPORT_JSON if path.is_dir() else path
    return json.loads(file.read_text(encoding="utf-8"))


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def render_markdown(report: dict[str, Any], pngs: Sequence[str] = ()) -> str:
    run, overall = report["run"], report["metrics"]["overall"]
    baseline = (report.get("baseline") or {}).get("overall")
    lines = [
        f"# Eval report {run['id']}",
        "",
        f"- dataset: `{run['dataset']}` ({overall['questions']} questions: "
        f"{overall['in_scope']} in scope, {overall['out_of_scope']} out of scope)",
        f"- commit: `{run['commit']}`{' (with uncommitted changes)' if run['dirty'] else ''}, "
        f"date {run['date']}",
        f"- mode: {run['mode']}{' against ' + run['url'] if run.get('url') else ''}",
        f"- command: `{run['command']}`",
        "- settings: " + ", ".join(f"{k}={v}" for k, v in run["settings"].items()),
        "",
        "## Headline",
        "",
        *_headline(report),
        "",
        "## Outcomes",
        "",
        *_outcomes(report),
        "",
        "## Retrieval against the tutorial baseline",
        "",
        *_retrieval(overall, baseline, report),
        "",
        "## Per kind",
        "",
        *_kinds(report),
        "",
        "## Latency (ms)",
        "",
        "| stage | p50 | p95 |",
        "|---|---|---|",
        *(
            f"| {stage} | {v['p50']:.1f} | {v['p95']:.1f} |"
            for stage in STAGES
            if (v := overall["latency_ms"].get(stage))
        ),
        "",
        "`wall` is the time the eval waited for each answer (over HTTP it includes the network).",
        "",
        *_judged(report.get("judge")),
        *_failures(report["questions"]),
        "## Plots",
        "",
        *(f"![{p}]({p})" for p in pngs),
        "",
    ]
    return "\n".join(lines)


def _headline(report: dict[str, Any]) -> list[str]:
    overall = report["metrics"]["overall"]
    checks = {c["metric"]: c for c in report["gate"]["checks"]}
    rows = ["| metric | value | target | |", "|---|---|---|---|"]
    for key, label in HEADLINE:
        c = checks.get(key)
        target = f"{c['op']} {c['limit']:.2f}" if c else ""
        verdict = "" if not c else "pass" if c["passed"] else "**FAIL**"
        rows.append(f"| {label} | {fmt(overall[key])} | {target} | {verdict} |")
    if delta := checks.get("recall_at_5_over_baseline"):
        shown = "skipped" if delta["skipped"] else fmt(delta["value"])
        verdict = "pass" if delta["passed"] else "**FAIL**"
        rows.append(
            f"| recall@5 over baseline (dev + extended) | {shown} | >= {delta['limit']:.2f} | "
            f"{'' if delta['skipped'] else verdict} |"
        )
    gate = "passes" if report["gate"]["passed"] else "**fails**"
    return [*rows, "", f"The gate {gate}. Errors while answering: {overall['errors']}."]


def _outcomes(report: dict[str, Any]) -> list[str]:
    """The judgement measures side by side, then expected against given status per run part."""
    parts = run_parts(report)
    names = list(parts)
    rows = [
        "| measure | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
        "| questions | " + " | ".join(str(m["questions"]) for m in parts.values()) + " |",
    ]
    for key, label in OUTCOMES:
        rows.append(f"| {label} | " + " | ".join(fmt(m.get(key)) for m in parts.values()) + " |")
    for name, m in parts.items():
        rows += ["", f"Expected (rows) against given (columns) status, {name}:", ""]
        rows += _confusion(m["confusion"])
    return rows + _rules(report["metrics"].get("by_rule", {}))


def run_parts(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The whole run, and each split beside it when the questions come from more than one."""
    splits = report["metrics"].get("by_split", {})
    overall = report["metrics"]["overall"]
    if len(splits) == 1:
        return {f"all ({next(iter(splits))} split)": overall}
    return {"all": overall, **splits}


def _rules(rules: dict[str, dict[str, Any]]) -> list[str]:
    """Outcomes per construction rule of a generated set, hardest first."""
    if not rules:
        return []
    rows = [
        "",
        "Per construction rule (generated sets), lowest status accuracy first:",
        "",
        "| rule | n | expected | status accuracy | given |",
        "|---|---|---|---|---|",
    ]
    ordered = sorted(rules.items(), key=lambda kv: (kv[1]["status_accuracy"] or 0, kv[0]))
    for rule, m in ordered:
        given = ", ".join(f"{s} {n}" for s, n in sorted(m["given"].items(), key=lambda x: -x[1]))
        rows.append(
            f"| {rule} | {m['questions']} | {m['expected']} | {fmt(m['status_accuracy'])} | "
            f"{given} |"
        )
    return rows


def _confusion(table: dict[str, dict[str, int]]) -> list[str]:
    head = " | ".join(STATUS_SHORT[s] for s in STATUSES)
    rows = [f"| expected \\ given | {head} | total |", "|---|" + "---|" * (len(STATUSES) + 1)]
    for expected in STATUSES:
        counts = [table[expected][given] for given in STATUSES]
        if not any(counts):
            continue
        cells = " | ".join(
            f"**{n}**" if given == expected else str(n)
            for given, n in zip(STATUSES, counts, strict=True)
        )
        rows.append(f"| {STATUS_SHORT[expected]} | {cells} | {sum(counts)} |")
    return rows


def _retrieval(
    overall: dict[str, Any], baseline: dict[str, Any] | None, report: dict[str, Any]
) -> list[str]:
    if baseline is None:
        return ["No baseline in this run (`--no-baseline`)."]
    rows = ["| metric | bluelight | baseline | difference |", "|---|---|---|---|"]
    for key, label in RETRIEVAL:
        ours, theirs = overall[key], baseline[key]
        diff = None if ours is None or theirs is None else ours - theirs
        rows.append(f"| {label} | {fmt(ours)} | {fmt(theirs)} | {fmt(diff)} |")
    top_k = report["run"]["settings"].get("top_k")
    return [
        *rows,
        "",
        f"Baseline: {report['baseline']['description']}. Note: {report['baseline']['note']}.",
        f"bluelight returns top_k = {top_k} passages, so its @10 counts at most {top_k}.",
    ]


def _kinds(report: dict[str, Any]) -> list[str]:
    """One table per kind (and out-of-scope type) for the run, and one per split beside it."""
    metrics = report["metrics"]
    base = (report.get("baseline") or {}).get("by_kind", {})
    rows = _kind_table(metrics["by_kind"], metrics.get("by_oos_type", {}), base)
    for split, kinds in metrics.get("by_split_kind", {}).items():
        rows += ["", f"Split `{split}`:", "", *_kind_table(kinds, {}, {})]
    return rows


def _kind_table(
    kinds: dict[str, dict[str, Any]],
    oos_types: dict[str, dict[str, Any]],
    base: dict[str, dict[str, Any]],
) -> list[str]:
    heads = [label for _, label in KIND_COLUMNS]
    rows = [
        "| kind | n | " + " | ".join(heads) + " | MRR | baseline recall@5 |",
        "|---|---|" + "---|" * (len(heads) + 2),
    ]
    groups = [*kinds.items(), *((f"out of scope: {t}", m) for t, m in oos_types.items())]
    for kind, m in groups:
        cells = " | ".join(fmt(m.get(key)) for key, _ in KIND_COLUMNS)
        rows.append(
            f"| {kind} | {m['questions']} | {cells} | {fmt(m['mrr'])} | "
            f"{fmt(base.get(kind, {}).get('recall_at_5'))} |"
        )
    return rows


def _judged(judge: dict[str, Any] | None) -> list[str]:
    if not judge:
        return []
    return [
        "## Model-judged measures",
        "",
        f"These are the opinions of the chat model `{judge['model']}`, not measurements.",
        "",
        f"- model-judged faithfulness (cited statements the model found supported by their "
        f"quotes): {fmt(judge['faithfulness'])} over {judge['statements_judged']} statements",
        f"- model-judged answer relevance (1-5): {fmt(judge['relevance'])} over "
        f"{judge['answers_rated']} answers",
        f"- calls that failed: {judge['failed_calls']}",
        "",
    ]


def _failures(questions: Sequence[dict[str, Any]]) -> list[str]:
    failing = [q for q in questions if q["problems"]]
    lines = [f"## Questions with problems ({len(failing)} of {len(questions)})", ""]
    if not failing:
        return [*lines, "None.", ""]
    lines += [
        "A missing fact marked *(in passage N)* was retrieved, at rank N, but the answer left "
        "it out: look at composition. One without a mark is in none of the passages: look at "
        "retrieval.",
        "",
    ]
    for q in failing:
        lines.append(f"### {q['id']} ({q['kind']}): {q['question']}")
        lines.append("")
        lines += [f"- {p}" for p in q["problems"]]
        top = "; ".join(",".join(ids) for ids in q["ranking"][:5]) or "none"
        lines.append(f"- top 5 passages stand for: {top}")
        answer = " ".join(q["answer"].split())
        lines.append(f"- answer: {answer[:400]}{'…' if len(answer) > 400 else ''}")
        lines.append("")
    return lines
