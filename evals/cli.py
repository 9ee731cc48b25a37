"""`bluelight eval`: parse, run the suite, print a short summary and where the report is.

`python -m evals.cli` takes the same arguments plus `--corpus` (evaluate against another corpus
folder, ingested into its own store); `add_arguments` is what both parsers share.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import date
from pathlib import Path
from typing import Any

from assistant.errors import BadInput, BluelightError
from assistant.settings import Settings
from evals.dataset import SPLITS, Question, default_dataset, load_dataset
from evals.report import (
    KIND_COLUMNS,
    OUTCOMES,
    RunInfo,
    fmt,
    git_commit,
    run_folder,
    run_parts,
    write_report,
)

RUNS = Path(__file__).resolve().parent / "runs"
SUMMARY = (
    ("recall_at_5", "recall@5"),
    ("mrr", "MRR"),
    ("citation_hit", "citation hit"),
    ("grounded", "grounded"),
    ("key_fact_coverage", "key-fact coverage"),
    ("in_scope_wrongly_declined", "wrongly declined"),
    ("out_of_scope_declined", "should-decline declined"),
    ("project_lookup_f1", "project-lookup F1"),
)
# Short column heads for the per-kind lines of the console summary.
KIND_SHORT = ("wrong-decl", "should-decl", "facts", "cite-hit", "recall@5", "grounded", "lookupF1")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of an eval run."""
    p.add_argument("--dataset", type=Path)
    p.add_argument("--url", help="evaluate a running API instead of in-process")
    p.add_argument("--out", type=Path, help="folder for the report")
    p.add_argument("--gate", action="store_true", help="exit non-zero below the thresholds")
    p.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    p.add_argument("--no-baseline", action="store_true", help="skip the tutorial baseline")
    p.add_argument("--judge", action="store_true", help="add model-judged measures (needs an LLM)")
    p.add_argument(
        "--corpus",
        type=Path,
        help="evaluate against this corpus folder, ingested (incrementally) into its own store "
        "under BLUELIGHT_DATA_DIR/corpora/<folder name>; implies --no-baseline",
    )
    p.add_argument("--split", choices=SPLITS, help="only the questions of this split")


def corpus_settings(corpus: Path, settings: Settings) -> Settings:
    """Settings whose store holds `corpus` alone: the corpus folder's own data folder."""
    if not corpus.is_dir():
        raise BadInput(f"--corpus {corpus}: no such folder; name a folder of documents")
    return settings.model_copy(
        update={
            "corpus_dir": corpus,
            "data_dir": settings.data_dir / "corpora" / corpus.resolve().name,
        }
    )


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Returns the exit status: 1 when --gate is given and a threshold is missed."""
    if args.compare:
        from evals.compare import compare

        print(compare(*args.compare))
        return 0
    from evals.runner import in_process, over_http
    from evals.suite import evaluate

    corpus = getattr(args, "corpus", None)
    if corpus is not None:
        if args.url:
            raise BadInput("--corpus evaluates in-process; it cannot be combined with --url")
        settings = corpus_settings(corpus, settings)
        # The baseline gap is measured on the shipped corpus's own question sets.
        args.no_baseline = True
    dataset = args.dataset or default_dataset()
    questions = load_dataset(dataset)
    if split := getattr(args, "split", None):
        questions = [q for q in questions if q.split == split]
        if not questions:
            raise BadInput(f"{dataset}: no questions in the {split} split")
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
        from assistant.retrieval.embedder import make_embedder

        embedder = make_embedder(settings)
        if corpus is not None:
            _ingest(settings, embedder)
        _say("opening the store (the corpus is ingested first if the store is empty)")
        answer = in_process(settings, embedder)
    from evals.gate import thresholds_for

    report = evaluate(
        questions,
        answer,
        settings,
        info,
        thresholds=thresholds_for(dataset, split),
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


def _ingest(settings: Settings, embedder: Any) -> None:
    """Bring the corpus's own store in step with its folder (unchanged files are skipped)."""
    from assistant.retrieval.store import open_store
    from ingest import ingest

    _say(f"ingesting {settings.corpus_dir} into {settings.data_dir}")
    report = ingest([settings.corpus_dir], open_store(settings), embedder, settings, prune=True)
    if report.failed:
        raise BadInput(f"ingesting {settings.corpus_dir} failed: " + "; ".join(report.failed))


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
    lines += outcome_lines(report)
    lines += kind_lines(report)
    gate = "passes" if report["gate"]["passed"] else "fails"
    failing = sum(1 for q in report["questions"] if q["problems"])
    lines.append(f"gate {gate}; {failing} questions with problems (listed in the report)")
    return "\n".join(lines)


def outcome_lines(report: dict[str, Any]) -> list[str]:
    """The judgement measures for the run and each split, and how often each status was given."""
    parts = run_parts(report)
    widths = [max(8, len(name) + 2) for name in parts]
    head = "".join(f"{name:>{w}}" for name, w in zip(parts, widths, strict=True))
    lines = [f"  {'outcomes':<54}{head}"]
    lines += [
        f"  {label:<54}"
        + "".join(f"{fmt(m.get(key)):>{w}}" for m, w in zip(parts.values(), widths, strict=True))
        for key, label in OUTCOMES
    ]
    given: dict[str, int] = {}
    for row in report["metrics"]["overall"]["confusion"].values():
        for status, n in row.items():
            given[status] = given.get(status, 0) + n
    lines.append("  given: " + ", ".join(f"{s} {n}" for s, n in given.items() if n))
    return lines


def kind_lines(report: dict[str, Any]) -> list[str]:
    """Both sides of the judgement and the answer measures for each kind of question."""
    metrics = report["metrics"]
    groups = {**metrics["by_kind"]}
    groups |= {f"oos:{t}": m for t, m in metrics.get("by_oos_type", {}).items()}
    head = "".join(f"{h:>12}" for h in KIND_SHORT)
    lines = [f"  {'per kind':<22}{'n':>5}{head}"]
    for kind, m in groups.items():
        cells = "".join(f"{fmt(m.get(key)):>12}" for key, _ in KIND_COLUMNS)
        lines.append(f"  {kind:<22}{m['questions']:>5}{cells}")
    return lines


def command_line(args: argparse.Namespace) -> str:
    """The command that reproduces this run."""
    parts = ["bluelight", "eval"]
    if args.dataset:
        parts += ["--dataset", _shown(args.dataset)]
    if getattr(args, "corpus", None):
        parts += ["--corpus", _shown(args.corpus)]
    if getattr(args, "split", None):
        parts += ["--split", args.split]
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


def main(argv: list[str] | None = None) -> int:
    """`python -m evals.cli`: the eval run with every argument `add_arguments` knows."""
    parser = argparse.ArgumentParser(prog="python -m evals.cli", description=__doc__)
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run_eval(args, Settings())
    except BluelightError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
