"""The two slice formats of the EU revocation distribution service (DRL), and where a hash lives.

National backends do not ship revoked hashes: they ship per-kid lists cut into partitions and
chunks by the hex prefix of the 16-byte hash, each chunk holding one or more binary *slices* (a
Bloom filter or a sorted list of hash prefixes). Both formats answer "possibly revoked" or
"certainly not"; their false-positive rate is the backend's choice (EU default 1e-12).

Both formats are big-endian and follow the reference Java code where it departs from its own
documentation:
- Bloom filter: int16 version, int8 k, int8 hash strategy (k comes first, as the code writes it,
  not as the README's table lists it), float32 p, int32 n, int32 count, int32 W, W int32 words.
  Round i of an element is SHA-256(element || byte i) read as a *signed* integer, reduced modulo
  m = 32 W to a non-negative bit number; bit b is bit (31 - b mod 32) of word b // 32, which is
  simply bit (7 - b mod 8) of byte b // 8 of the word area.
- Partial variable hash list: int16 version, float32 p, int32 n, int8 L, then L-byte hash
  prefixes sorted as *signed* big-endian integers (Java `BigInteger`), so the binary search here
  orders prefixes the same way: first byte signed, the rest unsigned.

Builders are used by the reference hub, parsers and membership tests by the station. Everything
here is pure: bytes in, bytes or booleans out, ValueError for anything malformed.
"""

from __future__ import annotations

import hashlib
import math
import struct
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from enum import StrEnum

HASH_BYTES = 16
BLOOM_VERSION = 1
VARHASH_VERSION = 1
HASH_STRATEGY_SHA256 = 0
#: Lists of up to this many hashes use POINT mode, up to VECTOR_MAX VECTOR, above COORDINATE.
POINT_MAX = 100_000
VECTOR_MAX = 1_600_000
DEFAULT_PROBABILITY = 1e-12
#: The reference server never keeps fewer bytes per hash in a hash list.
MIN_PREFIX_BYTES = 4
#: No slice the station accepts is larger (a 1.6 M-hash chunk at p = 1e-12 is about 12 MB).
MAX_SLICE_BYTES = 16 * 1024 * 1024

_BLOOM_HEADER = struct.Struct(">hbbfiii")
_VARHASH_HEADER = struct.Struct(">hfib")
#: ln(1 / 2^ln 2): the denominator of the optimal bit count m = n ln p / ln(1 / 2^ln 2).
_LN_HALF_POW_LN2 = math.log(1 / math.pow(2, math.log(2)))


class FilterType(StrEnum):
    BLOOMFILTER = "BLOOMFILTER"
    VARHASHLIST = "VARHASHLIST"


class PartitionMode(StrEnum):
    POINT = "POINT"
    VECTOR = "VECTOR"
    COORDINATE = "COORDINATE"


#: Bits of the hash a chunk address fixes (one hex digit each for x, y and the chunk).
FIXED_BITS = {PartitionMode.POINT: 4, PartitionMode.VECTOR: 8, PartitionMode.COORDINATE: 12}


@dataclass(frozen=True, slots=True)
class ChunkAddress:
    """Where a hash is filed: partition coordinates x and y ('' when the mode has none), chunk."""

    x: str
    y: str
    chunk: str


def mode_for(
    count: int, *, point_max: int = POINT_MAX, vector_max: int = VECTOR_MAX
) -> PartitionMode:
    """The partitioning of a kid's list of `count` hashes (thresholds injectable for tests)."""
    if count <= point_max:
        return PartitionMode.POINT
    if count <= vector_max:
        return PartitionMode.VECTOR
    return PartitionMode.COORDINATE


def address(digest: bytes, mode: PartitionMode) -> ChunkAddress:
    """The partition and chunk of a hash: its first one, two or three lowercase hex digits."""
    prefix = digest[:2].hex()
    if mode is PartitionMode.POINT:
        return ChunkAddress("", "", prefix[0])
    if mode is PartitionMode.VECTOR:
        return ChunkAddress(prefix[0], "", prefix[1])
    return ChunkAddress(prefix[0], prefix[1], prefix[2])


# --- Bloom filter -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BloomShape:
    """A parsed Bloom filter header: k rounds over m bits, designed for n elements at p."""

    rounds: int
    bits: int
    capacity: int
    count: int
    probability: float


def build_bloom(elements: Collection[bytes], probability: float) -> bytes:
    """A Bloom filter slice holding `elements`, sized for them at false-positive rate p."""
    if not elements:
        raise ValueError("a slice holds at least one hash")
    if not 0 < probability < 1:
        raise ValueError("the false-positive rate must lie strictly between 0 and 1")
    n = len(elements)
    words = max(1, math.ceil(math.ceil(n * math.log(probability) / _LN_HALF_POW_LN2) / 32))
    bits = 32 * words
    rounds = max(1, round(bits / n * math.log(2)))
    if rounds > 127:
        raise ValueError("the false-positive rate is too small for an int8 round count")
    area = bytearray(4 * words)
    for element in elements:
        for bit in _bit_numbers(element, rounds, bits):
            area[bit >> 3] |= 0x80 >> (bit & 7)
    header = _BLOOM_HEADER.pack(
        BLOOM_VERSION, rounds, HASH_STRATEGY_SHA256, probability, n, n, words
    )
    return header + bytes(area)


