"""Enrollment codes, bearer tokens, station revocation and the shape of every refusal."""

from __future__ import annotations

import hashlib
import re
import socket
import sqlite3
import stat
from datetime import UTC, datetime, timedelta

import pytest
import requests
from hub_helpers import FAST, HubClient, enroll

from sync.bundle import key_fingerprint, load_public_key
from sync.hub import Hub, HubServer
from sync.hub.routes import ROUTES

pytest_plugins = ["hub_fixtures"]

CODE_FORMAT = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$")
PROBLEM_KEYS = {"code", "problem", "sendValue", "details"}


def _enroll(
    session: requests.Session, url: str, code: str, name: str = "gate"
) -> requests.Response:
    return session.post(f"{url}/station/v1/enroll", json={"code": code, "name": name}, timeout=10)


def test_enrollment_hands_out_a_long_token_and_the_pinned_keys(hub, server, anonymous):
    code = hub.create_enrollment_code("gate-1")
    assert CODE_FORMAT.match(code)
    answer = _enroll(anonymous, server.url, code, "gate-1")
    assert answer.status_code == 201
    body = answer.json()
    assert set(body) == {"station_id", "token", "hub_keys", "hub_key_fingerprints"}
    assert len(body["token"]) >= 43 and re.fullmatch(r"[A-Za-z0-9_\-]+", body["token"])
    keys = [load_public_key(pem.encode()) for pem in body["hub_keys"]]
    assert [key_fingerprint(k) for k in keys] == body["hub_key_fingerprints"]
    assert body["hub_key_fingerprints"] == [hub.key_fingerprint()]
    assert [s.name for s in hub.stations()] == ["gate-1"]


def test_a_code_works_once_and_forgives_case_and_dashes(hub, server, anonymous):
    code = hub.create_enrollment_code()
    assert _enroll(anonymous, server.url, code.lower().replace("-", "")).status_code == 201
    again = _enroll(anonymous, server.url, code)
    assert again.status_code == 403
    assert again.json()["code"] == "ENROLLMENT_REFUSED"


def test_unknown_and_expired_codes_are_refused(tmp_path, anonymous):
    now = [datetime(2026, 6, 1, tzinfo=UTC)]
    with Hub(tmp_path / "clocked.sqlite", FAST, clock=lambda: now[0]) as hub:
        with HubServer(hub) as server:
            code = hub.create_enrollment_code(valid_for=timedelta(hours=1))
            assert _enroll(anonymous, server.url, "AAAA-BBBB-CCCC-DDDD").status_code == 403
            now[0] += timedelta(hours=2)
            refused = _enroll(anonymous, server.url, code)
            assert refused.status_code == 403
            assert refused.json()["code"] == "ENROLLMENT_REFUSED"


def test_the_hub_keeps_only_a_hash_of_the_token(hub, client):
    data = hub.path.read_bytes() + hub.path.with_name("hub.sqlite-wal").read_bytes()
    assert client.token.encode() not in data
    with sqlite3.connect(hub.path) as conn:
        stored = conn.execute("SELECT token_hash FROM stations").fetchone()[0]
    conn.close()
    assert stored == hashlib.sha256(client.token.encode()).hexdigest()


def test_the_hub_file_and_its_journal_are_private(hub, client):
    files = [hub.path, hub.path.with_name("hub.sqlite-wal"), hub.path.with_name("hub.sqlite-shm")]
    assert [stat.S_IMODE(f.stat().st_mode) for f in files] == [0o600] * 3


@pytest.mark.parametrize("bad_body", [b"not json", b"[1, 2]", b'{"code": 5}', b'{"code": ""}'])
def test_malformed_enrollment_requests_get_400(server, anonymous, bad_body):
    answer = anonymous.post(f"{server.url}/station/v1/enroll", data=bad_body, timeout=10)
    assert answer.status_code == 400
    assert set(answer.json()) == PROBLEM_KEYS
    assert answer.json()["code"] == "BAD_REQUEST"


