"""A small deterministic CBOR encoder: shortest-form heads, maps in insertion order.

The station only encodes what it signs or hashes itself (COSE `Sig_structure`, test passes);
the decoder it runs on scanned input is `station.codec.cbor`.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from typing import Any

from station.codec.cbor import Tagged


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes((major << 5 | arg,))
    if arg < 0x100:
        return bytes((major << 5 | 24, arg))
    if arg < 0x10000:
        return bytes((major << 5 | 25,)) + arg.to_bytes(2, "big")
    if arg < 0x100000000:
        return bytes((major << 5 | 26,)) + arg.to_bytes(4, "big")
    return bytes((major << 5 | 27,)) + arg.to_bytes(8, "big")


def bstr_head(length: int) -> bytes:
    """The head of a byte string of `length` bytes."""
    return _head(2, length)


def encode_cbor(value: Any) -> bytes:
    """Encode a value with shortest-form heads and maps in insertion order."""
    out = bytearray()
    _encode_into(out, value)
    return bytes(out)


def _encode_into(out: bytearray, value: Any) -> None:
    if value is None:
        out.append(0xF6)
    elif value is True:
        out.append(0xF5)
    elif value is False:
        out.append(0xF4)
    elif isinstance(value, int):
        out += _head(0, value) if value >= 0 else _head(1, -1 - value)
    elif isinstance(value, float):
        out += b"\xfb" + struct.pack(">d", value)
    elif isinstance(value, bytes | bytearray):
        out += _head(2, len(value)) + bytes(value)
    elif isinstance(value, str):
        raw = value.encode("utf-8")
        out += _head(3, len(raw)) + raw
    elif isinstance(value, list | tuple):
        out += _head(4, len(value))
        for element in value:
            _encode_into(out, element)
    elif isinstance(value, Mapping):
        out += _head(5, len(value))
        for key, element in value.items():
            _encode_into(out, key)
            _encode_into(out, element)
    elif isinstance(value, Tagged):
        out += _head(6, value.tag)
        _encode_into(out, value.value)
    else:
        raise TypeError(f"cannot encode {type(value).__name__} as CBOR")
