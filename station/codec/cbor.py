"""A strict, bounded CBOR (RFC 8949) decoder (the encoder is in `station.codec.cbor_encode`).

Why not a general library: general decoders accept duplicate map keys (last one wins), ignore
bytes after the first item, and will try to allocate whatever a length header claims.  Two
verifiers using different libraries then give different verdicts for the same pass.  This decoder
rejects duplicate keys and trailing bytes, refuses lengths longer than the remaining input before
allocating, and bounds nesting depth and item count, so every input ends in bounded time.

Speed: a DDCC payload holds some 90 items, most of them short text in small maps, and the
decoder runs for every scan.  Inputs shorter than the item cap (every pass) are read by a
subclass whose maps read such members inline instead of through two calls per item; it makes
the same checks in the same order, so values and refusals do not depend on the path taken.

Tags are returned as `Tagged` values; the caller decides which tags it accepts.
"""

from __future__ import annotations

import math
import struct
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
    """Decode exactly one CBOR item that spans all of `data`.

    Every item takes at least one byte, so an input shorter than `max_items` cannot reach the
    item cap: it is read by `_ShortInputDecoder`, which skips the count on its inline paths.
    """
    data = bytes(data)
    decoder_class = _ShortInputDecoder if len(data) < max_items else _Decoder
    return _decode_with(decoder_class, data, max_depth, max_items)


def _decode_with(decoder_class: type[_Decoder], data: bytes, max_depth: int, max_items: int) -> Any:
    decoder = decoder_class(data, max_depth, max_items)
    try:
        value = decoder.element(0)
    except UnicodeDecodeError:
        # Text is decoded (strict UTF-8) where it is read; this is the one place its error maps.
        raise Reject(Reason.CBOR_MALFORMED, "text is not valid UTF-8") from None
    if decoder.pos != len(data):
        raise Reject(Reason.TRAILING_DATA, "bytes after the CBOR item")
    return value


_KEY_TYPES = (int, str, bytes)


class _Decoder:
    """Recursive-descent decoder that counts every item against the cap.

    Checks run in a fixed order for every item (depth, item count, truncation, then the head),
    so the refusal an input gets does not depend on which path read it.
    """

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
        """An item inside a definite-length container, where a break byte is malformed."""
        value = self.item(depth)
        if value is _BREAK:
            raise Reject(Reason.CBOR_MALFORMED, "unexpected break")
        return value

    def item(self, depth: int) -> Any:
        """Any item, or `_BREAK` for a break byte (which only an indefinite container accepts)."""
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
        if info < 24:
            arg = info
        elif info == 24 and pos + 1 < len(data):
            arg = data[pos + 1]
            self.pos = pos + 2
        else:
            arg = self._argument(info)
        if major == 0:
            return arg
        if major == 2 or major == 3:
            start = self.pos
            end = start + arg
            if end > len(data):
                raise _truncated()
            self.pos = end
            return data[start:end] if major == 2 else data[start:end].decode()
        if major == 5:
            return self._definite_map(arg, depth + 1)
        if major == 1:
            return -1 - arg
        if major == 4:
            return self._array(arg, depth + 1)
        # major 6: tag
        return Tagged(arg, self.element(depth + 1))

    def _check_count(self, count: int) -> None:
        # Every item takes at least one byte: refuse impossible counts before allocating.
        if count > len(self.data) - self.pos:
            raise Reject(Reason.CBOR_MALFORMED, "length exceeds the data")

    def _array(self, count: int, depth: int) -> list[Any]:
        self._check_count(count)
        element = self.element
        return [element(depth) for _ in range(count)]

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
            return joined if major == 2 else joined.decode()
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


class _ShortInputDecoder(_Decoder):
    """The decoder for inputs shorter than the item cap, which they therefore cannot reach.

    A credential is mostly maps of short text and small numbers, so definite maps read their
    common members inline rather than through `element` and `item`: keys of text up to 23
    bytes or integers up to 23; values of those, text up to 255 bytes or maps of up to 23 pairs.
    The inline reads skip only the item count and refuse exactly as `item` would (a head or
    length byte past the end is "truncated"); other members go through `element`.
    """

    __slots__ = ()

    def _definite_map(self, pairs: int, depth: int) -> dict[Any, Any]:
        # One loop with the common members spelled out: a call per member is what this saves.
        data = self.data
        size = len(data)
        pos = self.pos
        if 2 * pairs > size - pos:
            raise Reject(Reason.CBOR_MALFORMED, "length exceeds the data")
        if pairs and depth > self.max_depth:
            raise Reject(Reason.CBOR_MALFORMED, "nested too deeply")
        result: dict[Any, Any] = {}
        try:
            for _ in range(pairs):
                head = data[pos]
                if 0x60 <= head < 0x78:  # text of 0-23 bytes
                    end = pos + head - 0x5F
                    if end > size:
                        raise _truncated()
                    key: Any = data[pos + 1 : end].decode()
                    pos = end
                elif head < 0x18:  # unsigned 0-23
                    key = head
                    pos += 1
                else:
                    self.pos = pos
                    key = _map_key(self.element(depth))
                    pos = self.pos
                head = data[pos]
                if head < 0x18:  # unsigned 0-23
                    value: Any = head
                    pos += 1
                elif 0x60 <= head < 0x78:  # text of 0-23 bytes
                    end = pos + head - 0x5F
                    if end > size:
                        raise _truncated()
                    value = data[pos + 1 : end].decode()
                    pos = end
                elif head == 0x78:  # text of 24-255 bytes (a one-byte length)
                    end = pos + 2 + data[pos + 1]
                    if end > size:
                        raise _truncated()
                    value = data[pos + 2 : end].decode()
                    pos = end
                elif 0xA0 <= head < 0xB8:  # map of 0-23 pairs
                    self.pos = pos + 1
                    value = self._definite_map(head - 0xA0, depth + 1)
                    pos = self.pos
                else:
                    self.pos = pos
                    value = self.element(depth)
                    pos = self.pos
                if key in result:
                    raise Reject(Reason.CBOR_DUPLICATE_KEY, "a map key appears twice")
                result[key] = value
        except IndexError:  # only a head or length byte the input lacks
            raise _truncated() from None
        self.pos = pos
        return result


def _truncated() -> Reject:
    return Reject(Reason.CBOR_MALFORMED, "truncated")


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


def _finite(value: float) -> float:
    if math.isnan(value) or math.isinf(value):
        raise Reject(Reason.CBOR_MALFORMED, "non-finite number")
    return value
