"""The second corpus (flood resilience, never tuned on) and its hand-written dataset: true to the
source files, near misses absent from them, and runnable end to end with --corpus."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from evals.cli import main as eval_main
from evals.dataset import load_dataset
from evals.metrics import fact_present

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "evals" / "corpora" / "flood-resilience"
DATASET = ROOT / "evals" / "datasets" / "second-corpus.jsonl"


def source_texts() -> dict[str, str]:
    """Each document's text by stem (the PDF read from its Markdown source, so a loss at ingest
    shows in the eval rather than hiding here) and each record's line by id."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (CORPUS / "reports").glob("*.md")}
    texts |= {p.stem: p.read_text(encoding="utf-8") for p in (CORPUS / "reports").glob("*.txt")}
    for pdf in (CORPUS / "reports").glob("*.pdf"):
        texts[pdf.stem] = (CORPUS / ".source" / f"{pdf.stem}.md").read_text(encoding="utf-8")
    for line in (CORPUS / "records" / "flood-projects.jsonl").read_text().splitlines():
        texts[json.loads(line)["id"]] = line
    return texts


def test_the_corpus_has_a_pdf_documents_and_records_in_the_shipped_schema() -> None:
    assert len(list((CORPUS / "reports").glob("*.pdf"))) == 1
    assert 4 <= len(list((CORPUS / "reports").iterdir())) <= 6
    shipped = json.loads((ROOT / "corpus" / "records" / "projects.jsonl").open().readline())
    records = [json.loads(x) for x in (CORPUS / "records" / "flood-projects.jsonl").open()]
    assert len(records) >= 10
    assert all(list(r) == list(shipped) for r in records)


def test_the_dataset_covers_every_outcome_and_is_true_to_the_sources() -> None:
    questions = load_dataset(DATASET)
    assert 40 <= len(questions) <= 60
    made = Counter(q.expected_status for q in questions)
    assert made["answered"] >= 20 and made["partial"] >= 5 and made["not_covered"] >= 8
    assert made["out_of_remit"] >= 4 and made["refused"] >= 4
    texts = source_texts()
    for q in questions:
        for item in q.must_cite:
            assert item in texts, f"{q.id}: {item} is no document or record of the corpus"
        for fact in q.key_facts:
            assert any(fact_present(fact, texts[m]) for m in q.must_cite), f"{q.id}: {fact!r}"


def test_each_near_miss_names_something_the_corpus_never_says() -> None:
    texts = " ".join(source_texts().values()).casefold()
    rows = [json.loads(line) for line in DATASET.read_text().splitlines()]
    misses = [r for r in rows if r["kind"] == "near_miss"]
    assert misses and all(r.get("missing") for r in misses)
    for r in misses:
        for term in r["missing"]:
            assert not re.search(rf"(?<!\w){re.escape(term.casefold())}(?!\w)", texts), r["id"]


@pytest.mark.slow
def test_eval_runs_against_the_second_corpus_in_its_own_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BLUELIGHT_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "run"
    status = eval_main(["--corpus", str(CORPUS), "--dataset", str(DATASET), "--out", str(out)])
    assert status == 0
    report = json.loads((out / "report.json").read_text())
    assert (tmp_path / "data" / "corpora" / "flood-resilience").is_dir()
    assert "--corpus" in report["run"]["command"]
    assert report["baseline"] is None  # the baseline gap is the shipped corpus's measure
    overall = report["metrics"]["overall"]
    assert overall["questions"] == len(load_dataset(DATASET)) and overall["errors"] == 0
    assert sum(sum(row.values()) for row in overall["confusion"].values()) == overall["questions"]
    # Retrieval finds the flood evidence, not the shipped corpus: the store holds this corpus only.
    cited = {i for q in report["questions"] for ids in q["ranking"] for i in ids}
    assert cited and cited <= set(source_texts()) | {"flood-projects"}
    assert "wrongly declined (of answerable)" in capsys.readouterr().out
