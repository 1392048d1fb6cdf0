"""Enrollment pins exactly the key the operator vouched for, nothing the answer adds."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from sync.bundle import key_fingerprint, key_id, public_key_pem
from sync.enrollment import enroll
from sync.errors import SignatureRejected

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _hub_answering(scripted_server, keys):
    body = json.dumps(
        {"station_id": "st-1", "token": "t" * 43, "hub_keys": [public_key_pem(k) for k in keys]}
    ).encode()

    def answer(handler):
        handler.rfile.read(int(handler.headers["Content-Length"]))
        handler.send_response(201)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return scripted_server(answer)


def test_a_key_smuggled_beside_the_pinned_one_is_not_pinned(scripted_server):
    genuine = ec.generate_private_key(ec.SECP256R1()).public_key()
    smuggled = ec.generate_private_key(ec.SECP256R1()).public_key()
    server = _hub_answering(scripted_server, [smuggled, genuine])
    enrollment = enroll(server.url, "CODE", key_fingerprint(genuine), now=NOW)
    assert set(enrollment.pinned_keys()) == {key_id(genuine)}


def test_an_answer_without_the_pinned_key_is_refused(scripted_server):
    stranger = ec.generate_private_key(ec.SECP256R1()).public_key()
    server = _hub_answering(scripted_server, [stranger])
    with pytest.raises(SignatureRejected):
        enroll(server.url, "CODE", "ab" * 32, now=NOW)
