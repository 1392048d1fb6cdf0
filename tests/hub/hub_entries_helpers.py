"""Helpers for the entry-upload and tracing tests: a station that signs, and sealed entries.

The station side is written out here from the wire contract (compact JSON, ES256 raw r||s over
the exact body, identity blocks sealed with the entry UUID as associated data), so the tests
check the hub against the contract rather than against the station's own code.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import uuid as uuids
from typing import Any

import requests
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from hub_helpers import HubClient

from station.entrylog.sealing import SealingKey, seal
from sync.bundle import public_key_pem
from sync.hub import Hub

ENTRIES = "/station/v1/entries"
PURGE_REPORTS = "/station/v1/purge-reports"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign_body(key: ec.EllipticCurvePrivateKey, body: bytes) -> str:
    """ES256 over `body`, raw r||s, base64url without padding (the X-Station-Signature)."""
    r, s = decode_dss_signature(key.sign(body, ec.ECDSA(hashes.SHA256())))
    return b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def idempotency_key(entries: list[dict[str, Any]]) -> str:
    return hashlib.sha256("\n".join(e["uuid"] for e in entries).encode("ascii")).hexdigest()


def sealed_identity(
    key: SealingKey, entry_uuid: str, name: str, date_of_birth: str, credential_id: str
) -> str:
    """The identity block exactly as a station seals it, base64url for the wire."""
    block = {"name": name, "date_of_birth": date_of_birth, "credential_id": credential_id}
    plain = json.dumps(block, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return b64url(seal(key, plain, entry_uuid.encode("ascii")))


class Station:
    """An enrolled station with a device key: numbers its entries and posts signed batches."""

    def __init__(self, client: HubClient, device_key: ec.EllipticCurvePrivateKey | None) -> None:
        self.client = client
        self.device_key = device_key
        self.next_seq = 1

    @property
    def station_id(self) -> str:
        return self.client.station_id

    def entry(
        self,
        *,
        sealing_key: SealingKey | None = None,
        person: tuple[str, str, str] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """A valid wire entry with the next number; `fields` override any value."""
        entry_uuid = fields.pop("uuid", None) or str(uuids.uuid4())
        sealed = None
        if sealing_key is not None and person is not None:
            sealed = sealed_identity(sealing_key, entry_uuid, *person)
        entry = {
            "uuid": entry_uuid,
            "seq": self.next_seq,
            "checkpoint_id": "gate-A",
            "direction": "in",
            "minute": "2026-06-01T12:00Z",
            "clock_trusted": True,
            "verdict": "VALID",
            "reason": "OK",
            "format": "dcc",
            "data_version": "revocations:3,rules:2,trust-list:12",
            "sealed": sealed,
        }
        entry.update(fields)
        seq = entry["seq"]
        if type(seq) is int and 1 <= seq < 2**62:  # out-of-range numbers are sent on purpose
            self.next_seq = max(self.next_seq, seq + 1)
        return entry

    def batch_body(self, entries: list[Any], next_seq: int | None = None, **extra: Any) -> bytes:
        document = {
            "station_id": self.station_id,
            "log": {"next_seq": self.next_seq if next_seq is None else next_seq},
            "entries": entries,
            **extra,
        }
        return json.dumps(document, separators=(",", ":")).encode("utf-8")

    def post_body(
        self,
        path: str,
        body: bytes,
        *,
        key: str | None = None,
        signature: str | None = None,
        signer: ec.EllipticCurvePrivateKey | None = None,
    ) -> requests.Response:
        """POST exact bytes, signed by the device key (or `signer`, or `signature` as given)."""
        headers = {"Content-Type": "application/json"}
        chosen = signer or self.device_key
        if signature is None and chosen is not None:
            signature = sign_body(chosen, body)
        if signature is not None:
            headers["X-Station-Signature"] = signature
        if key is not None:
            headers["Idempotency-Key"] = key
        return self.client.post(path, data=body, headers=headers)

    def upload(
        self, entries: list[Any], next_seq: int | None = None, key: str | None = None
    ) -> requests.Response:
        """One batch as the uploader sends it (key from the UUIDs unless given)."""
        body = self.batch_body(entries, next_seq)
        if key is None:
            try:
                key = idempotency_key(entries)
            except (TypeError, KeyError):  # records malformed on purpose
                key = hashlib.sha256(body).hexdigest()
        return self.post_body(ENTRIES, body, key=key)

    def purge_report(self, **fields: Any) -> requests.Response:
        report = {
            "id": str(uuids.uuid4()),
            "at": "2026-06-20T03:00:00Z",
            "purged_unsent": 0,
            "purged_uploaded": 0,
            "purged_quarantined": 0,
            "seq_ranges": [],
        }
        report.update(fields)
        return self.post_body(PURGE_REPORTS, json.dumps(report).encode("utf-8"))

    def close(self) -> None:
        self.client.close()


def enroll_station(url: str, hub: Hub, name: str = "gate-1", *, device_key: bool = True) -> Station:
    """Enroll over HTTP, giving a fresh P-256 device key (or none)."""
    key = ec.generate_private_key(ec.SECP256R1()) if device_key else None
    request: dict[str, Any] = {"code": hub.create_enrollment_code(name)}
    if key is not None:
        request["device_key"] = public_key_pem(key.public_key())
    with requests.Session() as session:
        session.trust_env = False
        answer = session.post(f"{url}/station/v1/enroll", json=request, timeout=10)
    assert answer.status_code == 201, answer.text
    return Station(HubClient(url, answer.json()), key)


def statuses(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [result["status"] for result in response.json()["results"]]


def held_uuids(hub: Hub) -> list[str]:
    with hub.read() as conn:
        return [str(row[0]) for row in conn.execute("SELECT uuid FROM entries ORDER BY seq")]


def declared_length_answer(url: str, path: str, token: str, length: int) -> tuple[int, Any]:
    """POST announcing a `length`-byte body but sending none: (status, JSON answer).

    The hub must refuse on the declared length alone, so no megabyte is ever sent (a client
    still writing it when the hub closes would see a reset instead of the answer).
    """
    host, port = url.removeprefix("http://").split(":")
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    )
    chunks = []
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(head.encode("ascii"))
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    status_line, _, rest = b"".join(chunks).partition(b"\r\n")
    return int(status_line.split()[1]), json.loads(rest.partition(b"\r\n\r\n")[2])
