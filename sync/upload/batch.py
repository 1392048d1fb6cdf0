"""The wire form of an upload: one signed body per batch, and the hub's per-entry answer.

The body is serialized exactly once; those bytes are signed and sent, and the same bytes are
sent again if the answer is lost, so the hub sees the same Idempotency-Key with the same body
and replays its stored answer instead of refusing a changed one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from station.entrylog.outbox import UploadRecord
from sync.errors import DataInvalid
from sync.upload.signing import sign_body

ENTRIES_PATH = "station/v1/entries"
PURGE_REPORTS_PATH = "station/v1/purge-reports"
SIGNATURE_HEADER = "X-Station-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
#: The hub takes at most this many entries per request.
MAX_BATCH = 500
#: Answers are small (a status per entry); anything bigger is not the hub's answer.
MAX_ANSWER_BYTES = 256 * 1024
STORED, DUPLICATE, REJECTED = "stored", "duplicate", "rejected"
ACKNOWLEDGED = frozenset({STORED, DUPLICATE})
_CODE = re.compile(r"[A-Z0-9_]{1,48}")
UNKNOWN_ERROR = "REJECTED"


def idempotency_key(body: bytes) -> str:
    """SHA-256 hex of the exact body. A retry of the same request replays the hub's stored
    answer; a batch rebuilt after a restart (same entries, a later `log.next_seq`) is a new
    request under a new key, and the hub deduplicates its entries by UUID. A key derived from
    the entries alone would come back with another body and be refused."""
    return hashlib.sha256(body).hexdigest()


def encode(document: Mapping[str, Any]) -> bytes:
    """Compact UTF-8 JSON: the one serialization of a body, before it is signed."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def signed_headers(key: ec.EllipticCurvePrivateKey, body: bytes, idem_key: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        IDEMPOTENCY_HEADER: idem_key,
        SIGNATURE_HEADER: sign_body(key, body),
    }


@dataclass(frozen=True, slots=True)
class Batch:
    """One request's worth of entries: their UUIDs and seqs, and the signed body."""

    uuids: tuple[str, ...]
    seqs: tuple[int, ...]
    body: bytes
    headers: Mapping[str, str]

    @property
    def key(self) -> str:
        return self.headers[IDEMPOTENCY_HEADER]


def build_batch(
    station_id: str,
    next_seq: int,
    records: Sequence[UploadRecord],
    key: ec.EllipticCurvePrivateKey,
) -> Batch:
    """Serialize, sign and key a batch of 1..MAX_BATCH records."""
    if not 1 <= len(records) <= MAX_BATCH:
        raise ValueError(f"a batch holds 1 to {MAX_BATCH} entries")
    uuids = tuple(record.uuid for record in records)
    document = {
        "station_id": station_id,
        "log": {"next_seq": max(next_seq, 1)},
        "entries": [record.to_wire() for record in records],
    }
    body = encode(document)
    headers = signed_headers(key, body, idempotency_key(body))
    return Batch(uuids, tuple(record.seq for record in records), body, headers)


@dataclass(frozen=True, slots=True)
class EntryStatus:
    """The hub's word on one entry; `error` is a code, set only for rejected entries."""

    uuid: str
    status: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class BatchAnswer:
    """Statuses of the batch's entries the hub answered for, and its highest seq held."""

    statuses: tuple[EntryStatus, ...]
    seq_floor: int


def parse_answer(document: Any, uuids: Sequence[str]) -> BatchAnswer:
    """Read a 200 answer; statuses for UUIDs not in the batch are ignored, never trusted."""
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        raise DataInvalid("the upload answer has no results")
    floor = document.get("seq_floor", 0)
    if not isinstance(floor, int) or isinstance(floor, bool) or floor < 0:
        raise DataInvalid("the upload answer's seq_floor is not a count")
    ours = set(uuids)
    statuses = []
    for item in document["results"]:
        status = _entry_status(item)
        if status is not None and status.uuid in ours:
            statuses.append(status)
    return BatchAnswer(tuple(statuses), floor)


def _entry_status(item: Any) -> EntryStatus | None:
    if not isinstance(item, dict):
        return None
    uuid, status = item.get("uuid"), item.get("status")
    if not isinstance(uuid, str) or status not in (STORED, DUPLICATE, REJECTED):
        return None
    return EntryStatus(uuid, status, error_code(item.get("error")) if status == REJECTED else None)


def error_code(value: Any) -> str:
    """The hub's error code if it looks like one; it is stored, so nothing free-form."""
    if isinstance(value, str) and _CODE.fullmatch(value):
        return value
    return UNKNOWN_ERROR
