"""Entry-log uploads: signed by the station's device key, checked against a strict allow-list.

Only the fields of the wire schema may arrive, anywhere in the document: an unknown property in
an entry rejects that entry (the rest of the batch is still stored, so one bad record cannot
block a station's queue), and one at batch level refuses the whole request. Nothing is stored
before the station's device-key signature over the exact body bytes checks out, so entries
injected by someone holding a copied bearer token are refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from station.entrylog import sealing
from station.reasons import Status
from sync.bundle import load_public_key
from sync.errors import DataInvalid
from sync.hub.authority import PurgeReport
from sync.hub.enrollment import Station
from sync.hub.entries import EntryBatch, Idempotency, Rejected, WireEntry
from sync.hub.messages import Request, Response, bundle_response, json_response
from sync.hub.problems import (
    BAD_REQUEST,
    DEVICE_KEY_MISSING,
    NOT_ENROLLED,
    SIGNATURE_INVALID,
    HubProblem,
)
from sync.hub.store import parse_instant, utc_iso
from sync.upload.signing import verify_body

#: The entries route reads bodies up to this size (the hub's other routes stop at 64 KiB).
MAX_BATCH_BYTES = 1024 * 1024
MAX_ENTRIES = 500
MAX_PURGED_RANGES = 2000
SIGNATURE_HEADER = "X-Station-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
ENTRY_INVALID = "ENTRY_INVALID"
SEALED_INVALID = "SEALED_INVALID"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_MINUTE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z")
_REASON = re.compile(r"[A-Z0-9_]{1,48}")
_FORMAT = re.compile(r"[a-z0-9_-]{1,32}")
_B64URL = re.compile(r"[A-Za-z0-9_-]+")
MAX_SEALED_CHARS = 2048
_KEY = re.compile(r"[A-Za-z0-9_-]{16,128}")
_VERDICTS = frozenset(status.value for status in Status)
_MAX_SEQ = 2**63 - 1


def upload(request: Request) -> Response:
    """`POST /station/v1/entries`: store a batch, answer per record and with the seq floor."""
    station = _station(request)
    batch = parse_batch(request.body, station.id)
    _check_signature(request, station)
    key = request.header(IDEMPOTENCY_HEADER) or ""
    if not _KEY.fullmatch(key):
        raise HubProblem(400, BAD_REQUEST, f"send an {IDEMPOTENCY_HEADER} of 16-128 characters")
    idempotency = Idempotency(key, hashlib.sha256(request.body).hexdigest())
    answer = request.hub.ingest_entries(station.id, batch, idempotency)
    return Response(200, answer)


def purge_report(request: Request) -> Response:
    """`POST /station/v1/purge-reports`: what a station's retention purge deleted (counts)."""
    station = _station(request)
    report = parse_purge_report(request.body)
    _check_signature(request, station)
    stored = request.hub.store_purge_report(station.id, report)
    return json_response({"status": "stored" if stored else "duplicate"})


def sealing_key(request: Request) -> Response:
    """`GET /station/v1/bundles/sealing-key`: the authority's public key, signed by the hub."""
    return bundle_response(request.hub.sealing_key_bundle())


def parse_batch(body: bytes, station_id: str) -> EntryBatch:
    """The batch, each record parsed on its own; 400 for anything wrong at batch level."""
    document = _strict_json(body)
    if not isinstance(document, dict) or set(document) != {"station_id", "log", "entries"}:
        raise _bad("the body must hold exactly station_id, log and entries")
    if document["station_id"] != station_id:
        raise _bad("station_id is not the id of the station this token belongs to")
    log = document["log"]
    if not isinstance(log, dict) or set(log) != {"next_seq"} or not _seq(log["next_seq"]):
        raise _bad("log must hold exactly next_seq, a positive integer")
    entries = document["entries"]
    if not isinstance(entries, list) or not 1 <= len(entries) <= MAX_ENTRIES:
        raise _bad(f"entries must be a list of 1 to {MAX_ENTRIES} records")
    return EntryBatch(int(log["next_seq"]), tuple(parse_entry(value) for value in entries))


def parse_entry(value: Any) -> WireEntry | Rejected:
    """One record, or why it is refused (`ENTRY_INVALID`, `SEALED_INVALID`)."""
    if not isinstance(value, dict):
        return Rejected("", ENTRY_INVALID)
    uuid = value.get("uuid")
    echo = uuid if isinstance(uuid, str) and _UUID.fullmatch(uuid) else ""
    if value.keys() != _ENTRY_CHECKS.keys():
        return Rejected(echo, ENTRY_INVALID)
    if not all(check(value[name]) for name, check in _ENTRY_CHECKS.items()):
        return Rejected(echo, ENTRY_INVALID)
    sealed = None if value["sealed"] is None else _sealed_block(value["sealed"])
    if sealed == b"":
        return Rejected(echo, SEALED_INVALID)
    fields = {name: value[name] for name in _ENTRY_CHECKS if name != "sealed"}
    return WireEntry(**fields, sealed=sealed)


