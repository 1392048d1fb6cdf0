"""A strict, bounded CBOR (RFC 8949) decoder and a small deterministic encoder.

Why not a general library: general decoders accept duplicate map keys (last one wins), ignore
bytes after the first item, and will try to allocate whatever a length header claims.  Two
verifiers using different libraries then give different verdicts for the same pass.  This decoder
rejects duplicate keys and trailing bytes, refuses lengths longer than the remaining input before
allocating, and bounds nesting depth and item count, so every input ends in bounded time.

Tags are returned as `Tagged` values; the caller decides which tags it accepts.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from station.errors import Reject
from station.reasons import Reason

MAX_DEPTH = 32
MAX_ITEMS = 20_000
_BREAK = object()


@dataclass(frozen=True, slots=True)
class Tagged:
    """A CBOR tag and the item it wraps."""

    tag: int
    value: Any


def decode_cbor(data: bytes, *, max_depth: int = MAX_DEPTH, max_items: int = MAX_ITEMS) -> Any:
    """Decode exactly one CBOR item that spans all of `data`."""
    decoder = _Decoder(bytes(data), max_depth, max_items)
    value = decoder.element(0)
    if decoder.pos != len(decoder.data):
        raise Reject(Reason.TRAILING_DATA, "bytes after the CBOR item")
    return value


_KEY_TYPES = (int, str, bytes)


class _Decoder:
    """Recursive-descent decoder; the hot path avoids helper calls for small heads."""

    __slots__ = ("data", "pos", "max_depth", "items_left")

    def __init__(self, data: bytes, max_depth: int, max_items: int) -> None:
        self.data = data
        self.pos = 0
        self.max_depth = max_depth
        self.items_left = max_items

    def _take(self, n: int) -> bytes:
        end = self.pos + n
        if end > len(self.data):
            raise Reject(Reason.CBOR_MALFORMED, "truncated")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def _argument(self, info: int) -> int:
        if info < 24:
            return info
        if info == 24:
            return self._take(1)[0]
        if info == 25:
            return int.from_bytes(self._take(2), "big")
        if info == 26:
            return int.from_bytes(self._take(4), "big")
        if info == 27:
            return int.from_bytes(self._take(8), "big")
        raise Reject(Reason.CBOR_MALFORMED, "reserved additional information")

    def element(self, depth: int) -> Any:
        """An item inside a definite-length container, where a break byte is malformed.

        Short text strings and small integers (most of a credential) are decoded inline with
        the same checks as `item`; everything else goes through `item`.
        """
        data = self.data
        pos = self.pos
        if pos < len(data) and depth <= self.max_depth and self.items_left > 0:
            initial = data[pos]
            if initial < 0x18:
                self.items_left -= 1
                self.pos = pos + 1
                return initial
            if 0x60 <= initial < 0x78:
                end = pos + 1 + initial - 0x60
                if end <= len(data):
                    self.items_left -= 1
                    self.pos = end
                    return _utf8(data[pos + 1 : end])
        value = self.item(depth)
        if value is _BREAK:
            raise Reject(Reason.CBOR_MALFORMED, "unexpected break")
        return value

    def item(self, depth: int) -> Any:
        if depth > self.max_depth:
            raise Reject(Reason.CBOR_MALFORMED, "nested too deeply")
        self.items_left -= 1
        if self.items_left < 0:
            raise Reject(Reason.CBOR_MALFORMED, "too many items")
        data = self.data
        pos = self.pos
        if pos >= len(data):
            raise Reject(Reason.CBOR_MALFORMED, "truncated")
        initial = data[pos]
        self.pos = pos + 1
        major, info = initial >> 5, initial & 0x1F
        if major == 7:
            return self._simple(info)
        if info == 31:
            return self._indefinite(major, depth)
        arg = info if info < 24 else self._argument(info)
        if major == 0:
            return arg
        if major == 3:
            return _utf8(self._take(arg))
        if major == 5:
            return self._definite_map(arg, depth + 1)
        if major == 1:
            return -1 - arg
        if major == 2:
            return self._take(arg)
        if major == 4:
            self._check_count(arg)
            element = self.element
            inner = depth + 1
            return [element(inner) for _ in range(arg)]
        # major 6: tag
        return Tagged(arg, self.element(depth + 1))

    def _check_count(self, count: int) -> None:
        # Every item takes at least one byte: refuse impossible counts before allocating.
        if count > len(self.data) - self.pos:
            raise Reject(Reason.CBOR_MALFORMED, "length exceeds the data")

    def _definite_map(self, pairs: int, depth: int) -> dict[Any, Any]:
        self._check_count(2 * pairs)
        element = self.element
        result: dict[Any, Any] = {}
        for _ in range(pairs):
            key = _map_key(element(depth))
            _add_pair(result, key, element(depth))
        return result

    def _put(self, target: dict[Any, Any], depth: int) -> bool:
        """One pair of an indefinite-length map; False at its break."""
        key = self.item(depth + 1)
        if key is _BREAK:
            return False
        _add_pair(target, _map_key(key), self.element(depth + 1))
        return True

    def _indefinite(self, major: int, depth: int) -> Any:
        if major in (2, 3):
            chunks: list[bytes] = []
            while True:
                if self.pos >= len(self.data):
                    raise Reject(Reason.CBOR_MALFORMED, "truncated")
                initial = self.data[self.pos]
                if initial == 0xFF:
                    self.pos += 1
                    break
                self.pos += 1
                if initial >> 5 != major or initial & 0x1F == 31:
                    raise Reject(Reason.CBOR_MALFORMED, "bad chunk in indefinite string")
                chunks.append(self._take(self._argument(initial & 0x1F)))
            joined = b"".join(chunks)
            return joined if major == 2 else _utf8(joined)
        if major == 4:
            items: list[Any] = []
            while (value := self.item(depth + 1)) is not _BREAK:
                items.append(value)
            return items
        if major == 5:
            result: dict[Any, Any] = {}
            while self._put(result, depth):
                pass
            return result
        raise Reject(Reason.CBOR_MALFORMED, "indefinite length not allowed here")

    def _simple(self, info: int) -> Any:
        if info == 20:
            return False
        if info == 21:
            return True
        if info in (22, 23):
            return None
        if info == 25:
            return _finite(struct.unpack(">e", self._take(2))[0])
        if info == 26:
            return _finite(struct.unpack(">f", self._take(4))[0])
        if info == 27:
            return _finite(struct.unpack(">d", self._take(8))[0])
        if info == 31:
            return _BREAK
        raise Reject(Reason.CBOR_MALFORMED, "unsupported simple value")


def _map_key(key: Any) -> Any:
    """A map key, checked before its value is read: int, text or bytes only."""
    if type(key) not in _KEY_TYPES:
        raise Reject(Reason.CBOR_MALFORMED, "unsupported map key type")
    return key


def _add_pair(target: dict[Any, Any], key: Any, value: Any) -> None:
    """Store one map pair; a key that repeats is refused."""
    if key in target:
        raise Reject(Reason.CBOR_DUPLICATE_KEY, "a map key appears twice")
    target[key] = value


def _utf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Reject(Reason.CBOR_MALFORMED, "text is not valid UTF-8") from None


def _finite(value: float) -> float:
    if math.isnan(value) or math.isinf(value):
        raise Reject(Reason.CBOR_MALFORMED, "non-finite number")
    return value


# --- encoding -------------------------------------------------------------------------------


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
