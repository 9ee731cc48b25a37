"""Edges of the HTTP surface, over real sockets: internal ids, keyed metrics, the key checked
before a body is read, stalled bodies, and malformed headers, each refused in the one JSON shape."""

from __future__ import annotations

import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest

from tests.api.conftest import API_KEY, BODY_TIMEOUT_S, Server

pytestmark = pytest.mark.server


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float  # from the end of sending to the end of the response
    closed: bool  # the server closed the connection after it

    def json(self) -> dict[str, object]:
        return json.loads(self.body)


def raw(server: Server, request: bytes, wait_s: float = 30) -> RawResponse:
    """Send `request` as it is (possibly incomplete) and read what comes back until close."""
    url = urlsplit(server.base_url)
    with socket.create_connection((url.hostname, url.port), timeout=wait_s) as sock:
        sock.sendall(request)
        started = time.monotonic()
        data = b""
        closed = False
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                closed = True
                break
            data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = [
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ]
            if length and len(body) >= length[0] and b"connection: close" not in head.lower():
                break
    seconds = time.monotonic() - started
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines and lines[0].startswith("HTTP/1.1 "), data[:200]
    headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:])}
    return RawResponse(int(lines[0].split()[1]), headers, body, seconds, closed)


def assert_error(r: RawResponse, status: int, code: str) -> dict[str, object]:
    assert r.status == status, r
    assert r.headers["content-type"] == "application/json"
    error = r.json()["error"]
    assert isinstance(error, dict)
    assert error["code"] == code
    assert error["request_id"] == r.headers["x-request-id"]
    return error


def test_internal_store_rows_are_not_documents(writer: httpx.Client) -> None:
    for doc_id in ("__version__", "pending:anything"):
        r = writer.delete(f"/v1/documents/{doc_id}")
        assert r.status_code == 404, r.text
        assert r.json()["error"]["code"] == "not_found"
        assert writer.get(f"/v1/documents/{doc_id}").status_code == 404
    assert writer.delete("/v1/documents/__version__").status_code == 404  # still not there


def test_metrics_need_the_key_when_reads_do(write_server: Server, api: httpx.Client) -> None:
    with write_server.client() as anon, write_server.client(API_KEY) as keyed:
        r = anon.get("/metrics")
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "unauthorized"
        assert keyed.get("/metrics").status_code == 200
        assert anon.get("/healthz").status_code == 200  # probes stay open
    assert api.get("/metrics").status_code == 200  # reads open: metrics open


def test_a_keyless_upload_is_refused_before_its_body_is_read(api_server: Server) -> None:
    """20 MB declared, 1 KB sent: the 401 comes at once, without waiting for the rest."""
    head = (
        b"POST /v1/documents HTTP/1.1\r\nHost: test\r\n"
        b"Content-Type: multipart/form-data; boundary=b0undary\r\n"
        b"Content-Length: 20000000\r\n\r\n"
    )
    r = raw(api_server, head + b"--b0undary\r\n" + b"x" * 1024, wait_s=8)
    error = assert_error(r, 401, "unauthorized")
    assert "POST /v1/documents needs an API key" in str(error["message"])
    assert r.headers["www-authenticate"] == "Bearer"
    assert r.closed  # the unread body is not taken for a next request
    assert r.seconds < 5  # api_server waits 10 s for a stalled body: this was not that


def test_a_wrong_key_is_refused_before_the_body_too(api_server: Server) -> None:
    head = (
        b"DELETE /v1/documents/x HTTP/1.1\r\nHost: test\r\nX-API-Key: wrong\r\n"
        b"Content-Length: 5000\r\n\r\n"
    )
    r = raw(api_server, head, wait_s=8)
    assert_error(r, 401, "unauthorized")
    assert r.seconds < 5


def test_no_configured_key_is_a_403_before_the_body(keyless_server: Server) -> None:
    head = b"POST /v1/documents HTTP/1.1\r\nHost: test\r\nContent-Length: 900000\r\n\r\n"
    r = raw(keyless_server, head, wait_s=8)
    assert_error(r, 403, "no_api_key_configured")
    assert r.seconds < 5


def test_stalled_bodies_are_cut_off_with_a_408(write_server: Server) -> None:
    """Many clients that stop mid-body: each is answered 408 after the timeout, and let go."""
    head = (
        f"POST /v1/feedback HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {API_KEY}\r\n"
        "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n"
    )
    stalled = (head + '{"answer_id": "a1", ').encode()
    with ThreadPoolExecutor(40) as pool:
        responses = list(pool.map(lambda _: raw(write_server, stalled), range(40)))
    for r in responses:
        error = assert_error(r, 408, "request_timeout")
        assert "BLUELIGHT_BODY_READ_TIMEOUT_S" in str(error["message"])
        assert r.closed
        assert BODY_TIMEOUT_S - 0.5 < r.seconds < BODY_TIMEOUT_S + 10
    with write_server.client(API_KEY) as client:
        assert client.get("/readyz").status_code == 200


def test_a_body_that_pauses_briefly_is_read_whole(write_server: Server) -> None:
    body = json.dumps({"answer_id": "pause-1", "rating": "up"}).encode()
    head = (
        f"POST /v1/feedback HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {API_KEY}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    url = urlsplit(write_server.base_url)
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(head.encode() + body[:10])
        time.sleep(BODY_TIMEOUT_S / 2)
        sock.sendall(body[10:])
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 201 "), reply[:200]


@pytest.mark.parametrize("byte", [b"\x00", b"\x01", b"\x1b", b"\x7f"])
def test_a_header_with_a_control_byte_gets_the_json_400(api_server: Server, byte: bytes) -> None:
    """uvicorn's parser refuses it before the app (api/protocol.py renders that refusal)."""
    r = raw(api_server, b"GET /healthz HTTP/1.1\r\nHost: test\r\nX-Note: a" + byte + b"b\r\n\r\n")
    error = assert_error(r, 400, "bad_request")
    assert "control character" in str(error["message"])
    assert r.closed
    with httpx.Client(base_url=api_server.base_url) as client:
        assert client.get("/healthz").status_code == 200
