"""`bluelight eval`: parse, run the suite, print a short summary and where the report is."""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import date
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from evals.dataset import Question, default_dataset, load_dataset
from evals.report import RunInfo, fmt, git_commit, run_folder, write_report

RUNS = Path(__file__).resolve().parent / "runs"
SUMMARY = (
    ("recall_at_5", "recall@5"),
    ("mrr", "MRR"),
    ("citation_hit", "citation hit"),
    ("grounded", "grounded"),
    ("key_fact_coverage", "key-fact coverage"),
    ("out_of_scope_declined", "out-of-scope declined"),
    ("in_scope_wrongly_declined", "in-scope wrongly declined"),
)


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Returns the exit status: 1 when --gate is given and a threshold is missed."""
    if args.compare:
        from evals.compare import compare

        print(compare(*args.compare))
        return 0
    from evals.runner import in_process, over_http
    from evals.suite import evaluate

    dataset = args.dataset or default_dataset()
    questions = load_dataset(dataset)
    commit, dirty = git_commit(Path(__file__).resolve().parent)
    folder = args.out or run_folder(RUNS, commit)
    info = RunInfo(
        id=folder.name,
        date=date.today().isoformat(),
        commit=commit,
        dirty=dirty,
        dataset=_shown(dataset),
        mode="http" if args.url else "in-process",
        command=command_line(args),
        settings=_settings(settings),
        url=args.url,
    )
    embedder = None
    if args.url:
        answer = over_http(args.url, settings)
    else:
        from assistant.embedder import make_embedder

        embedder = make_embedder(settings)
        _say("opening the store (the corpus is ingested first if the store is empty)")
        answer = in_process(settings, embedder)
    report = evaluate(
        questions,
        answer,
        settings,
        info,
        embedder=embedder,
        baseline=not args.no_baseline,
        judge=getattr(args, "judge", False),
        progress=_progress,
        say=_say,
    )
    write_report(folder, report)
    print(summary(report, questions))
    print(f"\nreport: {_shown(folder / 'report.md')}")
    if args.gate and not report["gate"]["passed"]:
        print("\ngate failed:")
        for c in report["gate"]["checks"]:
            if not c["passed"]:
                print(f"  {_check_line(c)}")
        return 1
    return 0


def summary(report: dict[str, Any], questions: list[Question]) -> str:
    overall = report["metrics"]["overall"]
    base = (report.get("baseline") or {}).get("overall") or {}
    checks = {c["metric"]: c for c in report["gate"]["checks"]}
    lines = [
        f"{len(questions)} questions, {overall['errors']} errors",
        f"  {'metric':<27} {'value':>7} {'target':>8} {'baseline':>9}",
    ]
    for key, label in SUMMARY:
        c = checks.get(key)
        target = f"{c['op']}{c['limit']:.2f}" if c else ""
        mark = "" if not c or c["passed"] else "  <- miss"
        theirs = fmt(base.get(key)) if base else ""
        lines.append(f"  {label:<27} {fmt(overall[key]):>7} {target:>8} {theirs:>9}{mark}")
    lat = overall["latency_ms"].get("total") or overall["latency_ms"].get("wall")
    if lat:
        lines.append(f"  latency total p50/p95 ms:   {lat['p50']:.0f} / {lat['p95']:.0f}")
    gate = "passes" if report["gate"]["passed"] else "fails"
    failing = sum(1 for q in report["questions"] if q["problems"])
    lines.append(f"gate {gate}; {failing} questions with problems (listed in the report)")
    return "\n".join(lines)


def command_line(args: argparse.Namespace) -> str:
    """The command that reproduces this run."""
    parts = ["bluelight", "eval"]
    if args.dataset:
        parts += ["--dataset", _shown(args.dataset)]
    if args.url:
        parts += ["--url", args.url]
    if args.out:
        parts += ["--out", _shown(args.out)]
    flags = {"--gate": args.gate, "--no-baseline": args.no_baseline}
    flags["--judge"] = getattr(args, "judge", False)
    parts += [flag for flag, on in flags.items() if on]
    return shlex.join(parts)


def _settings(settings: Settings) -> dict[str, Any]:
    """The settings that shape the answers, recorded with the run."""
    return {
        "composer": settings.composer,
        "top_k": settings.top_k,
        "model": settings.model,
        "chunk_tokens": settings.chunk_tokens,
        "chunk_overlap_tokens": settings.chunk_overlap_tokens,
        "store": f"chroma server {settings.chroma_host}" if settings.chroma_host else "embedded",
    }


def _shown(path: Path) -> str:
    """A path relative to the working folder when it lies under it."""
    resolved = path.resolve()
    cwd = Path.cwd().resolve()
    return resolved.relative_to(cwd).as_posix() if resolved.is_relative_to(cwd) else str(path)


def _check_line(c: dict[str, Any]) -> str:
    value = "not measured" if c["value"] is None else f"{c['value']:.3f}"
    return f"{c['metric']} = {value}, target {c['op']} {c['limit']:.2f}"


def _progress(number: int, total: int, question: Question) -> None:
    print(f"\r  {number}/{total} {question.id:<12}", end="", file=sys.stderr, flush=True)
    if number == total:
        print(file=sys.stderr)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
