"""Bad input gets one clear line naming the file and the reason; nothing else is affected."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import Store
from assistant.settings import Settings
from ingest.run import ingest
from tests.conftest import CORPUS, PDF_SAMPLES
from tests.ingest.helpers import snapshot

SAMPLES = sorted(PDF_SAMPLES.rglob("*.pdf"))
# What the pdf-samples README and files.json say about each file.
ENCRYPTED = {"libreoffice-writer-password.pdf"}
IMAGE_ONLY = {
    "imagemagick-ASCII85Decode.pdf",
    "imagemagick-CCITTFaxDecode.pdf",
    "imagemagick-images.pdf",
    "imagemagick-lzw.pdf",
    "inline-image.pdf",
    "grayscale-image.pdf",
    "output_with_metadata_pymupdf.pdf",
    "cmyk-image.pdf",
}
# Its page tree points at an object that is not in the file; pypdf cannot find its pages.
DAMAGED = {"unreadablemetadata.pdf"}


def _pages(name: str) -> int:
    listing = json.loads((PDF_SAMPLES / "files.json").read_text())
    entries = listing["data"] if isinstance(listing, dict) else listing
    return next(e["pages"] for e in entries if e["path"].endswith("/" + name))


@pytest.fixture
def seeded(store: Store, settings: Settings, embedder: Embedder, tmp_path: Path) -> Path:
    """A store that already holds one document, which no bad input may disturb."""
    keep = tmp_path / "keep"
    keep.mkdir()
    shutil.copy(CORPUS / "seed" / "lga-escwg-paper.txt", keep / "paper.txt")
    assert not ingest([keep], store, embedder, settings).failed
    return keep


@pytest.mark.slow
def test_every_sample_pdf_is_ingested_or_refused_with_its_reason(
    seeded: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    assert len(SAMPLES) == 31
    before = snapshot(store)
    report = ingest([PDF_SAMPLES], store, embedder, settings)

    refused = {line.split(":", 1)[0].rsplit("/", 1)[-1]: line for line in report.failed}
    assert set(refused) == ENCRYPTED | IMAGE_ONLY | DAMAGED, report.failed
    for name in ENCRYPTED:
        assert "encrypted" in refused[name] and "--password" in refused[name]
    for name in IMAGE_ONLY:
        assert "OCR would be needed" in refused[name]
    for name in DAMAGED:
        assert "damaged" in refused[name]
    assert all(line.count("\n") == 0 for line in report.failed)

    stored = {d.source.rsplit("/", 1)[-1]: d for d in store.manifest().values()}
    for pdf in SAMPLES:
        if pdf.name in refused:
            assert pdf.name not in stored
            continue
        doc = stored[pdf.name]
        assert doc.pages == _pages(pdf.name) and doc.chunks >= 1
        chunks = store.document_chunks(doc.doc_id)
        assert all(1 <= (c.page or 0) <= doc.pages for c in chunks)
        assert sum(len(c.text.strip()) for c in chunks) >= 5
    # The document that was there before is untouched.
    after = snapshot(store)
    kept = {k: v for k, v in after["chunks"].items() if k in before["chunks"]}
    assert kept == before["chunks"]


def test_the_password_option_opens_the_encrypted_sample(
    store: Store, settings: Settings, embedder: Embedder
) -> None:
    pdf = PDF_SAMPLES / "005-libreoffice-writer-password" / "libreoffice-writer-password.pdf"
    wrong = ingest([pdf], store, embedder, settings, password="nope")
    assert wrong.failed and "password given is wrong" in wrong.failed[0]
    right = ingest([pdf], store, embedder, settings, password="openpassword")
    assert right.added and not right.failed
    assert store.count() >= 1


def test_empty_truncated_and_fake_files_are_refused(
    seeded: Path, tmp_path: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.pdf").write_bytes(b"")
    good = (CORPUS / "reports" / "current-picture-2014.pdf").read_bytes()
    (bad / "truncated.pdf").write_bytes(good[: len(good) // 3])
    (bad / "fake.pdf").write_text("this is not a PDF at all")
    (bad / "empty.txt").write_text("   \n")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    (bad / "fine.md").write_text(
        "# Fine\n\nA perfectly good note about the Ashdown tri-service hub.\n"
    )
    before = snapshot(store)

    report = ingest([bad], store, embedder, settings)
    failed = {line.split(":", 1)[0].rsplit("/", 1)[-1]: line for line in report.failed}
    assert "empty" in failed["empty.pdf"]
    assert "damaged" in failed["truncated.pdf"] or "OCR" in failed["truncated.pdf"]
    assert "not a PDF" in failed["fake.pdf"]
    assert "empty" in failed["empty.txt"]
    assert "binary" in failed["binary.txt"]
    assert report.added == [(bad / "fine.md").as_posix()]
    after = snapshot(store)
    assert {k: v for k, v in after["chunks"].items() if k in before["chunks"]} == before["chunks"]


def test_malformed_records_are_refused_by_line_and_the_rest_go_in(
    tmp_path: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    lines = (CORPUS / "records" / "projects.jsonl").read_text().splitlines()[:5]
    bad = [
        lines[0],
        '{"id": "X1", "title": "Broken',  # invalid JSON
        json.dumps({"title": "No id"}),
        json.dumps({"id": "X2", "title": "Bad year", "start_year": "soon"}),
        json.dumps({"id": "X3", "title": "Bad services", "services": "fire"}),
        "[1, 2, 3]",
        *lines[1:],
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(bad) + "\n")
    report = ingest([path], store, embedder, settings)
    refused = [n for n in report.notes if "record refused" in n]
    assert [n.split(":")[1] for n in refused] == ["2", "3", "4", "5", "6"]
    assert "invalid JSON" in refused[0] and "'id'" in refused[1] and "start_year" in refused[2]
    ids = sorted(c.record_id for c in store.iter_chunks() if c.record_id)
    assert ids == ["P001", "P002", "P003", "P004", "P005"]


def test_a_malformed_csv_row_is_refused_by_line(
    tmp_path: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    rows = (CORPUS / "records" / "projects.csv").read_text().splitlines()
    text = "\n".join([rows[0], rows[1], 'P999,"unterminated,x,y', rows[2]]) + "\n"
    path = tmp_path / "records.csv"
    path.write_text(text)
    report = ingest([path], store, embedder, settings)
    assert report.added == [path.as_posix()]
    stored = {c.record_id for c in store.iter_chunks() if c.record_id}
    assert "P001" in stored
    assert report.notes and "record refused" in report.notes[0]