def parse_purge_report(body: bytes) -> PurgeReport:
    document = _strict_json(body)
    if not isinstance(document, dict) or document.keys() != _PURGE_FIELDS:
        raise _bad("a purge report holds exactly: " + ", ".join(sorted(_PURGE_FIELDS)))
    unsent, uploaded, quarantined = (
        document[name] for name in ("purged_unsent", "purged_uploaded", "purged_quarantined")
    )
    if not isinstance(document["id"], str) or not _UUID.fullmatch(document["id"]):
        raise _bad("the purge report id must be a lowercase UUID")
    if not all(_count(value) for value in (unsent, uploaded, quarantined)):
        raise _bad("purge counts must be non-negative integers")
    at = _instant(document["at"])
    return PurgeReport(document["id"], at, unsent, uploaded, quarantined, _ranges(document))


def _station(request: Request) -> Station:
    if request.station is None:  # the route table makes every route here need a token
        raise HubProblem(401, NOT_ENROLLED, "the request is not from an enrolled station")
    return request.station


def _check_signature(request: Request, station: Station) -> None:
    """401 unless the station's device key signed the exact body bytes (403 if it has none)."""
    if station.device_key is None:
        raise HubProblem(
            403, DEVICE_KEY_MISSING, "the station enrolled without a device key; enroll again"
        )
    signature = request.header(SIGNATURE_HEADER) or ""
    if not verify_body(_device_key(station.device_key), request.body, signature):
        raise HubProblem(
            401,
            SIGNATURE_INVALID,
            f"{SIGNATURE_HEADER} must be the device key's ES256 signature (r||s, base64url) "
            "over the exact body",
        )


@lru_cache(maxsize=256)
def _device_key(pem: str) -> ec.EllipticCurvePublicKey:
    try:
        return load_public_key(pem.encode("ascii"))
    except (DataInvalid, UnicodeEncodeError):
        raise HubProblem(403, DEVICE_KEY_MISSING, "the station's device key is unusable") from None


def _sealed_block(text: str) -> bytes:
    """The decoded block if it has the shape of a v1 sealed block, else b""."""
    block = _unb64url(text)
    body = len(block) - sealing.HEADER_BYTES - sealing.TAG_BYTES
    if body <= 0 or body % sealing.PAD_TO or block[0] != sealing.VERSION:
        return b""
    return block


def _unb64url(text: str) -> bytes:
    if len(text) % 4 == 1:
        return b""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _strict_json(body: bytes) -> Any:
    """JSON that refuses duplicate keys and NaN/Infinity (400 otherwise)."""
    try:
        return json.loads(
            body.decode("utf-8"), object_pairs_hook=_unique_keys, parse_constant=_no_constant
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _bad("the body is not strict JSON") from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) != len(pairs):
        raise ValueError("duplicate key")
    return document


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _bad(problem: str) -> HubProblem:
    return HubProblem(400, BAD_REQUEST, problem)


def _seq(value: Any) -> bool:
    return type(value) is int and 1 <= value <= _MAX_SEQ


def _count(value: Any) -> bool:
    return type(value) is int and 0 <= value <= _MAX_SEQ


def _text(low: int, high: int) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, str) and low <= len(v) <= high and v.isprintable()


def _pattern(regex: re.Pattern[str]) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, str) and regex.fullmatch(v) is not None


def _minute(value: Any) -> bool:
    if not isinstance(value, str) or not _MINUTE.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value[:-1])
    except ValueError:
        return False
    return True


def _instant(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 40:
        raise _bad("'at' must be an ISO 8601 date-time")
    try:
        return utc_iso(parse_instant(value))
    except ValueError:
        raise _bad("'at' must be an ISO 8601 date-time") from None


def _ranges(document: dict[str, Any]) -> tuple[tuple[int, int], ...]:
    """`seq_ranges`: [[first, last], ...] with 1 <= first <= last."""
    value = document["seq_ranges"]
    if not isinstance(value, list) or len(value) > MAX_PURGED_RANGES:
        raise _bad(f"seq_ranges must be a list of at most {MAX_PURGED_RANGES} pairs")
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2 and all(_seq(n) for n in pair)):
            raise _bad("each of seq_ranges must be [first, last], positive integers")
        if pair[0] > pair[1]:
            raise _bad("a seq range must not end before it starts")
    return tuple((int(pair[0]), int(pair[1])) for pair in value)


_is_b64url = _pattern(_B64URL)
_ENTRY_CHECKS: dict[str, Callable[[Any], bool]] = {
    "uuid": _pattern(_UUID),
    "seq": _seq,
    "checkpoint_id": _text(1, 64),
    "direction": lambda v: v == "in" or v == "out",
    "minute": _minute,
    "clock_trusted": lambda v: isinstance(v, bool),
    "verdict": lambda v: isinstance(v, str) and v in _VERDICTS,
    "reason": _pattern(_REASON),
    "format": _pattern(_FORMAT),
    "data_version": _text(0, 256),
    "sealed": lambda v: v is None or (_is_b64url(v) and len(v) <= MAX_SEALED_CHARS),
}
_PURGE_FIELDS = frozenset(
    ("id", "at", "purged_unsent", "purged_uploaded", "purged_quarantined", "seq_ranges")
)
