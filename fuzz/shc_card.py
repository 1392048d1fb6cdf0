"""Harness 3: SMART Health Cards, the compact JWS and its raw DEFLATE payload, behind a valid
`shc:/` numeric wrapper.

The first byte chooses what the rest is (mod 3):

- 0: the compact JWS text (Latin-1), encoded as `shc:/` digits: the JWS splitter, base64url and
  header checks and the signature check against the synced issuer keys;
- 1: the raw DEFLATE payload, which the harness signs (ES256, an issuer the station trusts)
  into a JWS with `zip: DEF`, so the capped inflater runs on it;
- 2: the card's claims JSON, which the harness deflates and signs: the claims reader, the FHIR
  bundle reader, the validity and revocation checks.

The signature is checked before anything is inflated, so without the signing modes no fuzzed
payload would ever reach the inflater.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

from fuzz import vectors
from fuzz.station_setup import check_result, fuzz_station
from station.issuer import shc
from station.issuer.shc import ShcOptions, deflate_raw, numeric_text, sign_jws
from station.verify.shc_decode import decode_numeric

JWS, DEFLATED, CLAIMS = 0, 1, 2


def TestOneInput(data: bytes) -> None:  # noqa: N802 (the libFuzzer entry point's name)
    if not data:
        return
    station = fuzz_station()
    mode, body = data[0] % 3, data[1:]
    if mode == JWS:
        jws = body.decode("latin-1")
    else:
        payload = body if mode == DEFLATED else deflate_raw(body)
        jws = sign_jws(station.shc_issuer, payload, ShcOptions())
    check_result(station.verifier.verify(_numeric(jws)))


def _numeric(jws: str) -> str:
    """`shc:/` digits; characters outside the JWS range are written as an invalid pair, as a
    damaged card would read."""
    return numeric_text("".join(c if "-" <= c <= "z" else "{" for c in jws))


def seeds() -> Iterator[bytes]:
    station = fuzz_station()
    jws_texts = list(vectors.shc_jws())
    for text in vectors.shc_numeric_texts():
        if text.count("/") == 1:  # a whole card, not a part of a chunked one
            jws_texts.append(decode_numeric(text[len("shc:/") :]))
    for credential in station.world.credentials:
        if credential.family == "shc" and credential.text.count("/") == 1:
            jws_texts.append(decode_numeric(credential.text[len("shc:/") :]))
    for jws in jws_texts:
        yield bytes([JWS]) + jws.encode("ascii")
    issued, expires = station.now - timedelta(days=30), station.now + timedelta(days=200)
    for bundle in (shc.vaccination_bundle(), shc.lab_bundle()):
        claims = shc.card_payload(station.shc_issuer.iss, bundle, nbf=issued, exp=expires)
        minified = json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode()
        yield bytes([DEFLATED]) + deflate_raw(minified)
        yield bytes([CLAIMS]) + minified
    for payload in vectors.shc_payloads():
        yield bytes([CLAIMS]) + payload
