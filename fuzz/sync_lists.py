"""Harness 5a: the trust data a station syncs, as the sync client receives it from its hub.

The first byte picks the source (mod 8); the rest holds the hub's answers, separated by
`replay.ANSWER_BREAK`, which the replayed hub signs as the reference hub does:

0. a raw bundle token (not re-signed): the JWS reader and the pinned-key check;
1. trust list: the signed kid list, then `signercertificateUpdate` certificate answers;
2. revocations, 3. national status list: signed, paged delta bundles;
4. issuer keys of the other families (JWKs, SHC CRLs);
5. the EU revocation distribution lists: lists, partitions, then a gzip tar of slices;
6. one DRL slice, checked as the cache checks it (Bloom filter or hash list, then a lookup);
7. a trust file an operator imports (PEM, DER, base64 or JSON), then each certificate parsed.

Each must refuse with its own error type only: `SyncError` for the sync steps, `ValueError` for
a DRL slice (what the DRL sync turns into `DataInvalid`), `TrustImportError` for trust files.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import timedelta

from fuzz.replay import ANSWER_BREAK, ReplayHub, answers, sync_bench
from fuzz.station_setup import fuzz_station
from station.cache.drl_filters import (
    FilterType,
    build_bloom,
    build_varhash,
    check_slice,
    slice_contains,
)
from station.cache.status_key import KdfParams
from station.errors import TrustImportError
from station.trust.certificate import compute_kid, load_trusted_certificate
from station.trust.sources import certificates_from_bytes
from sync.drl import sync_drl
from sync.errors import SyncError
from sync.issuer_keys import sync_issuer_keys
from sync.revocations import sync_revocations
from sync.status_list import sync_status_list
from sync.trust_list import sync_trust_list

BUNDLE, TRUST_LIST, REVOCATIONS, STATUS_LIST, ISSUER_KEYS, DRL, DRL_SLICE, TRUST_FILE = range(8)
SYNCS: dict[int, Callable[..., object]] = {
    TRUST_LIST: sync_trust_list,
    REVOCATIONS: sync_revocations,
    STATUS_LIST: sync_status_list,
    ISSUER_KEYS: sync_issuer_keys,
    DRL: sync_drl,
}


def TestOneInput(data: bytes) -> None:  # noqa: N802 (the libFuzzer entry point's name)
    if not data:
        return
    target, body = data[0] % 8, data[1:]
    if target == DRL_SLICE:
        _drl_slice(body)
    elif target == TRUST_FILE:
        _trust_file(body)
    else:
        _sync(target, body)


def _sync(target: int, body: bytes) -> None:
    bench = sync_bench()
    if target == BUNDLE:
        hub = ReplayHub(bench.key, [body], as_bundles=False)
        step: Callable[..., object] = sync_trust_list
    else:
        hub = ReplayHub(bench.key, answers(body), as_bundles=target != DRL)
        step = SYNCS[target]
    try:
        with bench.rolled_back():
            step(bench.context(hub))
    except SyncError:
        pass


def _drl_slice(body: bytes) -> None:
    kind = FilterType.BLOOMFILTER if body[:1] == b"b" else FilterType.VARHASHLIST
    try:
        check_slice(kind, body[1:])
    except ValueError:
        return
    slice_contains(kind, body[1:], hashlib.sha256(body).digest()[:16])


def _trust_file(body: bytes) -> None:
    try:
        for der in certificates_from_bytes(body):
            load_trusted_certificate(der)
    except TrustImportError:
        pass


def seeds() -> Iterator[bytes]:
    """Well-formed answers of every source (from the demo world's data), then its slices."""
    station = fuzz_station()
    now = station.now
    dates = {
        "issued_at": (now - timedelta(hours=1)).isoformat(),
        "expires_at": (now + timedelta(days=2)).isoformat(),
    }
    ders = station.world.dsc_ders

    def page(source: str, **extra: object) -> bytes:
        payload = {"source": source, "version": 3, **dates, **extra}
        return json.dumps(payload).encode()

    kids = [base64.b64encode(compute_kid(der)).decode() for der in ders]
    yield bytes([BUNDLE]) + page("trust-list", kids=kids)
    certificates = [base64.b64encode(der) for der in ders]
    listing = page("trust-list", kids=kids)
    yield bytes([TRUST_LIST]) + ANSWER_BREAK.join([listing, *certificates])
    paging = {"snapshot": True, "page": 0, "pages": 1, "since": 0}
    group = {"kid": kids[0], "hash_type": "SIGNATURE", "expires": None, "hashes": _b64(32)}
    yield bytes([REVOCATIONS]) + page("revocations", added=[group], removed=[], **paging)
    kdf = KdfParams(salt=bytes(16)).to_json()
    entry = {"key": _b64(32), "flags": 1, "valid_until": dates["expires_at"]}
    yield bytes([STATUS_LIST]) + page("status-list", kdf=kdf, added=[entry], removed=[], **paging)
    issuers = [
        {"family": r.family, "issuer": r.issuer, "keys": list(r.keys), "crls": list(r.crls)}
        for r in station.world.issuers
    ]
    yield bytes([ISSUER_KEYS]) + page("issuer-keys", issuers=issuers)
    yield bytes([DRL]) + _drl_answers(kids[0])
    digests = [hashlib.sha256(bytes([i])).digest()[:16] for i in range(20)]
    yield bytes([DRL_SLICE]) + b"b" + build_bloom(digests, 0.01)
    yield bytes([DRL_SLICE]) + b"h" + build_varhash(digests, 0.01, 0)
    pem = b"".join(_pem(der) for der in ders[:2])
    yield bytes([TRUST_FILE]) + pem
    yield bytes([TRUST_FILE]) + ders[0]
    wrapped = {"certificates": [{"rawData": certificates[0].decode()}]}
    yield bytes([TRUST_FILE]) + json.dumps(wrapped).encode()


def _b64(size: int) -> str:
    return base64.b64encode(bytes(range(size))).decode()


def _pem(der: bytes) -> bytes:
    body = base64.encodebytes(der)
    return b"-----BEGIN CERTIFICATE-----\n" + body + b"-----END CERTIFICATE-----\n"


def _drl_answers(kid: str) -> bytes:
    lists = [
        {
            "kid": kid,
            "mode": "POINT",
            "hashTypes": ["UCI", "SIGNATURE"],
            "expires": None,
            "lastUpdated": "2026-01-01T00:00:00Z",
        }
    ]
    partitions: list[dict[str, object]] = [{"id": None, "x": None, "y": None, "chunks": {"0": {}}}]
    return ANSWER_BREAK.join([json.dumps(lists).encode(), json.dumps(partitions).encode()])
