"""Uploads end to end on a server with its own store: each kind ingests and can be asked about;
bad files are refused with a 4xx that says why; writes need the key."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.api.conftest import API_KEY, Server, make_pdf
from tests.conftest import PDF_SAMPLES

pytestmark = pytest.mark.server

ENCRYPTED = PDF_SAMPLES / "005-libreoffice-writer-password" / "libreoffice-writer-password.pdf"


def upload(client: httpx.Client, name: str, data: bytes, **form: str) -> httpx.Response:
    return client.post("/v1/documents", files={"file": (name, data)}, data=form)


def finished(client: httpx.Client, job: dict[str, Any], timeout_s: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job['job_id']}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job still {job['status']} after {timeout_s} s")


def ingest(client: httpx.Client, name: str, data: bytes) -> dict[str, Any]:
    r = upload(client, name, data)
    assert r.status_code == 202, r.text
    assert r.json()["status"] in ("queued", "running", "done")
    job = finished(client, r.json())
    assert job["status"] == "done", job
    return job


def cited_sources(client: httpx.Client, question: str) -> set[str]:
    r = client.post("/v1/answer", json={"question": question})
    assert r.status_code == 200, r.text
    return {c["source"] for c in r.json()["citations"]}


PDF_TEXT = [
    "Wessex Blue Light Hub. The Wessex Blue Light Hub merged the fire and police control "
    "rooms of the county in 2021, and the merger saved 1.4 million pounds a year.",
    "The Wessex hub trained forty dispatchers to take both fire and police calls.",
]
RECORDS = [
    {
        "id": "U901",
        "title": "Quantock tri-service station pilot",
        "services": ["police", "fire", "ambulance"],
        "region": "South West",
        "theme": "shared_estate",
        "status": "pilot",
        "start_year": 2022,
        "summary": "Police, fire and ambulance crews in the Quantock hills share one station "
        "building, which cut estate running costs by a third.",
    }
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "data", "question", "marker"),
    [
        (
            "Wessex hub report.pdf",
            make_pdf(PDF_TEXT, title="Wessex Blue Light Hub"),
            "How much did the Wessex Blue Light Hub merger save?",
            "wessex",
        ),
        (
            "quantock.jsonl",
            "\n".join(json.dumps(r) for r in RECORDS).encode(),
            "What did the Quantock tri-service station pilot cut?",
            "quantock",
        ),
        (
            "Severn ferries.csv",
            b"id,title,services,region,theme,status,start_year,summary\n"
            b"U902,Severn estuary joint rescue boats,fire; police,Wales,water_rescue,operational,"
            b'2019,"Fire and police in the Severn estuary run joint rescue boats, '
            b'answering river incidents within twelve minutes."\n',
            "How quickly do the Severn estuary joint rescue boats answer incidents?",
            "severn",
        ),
        (
            "notes/../../etc/Mendip notes.txt",
            b"Mendip shared training.\n\nThe Mendip shared training ground lets police and fire "
            b"crews rehearse road traffic collisions together every month.\n",
            "How often do crews rehearse at the Mendip shared training ground?",
            "mendip",
        ),
        (
            "purbeck.md",
            b"# Purbeck co-location\n\nThe Purbeck co-location put the ambulance standby point "
            b"inside the fire station, which reduced response times in the Purbeck area.\n",
            "What did the Purbeck co-location of the ambulance standby point reduce?",
            "purbeck",
        ),
    ],
    ids=["pdf", "jsonl", "csv", "txt", "md"],
)
def test_each_kind_ingests_and_can_be_asked_about(
    writer: httpx.Client, name: str, data: bytes, question: str, marker: str
) -> None:
    job = ingest(writer, name, data)
    source = job["result"]["source"]
    assert source.startswith("uploads/") and "/" not in source.removeprefix("uploads/")
    assert ".." not in source
    assert job["result"]["chunks"] >= 1
    assert source in cited_sources(writer, question)
    listed = {d["source"] for d in writer.get("/v1/documents").json()["documents"]}
    assert source in listed


@pytest.mark.slow
def test_delete_removes_a_document_from_answers(writer: httpx.Client) -> None:
    text = (
        b"Exmoor drone trial.\n\nThe Exmoor drone trial let fire and police share one "
        b"thermal-imaging drone for moorland searches.\n"
    )
    job = ingest(writer, "exmoor.txt", text)
    doc_id = job["result"]["doc_id"]
    question = "What did the Exmoor drone trial let fire and police share?"
    assert "uploads/exmoor.txt" in cited_sources(writer, question)
    assert writer.delete(f"/v1/documents/{doc_id}").status_code == 204
    assert "uploads/exmoor.txt" not in cited_sources(writer, question)
    again = writer.delete(f"/v1/documents/{doc_id}")
    assert again.status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "status", "code", "reason"),
    [
        ("empty.txt", b"", 422, "damaged_file", "the file is empty"),
        ("fake.pdf", b"this is not a pdf at all", 422, "damaged_file", "not a PDF"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, 415, "unsupported_media_type", "PNG"),
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 64, 415, "unsupported_media_type", ".exe"),
        ("tool", b"\x7fELF\x02\x01" + b"\x00" * 64, 415, "unsupported_media_type", "program"),
        ("data.xlsx", b"some,bytes", 415, "unsupported_media_type", ".xlsx"),
        ("binary.txt", b"abc\x00def", 422, "damaged_file", "binary content"),
        ("big.txt", b"word " * 50_000, 413, "payload_too_large", "limit is 200,000"),
        ("latin.csv", b"id,title\nX1,Caf\xe9\n", 422, "damaged_file", "not UTF-8"),
        ("bad.jsonl", b"{not json}\n", 422, "damaged_file", "no valid records"),
    ],
)
def test_bad_uploads_are_refused_with_the_reason(
    writer: httpx.Client, name: str, data: bytes, status: int, code: str, reason: str
) -> None:
    r = upload(writer, name, data)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == code
    assert reason in error["message"]


def test_encrypted_pdf_is_refused_and_asks_for_the_password(writer: httpx.Client) -> None:
    r = upload(writer, "secret.pdf", ENCRYPTED.read_bytes())
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "encrypted_pdf"
    assert r.json()["error"]["message"] == (
        "uploads/secret.pdf: the PDF is encrypted; send it in the password field"
    )
    wrong = upload(writer, "secret.pdf", ENCRYPTED.read_bytes(), password="not-it")
    assert wrong.status_code == 422
    assert "the password given is wrong" in wrong.json()["error"]["message"]


@pytest.mark.slow
def test_encrypted_pdf_with_its_password_ingests(writer: httpx.Client) -> None:
    r = upload(writer, "secret.pdf", ENCRYPTED.read_bytes(), password="openpassword")
    assert r.status_code == 202, r.text
    job = finished(writer, r.json())
    assert job["status"] == "done", job
    assert job["result"]["pages"] == 1


def test_image_only_pdf_is_refused_as_needing_ocr(writer: httpx.Client) -> None:
    scanned = next((PDF_SAMPLES / "007-imagemagick-images").glob("*.pdf"))
    r = upload(writer, "scan.pdf", scanned.read_bytes())
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "no_text_layer"
    assert "OCR" in r.json()["error"]["message"]


def test_far_too_big_a_body_is_refused_before_it_is_read(writer: httpx.Client) -> None:
    r = upload(writer, "huge.txt", b"x" * 400_000)  # over the limit plus the form's room
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"
    assert "over the limit of 265,536 bytes" in r.json()["error"]["message"]


def test_upload_without_a_file_is_a_validation_error(writer: httpx.Client) -> None:
    r = writer.post("/v1/documents", data={"password": "x"})
    assert r.status_code == 422
    assert "file" in r.json()["error"]["message"]


def test_failed_uploads_leave_the_store_unchanged(writer: httpx.Client) -> None:
    before = writer.get("/v1/documents").json()
    for name, data in [("fake.pdf", b"nope"), ("secret.pdf", ENCRYPTED.read_bytes())]:
        assert upload(writer, name, data).status_code >= 400
    assert writer.get("/v1/documents").json() == before


def test_writes_and_keyed_reads_need_the_right_key(write_server: Server) -> None:
    with write_server.client() as anon, write_server.client("wrong-key") as wrong:
        for client in (anon, wrong):
            for method, path in [
                ("POST", "/v1/documents"),
                ("DELETE", "/v1/documents/x"),
                ("GET", "/v1/feedback"),
                ("GET", "/v1/documents"),
            ]:
                kwargs: dict[str, Any] = (
                    {"files": {"file": ("a.txt", b"a")}} if method == "POST" else {}
                )
                r = client.request(method, path, **kwargs)
                assert r.status_code == 401, (method, path, r.text)
                assert r.json()["error"]["code"] == "unauthorized"
                assert r.headers["www-authenticate"] == "Bearer"
        assert (
            "send it as Authorization: Bearer"
            in anon.get("/v1/documents").json()["error"]["message"]
        )
        assert "not valid" in wrong.get("/v1/documents").json()["error"]["message"]
    with httpx.Client(base_url=write_server.base_url, headers={"X-API-Key": API_KEY}) as keyed:
        assert keyed.get("/v1/documents").status_code == 200
    with httpx.Client(base_url=write_server.base_url) as anon:
        assert anon.get("/healthz").status_code == 200
        assert anon.get("/readyz").status_code == 200


def test_readiness_tells_what_the_store_holds_only_to_a_reader_with_the_key(
    write_server: Server,
) -> None:
    """Reads need the key on this server: a load balancer sees it is ready, and nothing more."""
    with httpx.Client(base_url=write_server.base_url) as anon:
        assert anon.get("/readyz").json() == {"status": "ready"}
    with httpx.Client(base_url=write_server.base_url, headers={"X-API-Key": "wrong"}) as wrong:
        assert wrong.get("/readyz").json() == {"status": "ready"}
    with write_server.client(API_KEY) as keyed:
        ready = keyed.get("/readyz").json()
        assert set(ready) == {"status", "chunks", "documents"}
        assert ready["documents"] == keyed.get("/v1/documents").json()["total"]


def test_writes_are_refused_when_no_key_is_configured(keyless_server: Server) -> None:
    with keyless_server.client(API_KEY) as client:
        r = upload(client, "a.txt", b"hello there")
        assert r.status_code == 403
        assert r.json()["error"]["code"] == "no_api_key_configured"
        assert "POST /v1/documents needs an API key" in r.json()["error"]["message"]
        assert "set BLUELIGHT_API_KEY" in r.json()["error"]["message"]
        assert client.delete("/v1/documents/x").status_code == 403
        assert client.get("/v1/feedback").status_code == 403
        assert client.get("/v1/documents").status_code == 200  # reads stay open


@pytest.mark.slow
def test_an_operator_lists_reviews_and_removes_uploads(writer: httpx.Client) -> None:
    text = b"Lundy ferry drill.\n\nCoastguard and fire crews rehearse a ferry fire off Lundy.\n"
    job = ingest(writer, "lundy.txt", text)
    doc_id = job["result"]["doc_id"]
    r = writer.get("/v1/documents", params={"provenance": "upload"})
    assert r.status_code == 200, r.text
    listed = {d["doc_id"]: d for d in r.json()["documents"]}
    assert r.json()["total"] == len(listed)
    assert all(d["provenance"] == "upload" for d in listed.values())
    lundy = listed[doc_id]
    assert lundy["added_by"] == "key-" + hashlib.sha256(API_KEY.encode()).hexdigest()[:12]
    assert API_KEY not in r.text  # the key itself is never shown
    added = datetime.fromisoformat(lundy["added_at"])
    assert abs((datetime.now(UTC) - added).total_seconds()) < 300
    assert writer.get("/v1/documents", params={"provenance": "shipped"}).json()["total"] == 0

    review = writer.get(f"/v1/documents/{doc_id}")
    assert review.status_code == 200, review.text
    assert review.json()["document"] == lundy
    assert "ferry fire off Lundy" in " ".join(p["text"] for p in review.json()["passages"])
    assert review.json()["total"] == lundy["chunks"]
    first = review.json()["passages"][0]["chunk_id"]
    assert writer.get(f"/v1/sources/{first}").json()["document"]["doc_id"] == doc_id

    assert writer.delete(f"/v1/documents/{doc_id}").status_code == 204
    after = writer.get("/v1/documents", params={"provenance": "upload"}).json()["documents"]
    assert doc_id not in {d["doc_id"] for d in after}
    assert writer.get(f"/v1/documents/{doc_id}").status_code == 404


def test_an_unknown_provenance_is_a_validation_error(writer: httpx.Client) -> None:
    r = writer.get("/v1/documents", params={"provenance": "stolen"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"
    assert "provenance" in r.json()["error"]["message"]
