"""Clients that trickle a request a byte at a time are cut off at a total deadline, over a real
socket on loopback against real uvicorn: headers within BLUELIGHT_HEADER_TIMEOUT_S, the body
within BLUELIGHT_BODY_DEADLINE_S, however steadily the bytes keep coming."""

from __future__ import annotations

import json
import select
import socket
import time
from collections.abc import Iterator

import pytest

from tests.api.conftest import Server, start_server

pytestmark = [pytest.mark.server, pytest.mark.slow]

HEADER_TIMEOUT_S = 3
BODY_DEADLINE_S = 6
# How late past a deadline the cut may come: the event loop's timer and the test's own polling.
SLACK_S = 2.5


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("slow-clients")
    # The gap allowed between two pieces of a body stays at its default (10 s), above the 5 s
    # gaps below: only the total deadline can cut the trickle off.
    started = start_server(
        root / "data", root, header_timeout_s=HEADER_TIMEOUT_S, body_deadline_s=BODY_DEADLINE_S
    )
    yield started
    started.stop()


def _connect(server: Server) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=30)


def _trickle(sock: socket.socket, data: bytes, every_s: float, give_up_s: float) -> bytes:
    """Send `data` a byte every `every_s`; what the server sent back once it answered or closed."""
    start = time.monotonic()
    for byte in data:
        try:
            sock.sendall(bytes([byte]))
        except OSError:  # closed under us: read what it said first
            break
        readable, _, _ = select.select([sock], [], [], every_s)
        if readable or time.monotonic() - start > give_up_s:
            break
    reply = b""
    while chunk := sock.recv(65536):
        reply += chunk
    return reply


def _one_response(sock: socket.socket) -> bytes:
    """Read one response on a kept-alive connection: its head, then Content-Length bytes."""
    reply = b""
    while b"\r\n\r\n" not in reply:
        reply += sock.recv(65536)
    head, _, body = reply.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def _status_and_error(reply: bytes) -> tuple[int, dict[str, str]]:
    head, _, body = reply.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)["error"]


def test_headers_sent_a_byte_every_two_seconds_are_cut_off_at_the_deadline(server: Server) -> None:
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nUser-Agent: a-very-slow-client\r\n\r\n"
    with _connect(server) as sock:
        start = time.monotonic()
        reply = _trickle(sock, request, every_s=2, give_up_s=60)
        elapsed = time.monotonic() - start
    assert elapsed < HEADER_TIMEOUT_S + SLACK_S, f"held for {elapsed:.1f} s"
    status, error = _status_and_error(reply)
    assert status == 408
    assert error["code"] == "request_timeout"
    assert "BLUELIGHT_HEADER_TIMEOUT_S" in error["message"]


def test_a_body_sent_a_byte_every_five_seconds_is_cut_off_at_the_total_deadline(
    server: Server,
) -> None:
    body = json.dumps({"answer_id": "slow", "rating": "up", "comment": "x" * 40}).encode()
    head = (
        b"POST /v1/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
    )
    with _connect(server) as sock:
        sock.sendall(head)
        start = time.monotonic()
        reply = _trickle(sock, body, every_s=5, give_up_s=60)
        elapsed = time.monotonic() - start
    assert elapsed < BODY_DEADLINE_S + SLACK_S, f"held for {elapsed:.1f} s"
    status, error = _status_and_error(reply)
    assert status == 408
    assert error["code"] == "request_timeout"
    assert "BLUELIGHT_BODY_DEADLINE_S" in error["message"]


def test_a_kept_alive_connection_idle_past_the_header_deadline_still_serves(
    server: Server,
) -> None:
    """The header deadline runs from a request's first byte, not from the last response."""
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    with _connect(server) as sock:
        for _ in range(2):
            sock.sendall(request)
            reply = _one_response(sock)
            assert reply.startswith(b"HTTP/1.1 200"), reply
            assert reply.endswith(b'{"status":"ok"}')
            time.sleep(HEADER_TIMEOUT_S + 0.5)  # under uvicorn's 5 s keep-alive


def test_a_prompt_request_on_a_fresh_connection_is_served(server: Server) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200"), reply