def _protected() -> list[tuple[str, str]]:
    concrete = {"{country}": "VN", "{hash}": "0" * 64}
    cases = []
    for route in ROUTES:
        if not route.public:
            path = route.template
            for name, value in concrete.items():
                path = path.replace(name, value)
            cases.append((route.method, path))
    return cases


@pytest.mark.parametrize(("method", "path"), _protected())
def test_every_protected_endpoint_needs_a_valid_token(hub, server, anonymous, method, path):
    url = server.url + path
    missing = anonymous.request(method, url, json=[], timeout=10)
    assert (missing.status_code, missing.json()["code"]) == (401, "NOT_ENROLLED")
    wrong = anonymous.request(method, url, json=[], headers={"Authorization": "Bearer x"})
    assert (wrong.status_code, wrong.json()["code"]) == (401, "NOT_ENROLLED")
    station = enroll(server.url, hub)
    try:
        allowed = station.session.request(method, url, json=[], timeout=10)
        assert allowed.status_code not in (401, 403)  # 404 for the made-up rule/value-set hash
        hub.revoke_station(station.station_id)
        revoked = station.session.request(method, url, json=[], timeout=10)
        assert (revoked.status_code, revoked.json()["code"]) == (403, "STATION_REVOKED")
    finally:
        station.close()


def test_public_endpoints_need_no_token_and_last_seen_is_recorded(hub, client, anonymous):
    health = anonymous.get(client.url + "/healthz", timeout=10)
    assert health.json()["ok"] is True
    assert datetime.fromisoformat(health.json()["time"]).tzinfo is not None
    assert anonymous.get(client.url + "/context", timeout=10).status_code == 200
    assert hub.stations()[0].last_seen is None
    client.get("/signercertificateStatus")
    assert hub.stations()[0].last_seen is not None


def test_revoking_unknown_or_revoked_stations_reports_false(hub, client: HubClient):
    assert hub.revoke_station("st-nope") is False
    assert hub.revoke_station(client.station_id) is True
    assert hub.revoke_station(client.station_id) is False
    assert hub.stations()[0].revoked


def test_unknown_path_and_wrong_method_are_json_problems(server, anonymous):
    missing = anonymous.get(server.url + "/nowhere", timeout=10)
    assert missing.status_code == 404 and missing.json()["code"] == "NOT_FOUND"
    wrong = anonymous.delete(server.url + "/healthz", timeout=10)
    assert wrong.status_code == 405 and wrong.json()["code"] == "METHOD_NOT_ALLOWED"
    assert wrong.headers["Allow"] == "GET"
    odd = anonymous.request("BREW", server.url + "/healthz", timeout=10)
    assert odd.status_code == 405 and set(odd.json()) == PROBLEM_KEYS


def test_bodies_are_capped_and_must_be_framed(server, anonymous):
    big = anonymous.post(server.url + "/station/v1/enroll", data=b"x" * (64 * 1024 + 1), timeout=10)
    assert big.status_code == 413 and big.json()["code"] == "BODY_TOO_LARGE"
    chunked = anonymous.post(
        server.url + "/station/v1/enroll", data=iter([b'{"code":', b'"x"}']), timeout=10
    )
    assert chunked.status_code == 411 and chunked.json()["code"] == "LENGTH_REQUIRED"


def test_a_garbage_request_line_gets_a_json_400(server):
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"HELLO THERE\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b'"code":"BAD_REQUEST"' in body


def test_a_failing_handler_answers_500_without_a_traceback(hub, client, monkeypatch):
    def broken() -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(hub, "trust_list_bundle", broken)
    answer = client.get("/station/v1/bundles/trust-list")
    assert answer.status_code == 500
    assert answer.json()["code"] == "INTERNAL_ERROR"
    assert "secret" not in answer.text and "Traceback" not in answer.text
    assert client.get("/healthz").status_code == 200
