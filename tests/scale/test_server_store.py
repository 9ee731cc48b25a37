"""The store on a real Chroma server (`chroma run`), chosen by settings alone."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import chromadb
import httpx
import pytest
from chromadb.config import Settings as ChromaSettings

from assistant.errors import StoreUnavailable
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.store import open_store
from assistant.settings import Settings
from ingest import evidence_files
from tests.conftest import CORPUS, free_port
from tests.scale.conftest import ChromaServer

pytestmark = pytest.mark.server

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


def _raw_client(server: ChromaServer) -> chromadb.api.ClientAPI:
    return chromadb.HttpClient(
        host=server.host, port=server.port, settings=ChromaSettings(anonymized_telemetry=False)
    )


def test_settings_with_a_host_put_the_store_on_the_server(
    chroma_server: ChromaServer, tmp_path: Path
) -> None:
    settings = chroma_server.settings(tmp_path / "data")
    store = open_store(settings)
    assert store.count() == 0
    names = {c.name for c in _raw_client(chroma_server).list_collections()}
    assert {settings.collection, f"{settings.collection}_docs"} <= names
    assert not settings.chroma_path.exists(), "no embedded store is made when a host is set"


def test_corpus_ingested_through_the_server_reads_back_whole(
    server_corpus: Settings, embedder: Embedder
) -> None:
    store = open_store(server_corpus)
    manifest = store.manifest()
    # Every evidence file, but the records file whose records the CSV already holds.
    shipped = {f.source for f in evidence_files([CORPUS], CORPUS)} - {"records/projects.jsonl"}
    assert {d.source for d in manifest.values()} == shipped
    assert store.count() == sum(d.chunks for d in manifest.values())
    assert len(list(store.iter_chunks())) == store.count()
    assert store.version(), "every commit bumps the version token"
    assert store.recover() == 0

    question = "When was the Emergency Services Collaboration Working Group set up?"
    vector = embedder.embed_query(question)
    found = store.nearest(vector, 5)
    assert len(found) == 5
    assert any("escwg" in chunk.source for chunk in store.get([cid for cid, _ in found]))
    assert all(0.0 < similarity <= 1.0 for _, similarity in found)


def test_no_server_listening_is_a_store_unavailable_error(tmp_path: Path) -> None:
    port = free_port()
    settings = Settings(data_dir=tmp_path, chroma_host="127.0.0.1", chroma_port=port)
    with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{port}"):
        open_store(settings)


# -- a server behind a token-checking proxy --------------------------------------------------
# Chroma 1.x servers ship no auth of their own; operators put a proxy in front that checks a
# static token (Chroma's cookbook does it with Envoy). BLUELIGHT_CHROMA_TOKEN is sent as
# `Authorization: Bearer <token>` on every request.


def _proxy_handler(upstream: str, token: str) -> type[BaseHTTPRequestHandler]:
    client = httpx.Client(base_url=upstream, timeout=30)

    class Handler(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            if self.headers.get("Authorization") != f"Bearer {token}":
                self.send_response(403)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            got = client.request(self.command, self.path, content=body, headers=headers)
            self.send_response(got.status_code)
            for key, value in got.headers.items():
                if key.lower() not in _HOP_BY_HOP and key.lower() != "content-encoding":
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(got.content)))
            self.end_headers()
            self.wfile.write(got.content)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def token_proxy(chroma_server: ChromaServer) -> Iterator[tuple[int, str]]:
    token = "s3cret-token"
    upstream = f"http://{chroma_server.host}:{chroma_server.port}"
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), _proxy_handler(upstream, token))
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy.server_address[1], token
    finally:
        proxy.shutdown()
        proxy.server_close()


def test_token_reaches_a_server_that_requires_one(
    token_proxy: tuple[int, str], tmp_path: Path
) -> None:
    port, token = token_proxy
    settings = Settings(
        data_dir=tmp_path, chroma_host="127.0.0.1", chroma_port=port, chroma_token=token
    )
    assert open_store(settings).count() == 0


def test_missing_token_is_a_store_unavailable_error(
    token_proxy: tuple[int, str], tmp_path: Path
) -> None:
    port, _ = token_proxy
    settings = Settings(data_dir=tmp_path, chroma_host="127.0.0.1", chroma_port=port)
    with pytest.raises(StoreUnavailable, match="Chroma server"):
        open_store(settings)
