"""What a reader opens from a citation, and what the store holds."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.server


def a_citation(api: httpx.Client) -> dict[str, object]:
    r = api.post("/v1/answer", json={"question": "What is the statutory duty to collaborate?"})
    return r.json()["citations"][0]


def test_source_gives_the_passage_its_document_and_neighbours(api: httpx.Client) -> None:
    citation = a_citation(api)
    r = api.get(f"/v1/sources/{citation['chunk_id']}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["passage"]["chunk_id"] == citation["chunk_id"]
    assert citation["quote"] in body["passage"]["text"]
    assert body["document"]["source"] == citation["source"]
    assert body["passage"]["page"] == citation["page"]
    positions = [n["position"] for n in body["neighbours"]]
    assert positions and all(abs(p - body["passage"]["position"]) == 1 for p in positions)


def test_page_text_holds_the_cited_quote(api: httpx.Client) -> None:
    citation = a_citation(api)
    source = api.get(f"/v1/sources/{citation['chunk_id']}").json()
    doc_id, page = source["document"]["doc_id"], citation["page"]
    r = api.get(f"/v1/documents/{doc_id}/pages/{page}")
    assert r.status_code == 200, r.text
    assert citation["quote"] in r.json()["text"]
    assert citation["chunk_id"] in r.json()["chunk_ids"]


def test_missing_things_are_404_with_a_reason(api: httpx.Client) -> None:
    docs = api.get("/v1/documents").json()["documents"]
    report = next(d for d in docs if d["pages"])
    records = next(d for d in docs if d["records"])
    cases = {
        "/v1/sources/no-such-chunk": "no passage",
        "/v1/documents/nope/pages/1": "no document",
        f"/v1/documents/{report['doc_id']}/pages/{report['pages'] + 1}": "there is no page",
        f"/v1/documents/{records['doc_id']}/pages/1": "has no pages",
        "/v1/jobs/nope": "no job",
    }
    for path, reason in cases.items():
        r = api.get(path)
        assert r.status_code == 404, path
        assert r.json()["error"]["code"] == "not_found"
        assert reason in r.json()["error"]["message"], path


def test_documents_lists_the_corpus(api: httpx.Client) -> None:
    body = api.get("/v1/documents").json()
    assert body["total"] == len(body["documents"]) >= 10
    sources = {d["source"] for d in body["documents"]}
    assert "records/projects.csv" in sources
    report = next(d for d in body["documents"] if d["doc_type"] == "report")
    assert report["pages"] >= 1 and report["chunks"] >= 1 and report["ingested_at"]


def test_facets_list_the_filter_values_present(api: httpx.Client) -> None:
    body = api.get("/v1/facets").json()
    assert {"report", "project"} <= set(body["doc_types"])
    assert "North West" in body["regions"]
    assert "co_responding" in body["themes"]
    assert {"fire", "ambulance", "police"} <= set(body["services"])
    assert 1990 < body["years"]["min"] <= body["years"]["max"] < 2100
