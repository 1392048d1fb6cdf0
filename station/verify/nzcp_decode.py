"""Decoding stages of an NZ COVID Pass: prefix → Base32 → COSE_Sign1 (tag 18) → CWT claims.

Each stage returns its output or raises `Reject`; decoding stops at the first failure because
nothing after it can be read.  The COSE structure is read by the same strict parser as the EU DCC
(`dcc_decode.parse_cose_sign1`, over the bounded CBOR decoder), after checking the one thing the
NZCP spec demands that the DCC does not: the tagged form, tag 18, and nothing else around it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from station.codec.cbor import decode_cbor
from station.errors import Reject
from station.reasons import Reason
from station.verify import dcc_decode
from station.verify.dcc_decode import CoseSign1

PREFIX = "NZCP:/"
SUPPORTED_VERSION = "1"
#: A tagged COSE_Sign1 starts with the one-byte head of tag 18 (major type 6, value 18).
_TAG_18_HEAD = 0xD2
_BASE32_BODY = re.compile(r"[A-Z2-7]*")
#: Unpadded Base32 lengths that RFC 4648 can produce (a group of 8 minus its padding).
_VALID_REMAINDERS = frozenset({0, 2, 4, 5, 7})
_VERSION_DIGITS = re.compile(r"[0-9]{1,9}")
#: RFC 4648 Base32 alphabet → the base32hex digits Python's `int(text, 32)` reads.
_TO_BASE32HEX = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHIJKLMNOPQRSTUV"
)


def strip_prefix(text: str, max_chars: int) -> str:
    """Stage `prefix`: `NZCP:/<major version>/`, only version 1; returns the Base32 body."""
    if not text:
        raise Reject(Reason.INPUT_EMPTY)
    if len(text) > max_chars:
        raise Reject(Reason.INPUT_TOO_LONG, f"{len(text)} characters")
    if not text.startswith(PREFIX):
        raise Reject(Reason.NOT_A_HEALTH_CREDENTIAL, "missing the NZCP:/ prefix")
    version, slash, body = text[len(PREFIX) :].partition("/")
    if not slash or not _VERSION_DIGITS.fullmatch(version):
        raise Reject(Reason.PREFIX_UNSUPPORTED, "the version identifier is not a number")
    if version != SUPPORTED_VERSION:
        raise Reject(Reason.PREFIX_UNSUPPORTED, f"NZCP version {version} is not supported")
    return body


def decode_base32(body: str) -> bytes:
    """Stage `base32`: RFC 4648 Base32 without padding, in its one canonical spelling.

    Padding, lower case and characters outside the alphabet are refused, and so are lengths no
    encoder produces and unused trailing bits that are not zero: every pass then has exactly one
    text, so a station cannot be shown two spellings of the same signed bytes.

    Decoding goes through one big integer (`int(..., 32)` reads the base32hex digits the
    alphabet is translated to, in linear time for a power-of-two base): over ten times faster
    than `base64.b32decode`, which is written in Python.
    """
    if not body:
        raise Reject(Reason.BASE32_INVALID, "no Base32 data after the prefix")
    if "=" in body:
        raise Reject(Reason.BASE32_INVALID, "Base32 padding is not allowed")
    if not _BASE32_BODY.fullmatch(body):
        raise Reject(Reason.BASE32_INVALID, "a character outside the Base32 alphabet")
    if len(body) % 8 not in _VALID_REMAINDERS:
        raise Reject(Reason.BASE32_INVALID, f"{len(body)} characters is not a Base32 length")
    bits = 5 * len(body)
    unused = bits % 8
    value = int(body.translate(_TO_BASE32HEX), 32)
    if value & ((1 << unused) - 1):
        raise Reject(Reason.BASE32_INVALID, "unused trailing bits are not zero")
    return (value >> unused).to_bytes(bits // 8, "big")


def parse_cose(data: bytes) -> CoseSign1:
    """Stage `cose`: exactly a COSE_Sign1 under tag 18 (untagged or CWT-wrapped is refused)."""
    if not data or data[0] != _TAG_18_HEAD:
        raise Reject(Reason.COSE_MALFORMED, "not a COSE_Sign1 tagged 18")
    return dcc_decode.parse_cose_sign1(data)


def parse_claims(cose: CoseSign1) -> Mapping[Any, Any]:
    """Stage `cbor`: the CWT payload is one CBOR map.

    Which claims it holds and in what form is judged by the validation checks, each on its
    own, so a guard sees every problem of a pass rather than the first one.
    """
    try:
        claims = decode_cbor(cose.payload)
    except Reject as exc:
        reason = exc.reason
        if reason not in (Reason.CBOR_DUPLICATE_KEY, Reason.TRAILING_DATA):
            reason = Reason.CWT_MALFORMED
        raise Reject(reason, exc.detail) from None
    if not isinstance(claims, dict):
        raise Reject(Reason.CWT_MALFORMED, "claims are not a map")
    return claims
