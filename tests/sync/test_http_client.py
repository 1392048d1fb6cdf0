"""The station's HTTP client against a real server on 127.0.0.1 that misbehaves (T15, T27)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from tls_certificates import make_authority, make_server_pair

from sync import errors
from sync.http import BackendClient, HttpLimits, parse_retry_after

FAST = HttpLimits(
    connect_timeout_s=2, read_timeout_s=1.0, total_deadline_s=1.5, max_body_bytes=4096
)


def _send(handler, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def test_reads_a_json_answer(scripted_server):
    server = scripted_server(lambda h: _send(h, 200, b'{"ok": true}'))
    with BackendClient(server.url, limits=FAST) as client:
        assert client.get("healthz").json() == {"ok": True}


def test_a_trickling_server_is_cut_off_at_the_total_deadline(scripted_server):
    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        for _ in range(100):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(0.4)  # each byte arrives well inside the read timeout

    server = scripted_server(trickle)
    started = time.monotonic()
    with BackendClient(server.url, limits=FAST) as client, pytest.raises(errors.TimeoutExceeded):
        client.get("slow")
    assert time.monotonic() - started < FAST.total_deadline_s + FAST.read_timeout_s + 0.5


def test_accept_then_silence_times_out(scripted_server):
    server = scripted_server(lambda h: time.sleep(3))
    started = time.monotonic()
    with BackendClient(server.url, limits=FAST) as client, pytest.raises(errors.TimeoutExceeded):
        client.get("silent")
    assert time.monotonic() - started < 2.5


def test_an_announced_oversize_body_is_refused_before_reading(scripted_server):
    def huge(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(100 * 1024 * 1024))
        handler.end_headers()
        handler.wfile.write(b"x" * 1024)

    server = scripted_server(huge)
    with BackendClient(server.url, limits=FAST) as client, pytest.raises(errors.ResponseTooLarge):
        client.get("huge")


def test_an_unannounced_oversize_body_is_cut_at_the_cap(scripted_server):
    def chunked(handler):
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for _ in range(50):
            handler.wfile.write(b"400\r\n" + b"y" * 1024 + b"\r\n")
        handler.wfile.write(b"0\r\n\r\n")

    server = scripted_server(chunked)
    with BackendClient(server.url, limits=FAST) as client, pytest.raises(errors.ResponseTooLarge):
        client.get("stream")


def test_a_truncated_body_is_reported_as_truncated(scripted_server):
    def truncated(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(b"z" * 500)
        handler.wfile.flush()
        handler.close_connection = True
        handler.connection.shutdown(socket.SHUT_RDWR)

    server = scripted_server(truncated)
    with BackendClient(server.url, limits=FAST) as client, pytest.raises(errors.ResponseTruncated):
        client.get("cut")


@pytest.mark.parametrize(
    ("status", "body", "headers", "expected", "retry"),
    [
        (302, b"", {"Location": "http://evil.example/"}, errors.RedirectRefused, None),
        (503, b"", {"Retry-After": "7"}, errors.ServerBusy, 7.0),
        (500, b"", {}, errors.ServerBusy, None),
        (429, b"", {"Retry-After": "120"}, errors.RateLimited, 120.0),
        (401, b'{"code": "NOT_ENROLLED"}', {}, errors.NotEnrolled, None),
        (
            403,
            b'{"code": "STATION_REVOKED", "problem": "revoked"}',
            {},
            errors.StationRevoked,
            None,
        ),
        (404, b'{"code": "PAGE_NOT_FOUND"}', {}, errors.HttpStatusError, None),
    ],
)
def test_error_statuses_map_to_stable_codes(
    scripted_server, status, body, headers, expected, retry
):
    server = scripted_server(lambda h: _send(h, status, body, headers))
    with BackendClient(server.url, limits=FAST) as client, pytest.raises(expected) as caught:
        client.get("x")
    assert type(caught.value) is expected
    assert caught.value.retry_after_s == retry
    assert caught.value.code and caught.value.message


def test_an_unreachable_backend_is_a_network_error(free_port):
    with BackendClient(f"http://127.0.0.1:{free_port}", limits=FAST) as client:
        with pytest.raises(errors.NetworkError):
            client.get("x")


def test_plain_http_is_only_allowed_to_loopback():
    with pytest.raises(errors.BackendIdentityError):
        BackendClient("http://hub.example.org:8700")
    BackendClient("http://localhost:8700").close()


def test_failed_requests_leave_no_threads_behind(scripted_server, free_port):
    server = scripted_server(lambda h: _send(h, 503, b""))
    before = threading.active_count()
    for _ in range(5):
        with BackendClient(server.url, limits=FAST) as client, pytest.raises(errors.ServerBusy):
            client.get("x")
    deadline = time.monotonic() + 3
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)  # the server's handler threads end when the client hangs up
    assert threading.active_count() <= before


def test_retry_after_as_an_http_date():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("Thu, 01 Jan 2026 12:01:00 GMT", now) == 60.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("999999999", now) == 86400.0


# -- TLS (T15) ---------------------------------------------------------------------------------


@pytest.fixture
def pki(tmp_path):
    good = make_authority(tmp_path, "hub")
    rogue = make_authority(tmp_path, "rogue")
    return tmp_path, good, rogue


def _ok(handler):
    _send(handler, 200, b'{"ok": true}')


def test_tls_to_the_pinned_authority_works(scripted_server, pki):
    folder, good, _ = pki
    server = scripted_server(_ok, make_server_pair(folder, good, "server"))
    with BackendClient(server.url, ca_file=str(good.pem_path), limits=FAST) as client:
        assert client.get("x").json() == {"ok": True}


@pytest.mark.parametrize("case", ["rogue_ca", "expired", "wrong_host", "system_store"])
def test_tls_identity_failures_are_refused(scripted_server, pki, case):
    folder, good, rogue = pki
    now = datetime.now(UTC)
    pair = {
        "rogue_ca": lambda: make_server_pair(folder, rogue, "rogue"),
        "expired": lambda: make_server_pair(
            folder,
            good,
            "old",
            not_before=now - timedelta(days=60),
            not_after=now - timedelta(days=1),
        ),
        "wrong_host": lambda: make_server_pair(folder, good, "other", hosts=("other.example",)),
        "system_store": lambda: make_server_pair(folder, good, "server"),
    }[case]()
    server = scripted_server(_ok, pair)
    ca = None if case == "system_store" else str(good.pem_path)
    with BackendClient(server.url, ca_file=ca, limits=FAST) as client:
        with pytest.raises(errors.BackendIdentityError) as caught:
            client.get("x")
    assert "identity check failed" in caught.value.message
    assert server.requests == []  # nothing was sent to the impostor


def test_a_not_yet_valid_certificate_is_reported_as_a_clock_problem(scripted_server, pki):
    folder, good, _ = pki
    now = datetime.now(UTC)
    pair = make_server_pair(
        folder,
        good,
        "future",
        not_before=now + timedelta(days=2),
        not_after=now + timedelta(days=9),
    )
    server = scripted_server(_ok, pair)
    with BackendClient(server.url, ca_file=str(good.pem_path), limits=FAST) as client:
        with pytest.raises(errors.ClockSuspectError):
            client.get("x")


def test_ca_bundle_environment_variables_cannot_re_root_trust(scripted_server, pki):
    """T15 (b): REQUESTS_CA_BUNDLE / SSL_CERT_FILE pointing at a rogue CA change nothing."""
    folder, good, rogue = pki
    server = scripted_server(_ok, make_server_pair(folder, rogue, "rogue"))
    script = (
        "import sys; from sync.http import BackendClient; from sync import errors\n"
        f"client = BackendClient({server.url!r}, ca_file={str(good.pem_path)!r})\n"
        "try:\n    client.get('x')\nexcept errors.BackendIdentityError:\n    sys.exit(7)\n"
        "sys.exit(0)\n"
    )
    env = dict(
        os.environ, REQUESTS_CA_BUNDLE=str(rogue.pem_path), SSL_CERT_FILE=str(rogue.pem_path)
    )
    env["HTTPS_PROXY"] = "http://127.0.0.1:9"  # a proxy that would swallow everything
    done = subprocess.run([sys.executable, "-c", script], env=env, timeout=60, check=False)
    assert done.returncode == 7
    assert json.dumps(server.requests) == "[]"


def test_304_is_an_answer_only_to_a_conditional_request(scripted_server):
    server = scripted_server(lambda h: _send(h, 304, b""))
    with BackendClient(server.url, limits=FAST) as client:
        assert client.get("lists", headers={"If-None-Match": '"v3"'}).status == 304
        with pytest.raises(errors.RedirectRefused):
            client.get("lists")


def test_an_error_page_trickled_byte_by_byte_is_cut_off_at_the_deadline(scripted_server):
    def trickle_error(handler):
        handler.send_response(503)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        for _ in range(1000):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.4)

    server = scripted_server(trickle_error)
    started = time.monotonic()
    with BackendClient(server.url, limits=FAST) as client, pytest.raises(errors.ServerBusy):
        client.get("x")
    assert time.monotonic() - started < FAST.total_deadline_s + FAST.read_timeout_s + 0.5
