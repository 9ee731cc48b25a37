"""Bytes are read as they are: a byte that is not UTF-8 is named, never re-decoded; a
decompression bomb is refused as one."""

from __future__ import annotations

import zlib
from pathlib import Path

from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import Store
from assistant.settings import Settings
from ingest import ingest
from tests.conftest import CORPUS


def _records(n: int) -> list[bytes]:
    return (CORPUS / "records" / "projects.jsonl").read_bytes().splitlines(keepends=True)[:n]


def test_a_stray_byte_in_a_text_file_is_refused_by_offset_not_read_as_cp1252(
    tmp_path: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    note = tmp_path / "note.txt"
    note.write_bytes(b"The hub cost 40,000 pounds.\nIt opened in \x80 2019.\n")

    report = ingest([note], store, embedder, settings)

    assert report.failed == [
        f"{note.as_posix()}: not UTF-8 text: byte 0x80 at offset 41 (line 2) is not valid "
        "UTF-8; save it as UTF-8"
    ]
    assert store.count() == 0 and not store.manifest()


def test_a_byte_order_mark_is_allowed_and_offsets_count_it(
    tmp_path: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_bytes(b"\xef\xbb\xbf# Hub\n\nThe Ashdown hub opened in 2019.\n")
    bad.write_bytes(b"\xef\xbb\xbf# Hub\n\nCaf\xe9 in Ashdown.\n")

    report = ingest([good, bad], store, embedder, settings)

    assert report.added == [good.as_posix()]
    assert report.failed == [
        f"{bad.as_posix()}: not UTF-8 text: byte 0xe9 at offset 13 (line 3) is not valid "
        "UTF-8; save it as UTF-8"
    ]
    assert [c.text for c in store.iter_chunks()] == ["Hub\nThe Ashdown hub opened in 2019."]


def test_one_bad_byte_in_a_jsonl_refuses_its_line_and_keeps_the_other_records(
    tmp_path: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    lines = _records(3)
    lines[1] = lines[1].replace(b"Cheshire", b"Ches\xffhire", 1)
    path = tmp_path / "projects.jsonl"
    path.write_bytes(b"".join(lines))

    report = ingest([path], store, embedder, settings)

    assert report.added == [path.as_posix()] and not report.failed
    offset = len(lines[0]) + lines[1].index(b"\xff")
    assert report.notes == [
        f"{path.as_posix()}:2: record refused: not UTF-8: byte 0xff at offset {offset} (line 2) "
        "is not valid UTF-8; save it as UTF-8"
    ]
    assert sorted(c.record_id for c in store.iter_chunks()) == ["P001", "P003"]


def test_a_bad_byte_in_a_multi_line_csv_record_refuses_that_record_by_line(
    tmp_path: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    rows = (CORPUS / "records" / "projects.csv").read_bytes().splitlines(keepends=True)
    # The second record's summary is given over two lines, with a stray byte on the second.
    broken = rows[2].replace(b"Cheshire firefighters", b"Cheshire\nfire\x92fighters", 1)
    path = tmp_path / "projects.csv"
    path.write_bytes(rows[0] + rows[1] + broken + rows[3])

    report = ingest([path], store, embedder, settings)

    assert report.added == [path.as_posix()] and not report.failed
    assert len(report.notes) == 1
    assert report.notes[0].startswith(f"{path.as_posix()}:4: record refused: not UTF-8: byte 0x92")
    assert "(line 4)" in report.notes[0]
    assert sorted(c.record_id for c in store.iter_chunks()) == ["P001", "P003"]


def test_a_records_file_with_every_line_bad_is_refused_naming_the_first_line(
    tmp_path: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    path = tmp_path / "projects.jsonl"
    path.write_bytes(b"".join(line.replace(b"{", b"{\xff", 1) for line in _records(2)))

    report = ingest([path], store, embedder, settings)

    assert len(report.failed) == 1
    assert report.failed[0].startswith(f"{path.as_posix()}: no valid records (line 1: ")
    assert "byte 0xff at offset 1 (line 1)" in report.failed[0]
    assert not store.manifest()


def _bomb_pdf(expanded: int) -> bytes:
    """One page whose content stream inflates from about 80 kB to `expanded` bytes."""
    stream = zlib.compress(b" " * expanded, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_a_decompression_bomb_is_refused_as_one_not_as_needing_ocr(
    tmp_path: Path, store: Store, settings: Settings, embedder: Embedder
) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_bomb_pdf(100_000_000))
    assert bomb.stat().st_size < 200_000

    report = ingest([bomb], store, embedder, settings)

    assert len(report.failed) == 1
    reason = report.failed[0]
    assert reason.startswith(f"{bomb.as_posix()}: a compressed stream in page 1 expands past")
    assert "decompression bomb" in reason and "OCR" not in reason
    assert not store.manifest()
