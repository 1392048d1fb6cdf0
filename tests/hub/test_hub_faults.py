"""Every fault kind does, observably, what it says (and the real answer comes back after)."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from datetime import UTC, datetime

import pytest
import requests
from hub_helpers import enroll

from sync.bundle import verify_bundle, verify_hash_string
from sync.errors import DataInvalid, SignatureRejected
from sync.hub import HubServer
from sync.hub.fault_effects import flip_byte

pytest_plugins = ["hub_fixtures"]

TRUST = "/station/v1/bundles/trust-list"


def _raw_get(url: str, path: str, token: str) -> tuple[bytes, bytes]:
    """One request on a bare socket, read until the hub closes it: (head, body)."""
    host, port = url.removeprefix("http://").split(":")
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\r\n"
    chunks = []
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request.encode())
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return head, body


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            return int(value)
    raise AssertionError("no Content-Length")


def test_status_faults_answer_with_the_status_and_retry_after(server, client):
    server.faults.add("/healthz", "status", status=503, retry_after=7, times=1)
    busy = client.get("/healthz")
    assert (busy.status_code, busy.headers["Retry-After"]) == (503, "7")
    assert busy.json()["code"] == "INJECTED_FAULT"
    assert client.get("/healthz").status_code == 200
    server.faults.add("/rules", "status", status=429, times=2)
    assert [client.get("/rules").status_code for _ in range(3)] == [429, 429, 200]
    assert "Retry-After" not in client.get("/rules").headers


def test_faults_are_scoped_by_path_prefix_and_cleared(server, client):
    assert server.faults is server.hub.faults
    server.faults.add("/station/v1/bundles", "status", status=500)
    assert client.get("/healthz").status_code == 200
    assert client.get(TRUST).status_code == 500
    assert client.get("/station/v1/bundles/revocations").status_code == 500
    server.faults.clear()
    assert client.get(TRUST).status_code == 200


def test_fault_arguments_are_checked():
    from sync.hub import Faults

    faults = Faults()
    with pytest.raises(ValueError):
        faults.add("/", "explode")
    with pytest.raises(ValueError):
        faults.add("/", "slow", intervall=1)
    with pytest.raises(ValueError):
        faults.add("/", "reset", times=0)
    faults.add("/a", "reset", times=1)
    assert faults.take("/b") is None
    assert faults.take("/a/x").kind == "reset"
    assert faults.take("/a") is None


def test_tamper_flips_a_byte_after_signing(server, client):
    server.faults.add(TRUST, "tamper", times=1)
    spoiled = client.get(TRUST)
    with pytest.raises(SignatureRejected):
        verify_bundle(spoiled.text, client.pins, "trust-list")
    server.faults.add("/rules", "tamper", times=1)
    listing = client.get("/rules")
    with pytest.raises(SignatureRejected):
        verify_hash_string(client.pins, listing.content, listing.headers["X-SIGNATURE"])
    assert flip_byte(b"abc") != b"abc" and len(flip_byte(b"{}")) == 2


def test_truncate_declares_everything_and_sends_half(server, client):
    server.faults.add(TRUST, "truncate", times=1)
    head, body = _raw_get(server.url, TRUST, client.token)
    assert head.startswith(b"HTTP/1.1 200")
    assert len(body) == _content_length(head) // 2 > 0
    server.faults.add(TRUST, "truncate", times=1)
    with pytest.raises(requests.exceptions.RequestException):
        client.get(TRUST)


def test_oversize_streams_junk_with_a_matching_length(server, client):
    server.faults.add(TRUST, "oversize", size=200_000, times=1)
    head, body = _raw_get(server.url, TRUST, client.token)
    assert _content_length(head) == len(body) == 200_000
    server.faults.add(TRUST, "oversize", times=1)
    with client.get(TRUST, stream=True) as answer:
        assert int(answer.headers["Content-Length"]) == 100 * 1024 * 1024
        received = 0
        for chunk in answer.iter_content(64 * 1024):
            received += len(chunk)
            if received >= 2 * 1024 * 1024:
                break
    assert received >= 2 * 1024 * 1024


def test_slow_sends_the_real_body_a_byte_at_a_time(server, client):
    expected_length = len(client.get("/healthz").content)
    server.faults.add("/healthz", "slow", interval=0.01, times=1)
    started = time.perf_counter()
    answer = client.get("/healthz")
    assert time.perf_counter() - started >= (expected_length - 1) * 0.01
    assert answer.json()["ok"] is True


def test_silence_says_nothing_and_reset_drops_the_connection(server, client):
    server.faults.add("/healthz", "silence", seconds=5, times=1)
    with pytest.raises(requests.exceptions.ReadTimeout):
        client.get("/healthz", timeout=0.3)
    server.faults.add("/healthz", "reset", times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        client.get("/healthz")
    assert client.get("/healthz").status_code == 200


def test_redirect_points_elsewhere(server, client):
    server.faults.add("/rules", "redirect", location="https://evil.invalid/rules", times=1)
    moved = client.get("/rules", allow_redirects=False)
    assert (moved.status_code, moved.headers["Location"]) == (302, "https://evil.invalid/rules")


def test_rollback_serves_a_genuine_older_bundle(hub, server, client, signers):
    hub.add_dscs([signers[0].der])
    assert client.bundle("trust-list").version == 1
    hub.add_dscs([signers[1].der])
    assert client.bundle("trust-list").version == 2
    server.faults.add(TRUST, "rollback", times=1)
    replayed = verify_bundle(client.get(TRUST).text, client.pins, "trust-list")
    assert replayed.version == 1 and hub.version("trust-list") == 2


def test_wrong_key_signs_with_a_key_nobody_pinned(server, client):
    server.faults.add(TRUST, "wrong_key", times=1)
    with pytest.raises(SignatureRejected, match="does not pin"):
        verify_bundle(client.get(TRUST).text, client.pins, "trust-list")
    server.faults.add("/rules", "wrong_key", times=1)
    listing = client.get("/rules")
    with pytest.raises(SignatureRejected):
        verify_hash_string(client.pins, listing.content, listing.headers["X-SIGNATURE"])


def test_alg_none_and_unsigned_drop_the_signature(server, client):
    server.faults.add(TRUST, "alg_none", times=1)
    token = client.get(TRUST).text
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["alg"] == "none" and token.endswith(".")
    with pytest.raises(SignatureRejected):
        verify_bundle(token, client.pins, "trust-list")
    server.faults.add(TRUST, "unsigned", times=1)
    bare = client.get(TRUST)
    assert bare.json()["source"] == "trust-list"
    with pytest.raises(SignatureRejected):
        verify_bundle(bare.text, client.pins, "trust-list")
    server.faults.add("/rules", "unsigned", times=1)
    assert "X-SIGNATURE" not in client.get("/rules").headers


def test_other_source_and_expired_are_correctly_signed(server, client):
    server.faults.add(TRUST, "other_source", times=1)
    other = client.get(TRUST).text
    with pytest.raises(DataInvalid):
        verify_bundle(other, client.pins, "trust-list")
    assert verify_bundle(other, client.pins, "status-list").source == "status-list"
    server.faults.add("/station/v1/bundles/revocations", "other_source", times=1)
    swapped = client.get("/station/v1/bundles/revocations").text
    assert verify_bundle(swapped, client.pins, "trust-list").source == "trust-list"
    server.faults.add(TRUST, "expired", times=1)
    stale = verify_bundle(client.get(TRUST).text, client.pins, "trust-list")
    assert stale.expires_at < datetime.now(UTC) and stale.issued_at < stale.expires_at


def test_slow_and_silent_connections_do_not_hold_shutdown(hub):
    baseline = threading.active_count()
    server = HubServer(hub).start()
    station = enroll(server.url, hub)
    station.close()
    server.faults.add("/healthz", "slow", interval=10, times=1)
    server.faults.add("/context", "silence", seconds=30, times=1)
    waiting = [
        threading.Thread(target=_raw_get, args=(server.url, path, station.token), daemon=True)
        for path in ("/healthz", "/context")
    ]
    for thread in waiting:
        thread.start()
    time.sleep(0.3)
    started = time.perf_counter()
    server.stop()
    assert time.perf_counter() - started < 3
    for thread in waiting:
        thread.join(timeout=5)
    assert threading.active_count() == baseline
