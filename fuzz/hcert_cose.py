"""Harness 2: the COSE and CBOR layers of an HC1 pass, behind a valid zlib + Base45 wrapper.

The first byte chooses what the rest is:

- even: a COSE_Sign1 structure, wrapped as `HC1:` + Base45(zlib(...)), so every input reaches
  the CBOR decoder, the COSE parser and the CWT/hcert claims reader (and for the vectors' and
  demo passes, the signature check against the synced signers);
- odd: a CWT claims map, which the harness signs (ES256, a document signer the station trusts)
  into a COSE_Sign1 first, so inputs also get past the signature to the validity period, key
  usage, schema, revocation and rule checks (EU DCC and WHO DDCC alike).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import timedelta

from fuzz import vectors
from fuzz.station_setup import check_result, fuzz_station
from station.codec.base45 import decode_base45, encode_base45
from station.codec.inflate import inflate_zlib
from station.errors import Reject
from station.issuer.dcc import DccOptions, build_cose, build_cwt, vaccination_payload
from station.issuer.ddcc import core_data_set, ddcc_cwt
from station.verify.dcc_decode import parse_cose_sign1

COSE, CLAIMS = 0, 1


def TestOneInput(data: bytes) -> None:  # noqa: N802 (the libFuzzer entry point's name)
    if not data:
        return
    station = fuzz_station()
    body = data[1:]
    if data[0] % 2 == CLAIMS:
        body = build_cose(station.dcc_signer, {}, station.now, station.now, DccOptions(), body)
    text = "HC1:" + encode_base45(zlib.compress(body))
    check_result(station.verifier.verify(text))


def seeds() -> Iterator[bytes]:
    station = fuzz_station()
    coses = list(vectors.dgc_cose()) + [_cose_of(c.text) for c in station.world.credentials]
    for cose in filter(None, coses):
        yield bytes([COSE]) + cose
        claims = _payload_of(cose)
        if claims:
            yield bytes([CLAIMS]) + claims
    for cwt in vectors.dgc_cwt():
        yield bytes([CLAIMS]) + cwt
    issued, expires = station.now - timedelta(days=30), station.now + timedelta(days=200)
    yield bytes([CLAIMS]) + build_cwt(vaccination_payload(), issued, expires, "VN")
    for subclaim in (1, 2, 3):
        yield bytes([CLAIMS]) + ddcc_cwt(core_data_set(), issued, expires, subclaim=subclaim)


def _cose_of(text: str) -> bytes | None:
    """The COSE bytes inside an HC1 text (None for other families and damaged passes)."""
    if not text.startswith("HC1:"):
        return None
    try:
        return inflate_zlib(decode_base45(text[4:]))
    except Reject:
        return None


def _payload_of(cose: bytes) -> bytes | None:
    try:
        return parse_cose_sign1(cose).payload
    except Reject:
        return None
