"""SMART Health Card transport decoding: numeric digits to a compact JWS, and the JWS parts.

A card travels in a QR code as `shc:/` followed by digits, two per JWS character (`ord(c) - 45`),
so every pair lies between 00 (`-`) and 77 (`z`).  Decoding is strict: an odd number of digits,
a pair above 77, padded or non-canonical base64url, a header member given twice or anything but
three JWS parts is refused, so that one scanned text can never mean two different things to two
verifiers.  Nothing here inflates the payload: that waits until the signature has been checked
(`inflate_payload`, called by the pipeline after `shc_signature`).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from station.codec.inflate import inflate_raw
from station.errors import Reject
from station.reasons import Reason

PREFIX = "shc:/"
#: `ord("-")`: the numeric encoding stores `ord(c) - 45` for each JWS character.
OFFSET = 45
#: The highest pair value: `ord("z") - 45`.
MAX_PAIR = 77
#: A JWS header of a real card is about 100 characters; anything far longer is not a card.
MAX_HEADER_CHARS = 1024
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#: Unused low bits of the last character, by length mod 4 (2: 4 bits spare, 3: 2 bits spare).
_SPARE_BITS = {0: 0, 2: 0b1111, 3: 0b11}
_SHOWN_CHARS = 24


def _pair_table() -> bytes:
    """Byte translation from a digit pair read as hex (`0x56` for "56") to its JWS character.

    Pairs above 77 map to 0, a byte no JWS character has, so one `translate` both decodes and
    marks every invalid pair.
    """
    table = bytearray(256)
    for tens in range(10):
        for units in range(10):
            value = tens * 10 + units
            if value <= MAX_PAIR:
                table[tens * 16 + units] = value + OFFSET
    return bytes(table)


_PAIRS = _pair_table()


def decode_numeric(digits: str) -> str:
    """The JWS text the digits encode; `Reject(SHC_NUMERIC_INVALID)` for anything else.

    Reading the pairs as hex and translating them is one C pass over the text: a pair holding
    anything but two decimal digits (a hex letter, a pair above 77) comes out as 0 and is refused.
    """
    if not digits:
        raise Reject(Reason.SHC_NUMERIC_INVALID, "no digits after the prefix")
    if len(digits) % 2:
        raise Reject(Reason.SHC_NUMERIC_INVALID, "odd number of digits")
    try:
        decoded = binascii.unhexlify(digits).translate(_PAIRS)
    except (binascii.Error, ValueError):  # not hex, or not ASCII at all
        raise Reject(Reason.SHC_NUMERIC_INVALID, "characters other than digits") from None
    bad = decoded.find(0)
    if bad >= 0:
        pair = digits[2 * bad : 2 * bad + 2]
        detail = f"digit pair {pair} is above {MAX_PAIR}" if pair.isdigit() else "not digits"
        raise Reject(Reason.SHC_NUMERIC_INVALID, detail)
    return decoded.decode("ascii")


def require_digits(digits: str) -> None:
    """An even, non-zero number of ASCII digits (Unicode digits such as '²' are refused)."""
    if not digits:
        raise Reject(Reason.SHC_NUMERIC_INVALID, "no digits after the prefix")
    if not (digits.isascii() and digits.isdigit()):
        raise Reject(Reason.SHC_NUMERIC_INVALID, "characters other than digits")
    if len(digits) % 2:
        raise Reject(Reason.SHC_NUMERIC_INVALID, "odd number of digits")


@dataclass(frozen=True, slots=True)
class CompactJws:
    """The three parts of a compact JWS, decoded but not yet trusted."""

    header: Mapping[str, Any]
    #: ASCII of `header.payload` as it appeared in the card: what the signature covers.
    signing_input: bytes
    #: The payload bytes (DEFLATE-compressed in a genuine card).
    payload: bytes
    signature: bytes


def parse_jws(text: str) -> CompactJws:
    """Split and decode a compact JWS; the header must be a JSON object without `crit`."""
    parts = text.split(".")
    if len(parts) == 5:
        raise Reject(Reason.SHC_JWS_MALFORMED, "five parts: an encrypted JWE, not a signed card")
    if len(parts) != 3:
        raise Reject(Reason.SHC_JWS_MALFORMED, f"{len(parts)} parts instead of 3")
    header_part, payload_part, signature_part = parts
    if not header_part or len(header_part) > MAX_HEADER_CHARS:
        raise Reject(Reason.SHC_JWS_MALFORMED, "header missing or far too long")
    header = strict_json(b64url_decode(header_part, "header"), "header", Reason.SHC_JWS_MALFORMED)
    if not isinstance(header, dict):
        raise Reject(Reason.SHC_JWS_MALFORMED, "header is not a JSON object")
    if "crit" in header:
        raise Reject(Reason.SHC_JWS_MALFORMED, "header demands critical extensions")
    payload = b64url_decode(payload_part, "payload")
    if not payload:
        raise Reject(Reason.SHC_JWS_MALFORMED, "empty payload")
    signature = b64url_decode(signature_part, "signature")
    signing_input = text[: len(header_part) + 1 + len(payload_part)].encode("ascii")
    return CompactJws(header, signing_input, payload, signature)


def b64url_decode(text: str, what: str) -> bytes:
    """Unpadded, canonical base64url (RFC 7515 §2): one byte string has one spelling.

    The spare low bits of the last character must be zero, or 16 (or 4) spellings of the last
    character would all decode to the same bytes.
    """
    if not _BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        raise Reject(Reason.SHC_JWS_MALFORMED, f"{what} is not base64url")
    spare = _SPARE_BITS[len(text) % 4]
    if spare and _ALPHABET.index(text[-1]) & spare:
        raise Reject(Reason.SHC_JWS_MALFORMED, f"{what} is not canonical base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def inflate_payload(jws: CompactJws, max_bytes: int) -> bytes:
    """The payload inflated from raw DEFLATE (`zip: DEF`), at most `max_bytes` long."""
    zip_method = jws.header.get("zip")
    if zip_method is None:
        raise Reject(Reason.NOT_COMPRESSED, "no zip: DEF in the header")
    if zip_method != "DEF":
        raise Reject(Reason.NOT_COMPRESSED, f"zip {shown(zip_method)} instead of DEF")
    return inflate_raw(jws.payload, max_bytes)


class _DuplicateMember(ValueError):
    pass


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members = dict(pairs)
    if len(members) != len(pairs):
        raise _DuplicateMember
    return members


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


#: One decoder for every card (`json.loads` with hooks builds a new one per call).
_STRICT = json.JSONDecoder(object_pairs_hook=_unique_members, parse_constant=_no_constant)


def strict_json(data: bytes, what: str, reason: Reason) -> Any:
    """JSON as RFC 8259 has it: UTF-8, no member twice, no NaN or Infinity, bounded nesting."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Reject(reason, f"{what} is not UTF-8 text") from None
    try:
        return _STRICT.decode(text)
    except _DuplicateMember:
        raise Reject(reason, f"{what} has a member twice") from None
    except RecursionError:
        raise Reject(reason, f"{what} is nested too deeply") from None
    except ValueError:
        raise Reject(reason, f"{what} is not JSON") from None


def shown(value: Any) -> str:
    """A bounded rendering of an untrusted header value for a `detail` (never personal data)."""
    if not (value is None or isinstance(value, str | int | float)):
        return type(value).__name__
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."