def parse_bloom(data: bytes) -> BloomShape:
    """The header of a Bloom filter slice; ValueError if truncated, oversized or unknown."""
    _check_size(data, _BLOOM_HEADER.size)
    version, rounds, strategy, probability, capacity, count, words = _BLOOM_HEADER.unpack_from(data)
    if version != BLOOM_VERSION:
        raise ValueError(f"Bloom filter version {version} is not supported")
    if strategy != HASH_STRATEGY_SHA256:
        raise ValueError(f"Bloom filter hash strategy {strategy} is not supported")
    if rounds < 1 or words < 1 or capacity < 0 or count < 0:
        raise ValueError("the Bloom filter header is out of range")
    if len(data) != _BLOOM_HEADER.size + 4 * words:
        raise ValueError(f"the Bloom filter announces {words} words but has {len(data)} bytes")
    return BloomShape(rounds, 32 * words, capacity, count, probability)


def bloom_contains(data: bytes, element: bytes) -> bool:
    """True if every round's bit of `element` is set (false positives at rate about p)."""
    shape = parse_bloom(data)
    offset = _BLOOM_HEADER.size
    for bit in _bit_numbers(element, shape.rounds, shape.bits):
        if not data[offset + (bit >> 3)] & (0x80 >> (bit & 7)):
            return False
    return True


def _bit_numbers(element: bytes, rounds: int, bits: int) -> Iterator[int]:
    """Round i: SHA-256(element || byte i) as a signed big-endian integer, mod m (>= 0).

    A generator, so a lookup stops hashing at the first clear bit (most lookups are misses).
    """
    sha256, from_bytes = hashlib.sha256, int.from_bytes
    for i in range(rounds):
        yield from_bytes(sha256(element + bytes((i & 0xFF,))).digest(), "big", signed=True) % bits


# --- Partial variable hash list ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VarHashShape:
    """A parsed hash list header: `count` prefixes of `size` bytes, designed for n at p."""

    size: int
    count: int
    capacity: int
    probability: float


def prefix_bytes(count: int, probability: float, fixed_bits: int) -> int:
    """Bytes kept per hash so that a lookup in a slice of `count` hashes errs at rate <= p.

    Inside one chunk the bits its address fixes are equal for every hash, so they tell nothing
    apart and are added to, not taken from, what the prefix must cover.
    """
    needed = fixed_bits + math.log2(max(count, 1)) + math.log2(1 / probability)
    return min(HASH_BYTES, max(MIN_PREFIX_BYTES, math.ceil(needed / 8)))


def build_varhash(elements: Collection[bytes], probability: float, fixed_bits: int) -> bytes:
    """A partial variable hash list slice of `elements`, prefixes sorted in signed order."""
    if not elements:
        raise ValueError("a slice holds at least one hash")
    if not 0 < probability < 1:
        raise ValueError("the false-positive rate must lie strictly between 0 and 1")
    size = prefix_bytes(len(elements), probability, fixed_bits)
    prefixes = sorted({element[:size] for element in elements}, key=signed_key)
    header = _VARHASH_HEADER.pack(VARHASH_VERSION, probability, len(elements), size)
    return header + b"".join(prefixes)


def parse_varhash(data: bytes) -> VarHashShape:
    """The header of a hash list slice; ValueError if truncated, oversized or unknown."""
    _check_size(data, _VARHASH_HEADER.size)
    version, probability, capacity, size = _VARHASH_HEADER.unpack_from(data)
    if version != VARHASH_VERSION:
        raise ValueError(f"hash list version {version} is not supported")
    if not 1 <= size <= HASH_BYTES or capacity < 0:
        raise ValueError("the hash list header is out of range")
    body = len(data) - _VARHASH_HEADER.size
    if body % size:
        raise ValueError(f"the hash list body is not whole {size}-byte prefixes")
    return VarHashShape(size, body // size, capacity, probability)


def varhash_contains(data: bytes, element: bytes) -> bool:
    """Binary search for the element's prefix, ordering prefixes as signed integers."""
    shape = parse_varhash(data)
    target = signed_key(element[: shape.size])
    low, high, offset = 0, shape.count, _VARHASH_HEADER.size
    while low < high:
        middle = (low + high) // 2
        start = offset + middle * shape.size
        probe = signed_key(data[start : start + shape.size])
        if probe < target:
            low = middle + 1
        elif probe > target:
            high = middle
        else:
            return True
    return False


def signed_key(prefix: bytes) -> bytes:
    """A byte string whose unsigned order is the signed big-endian order of `prefix`."""
    return bytes((prefix[0] ^ 0x80,)) + prefix[1:]


def _check_varhash_order(data: bytes, shape: VarHashShape) -> None:
    """A list out of order would make the binary search miss revoked hashes: refuse it."""
    offset, size = _VARHASH_HEADER.size, shape.size
    previous = b""
    for start in range(offset, offset + shape.count * size, size):
        current = signed_key(data[start : start + size])
        if current < previous:
            raise ValueError("the hash list is not sorted in signed order")
        previous = current


# --- Either format ----------------------------------------------------------------------------


def check_slice(filter_type: FilterType, data: bytes) -> None:
    """Full validation of a downloaded slice before it is stored (ValueError if unusable)."""
    if filter_type is FilterType.BLOOMFILTER:
        parse_bloom(data)
    else:
        _check_varhash_order(data, parse_varhash(data))


def slice_contains(filter_type: FilterType, data: bytes, digest: bytes) -> bool:
    """Whether the slice reports the 16-byte hash `digest` as (possibly) listed."""
    if len(digest) != HASH_BYTES:
        raise ValueError(f"a revocation hash is {HASH_BYTES} bytes, not {len(digest)}")
    if filter_type is FilterType.BLOOMFILTER:
        return bloom_contains(data, digest)
    return varhash_contains(data, digest)


def _check_size(data: bytes, header: int) -> None:
    if len(data) < header:
        raise ValueError(f"the slice is truncated ({len(data)} bytes)")
    if len(data) > MAX_SLICE_BYTES:
        raise ValueError(f"the slice is larger than {MAX_SLICE_BYTES} bytes")
