"""Harness 4: NZ COVID Passes, Base32 and COSE behind a valid `NZCP:/1/` prefix.

The first byte chooses what the rest is:

- even: the COSE_Sign1 bytes, Base32-encoded after `NZCP:/1/`: the strict Base32 reader, the
  tag-18 COSE parser, the claims reader, and the issuer and signature checks;
- odd: a CWT claims map, which the harness signs (ES256, an issuer DID the station accepts and
  holds keys for), so inputs also reach the validity, credential-id and `vc` payload checks.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from datetime import timedelta

from fuzz import vectors
from fuzz.station_setup import check_result, fuzz_station
from station.codec.cbor_encode import encode_cbor
from station.errors import Reject
from station.issuer import nzcp
from station.issuer.nzcp import build_claims, encode_nzcp, public_covid_pass, sign_nzcp
from station.verify.dcc_decode import parse_cose_sign1

COSE, CLAIMS = 0, 1


def TestOneInput(data: bytes) -> None:  # noqa: N802 (the libFuzzer entry point's name)
    if not data:
        return
    station = fuzz_station()
    body = data[1:]
    if data[0] % 2 == CLAIMS:
        body = sign_nzcp(station.nzcp_issuer, body)
    check_result(station.verifier.verify(encode_nzcp(body)))


def seeds() -> Iterator[bytes]:
    station = fuzz_station()
    texts = list(vectors.nzcp_texts())
    texts += [c.text for c in station.world.credentials if c.family == "nzcp"]
    for text in texts:
        cose = _cose_of(text)
        if cose is None:
            continue
        yield bytes([COSE]) + cose
        try:
            yield bytes([CLAIMS]) + parse_cose_sign1(cose).payload
        except Reject:
            continue
    issued, expires = station.now - timedelta(days=30), station.now + timedelta(days=200)
    issuer = station.nzcp_issuer
    claims = build_claims(issuer.did, public_covid_pass(), issued, expires)
    yield bytes([CLAIMS]) + encode_cbor(claims)
    yield bytes([COSE]) + sign_nzcp(issuer, encode_cbor(claims), nzcp.NzcpOptions(kid_in="text"))


def _cose_of(text: str) -> bytes | None:
    prefix = "NZCP:/1/"
    if not text.startswith(prefix):
        return None
    body = text[len(prefix) :]
    try:
        return base64.b32decode(body + "=" * (-len(body) % 8))
    except (binascii.Error, ValueError):
        return None
