"""Helpers of the DDCC tests: take an issued `HC1:` pass apart and put it back together."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

from station.codec.base45 import decode_base45
from station.codec.cbor import Tagged, decode_cbor
from station.codec.cbor_encode import encode_cbor
from station.issuer.dcc import encode_hc1
from station.verify import dcc_decode
from station.verify.ddcc import revocation_hashes
from station.verify.ddcc_payload import read_core_data_set
from station.verify.revocation import HashType


def cose_parts(text: str) -> list[Any]:
    """[protected, unprotected, payload, signature] of a tag-18 COSE_Sign1 pass."""
    item = decode_cbor(zlib.decompress(decode_base45(text.removeprefix("HC1:"))))
    assert isinstance(item, Tagged) and item.tag == 18
    return list(item.value)


def with_payload(text: str, payload: bytes) -> str:
    """The same pass with another CWT payload and the original (now wrong) signature."""
    protected, unprotected, _, signature = cose_parts(text)
    return encode_hc1(encode_cbor(Tagged(18, [protected, unprotected, payload, signature])))


def edit_claims(text: str, edit: Callable[[dict[Any, Any]], None]) -> str:
    """Change the decoded CWT claims in place, re-encode, keep the old signature."""
    claims = decode_cbor(cose_parts(text)[2])
    edit(claims)
    return with_payload(text, encode_cbor(claims))


def pass_hashes(text: str) -> tuple[bytes, dict[HashType, bytes]]:
    """The kid and the revocation hashes the station computes for a DDCC under sub-claim 1."""
    raw = dcc_decode.decode_transport(dcc_decode.strip_prefix(text))
    cose = dcc_decode.parse_cose_sign1(dcc_decode.decompress(raw, 1 << 16))
    claims = dcc_decode.parse_cwt(cose.payload)
    record = read_core_data_set(claims.certificate)
    assert isinstance(cose.kid, bytes)
    return cose.kid, revocation_hashes(cose, record)
