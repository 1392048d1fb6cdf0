"""DRL slice codecs: round trips, the reference code's byte order and signed-integer quirks, the
designed false-positive rate, refusal of malformed slices, and partition selection per mode."""

from __future__ import annotations

import hashlib
import random
import struct

import pytest

from station.cache.drl_filters import (
    MAX_SLICE_BYTES,
    ChunkAddress,
    FilterType,
    PartitionMode,
    address,
    bloom_contains,
    build_bloom,
    build_varhash,
    check_slice,
    mode_for,
    parse_bloom,
    parse_varhash,
    prefix_bytes,
    signed_key,
    slice_contains,
    varhash_contains,
)


def _hashes(count: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    return [rng.randbytes(16) for _ in range(count)]


def _reference_bit_is_set(data: bytes, element: bytes, round_number: int) -> bool:
    """The Java reader, transcribed: BigInteger(SHA-256(e || i)).mod(m), word b/32, MSB first."""
    (words,) = struct.unpack_from(">i", data, 16)
    bits = 32 * words
    digest = hashlib.sha256(element + bytes((round_number,))).digest()
    bit = int.from_bytes(digest, "big", signed=True) % bits
    (word,) = struct.unpack_from(">I", data, 20 + 4 * (bit // 32))
    return bool(word & (0x80000000 >> (bit % 32)))


# --- Bloom filter -------------------------------------------------------------------------


def test_a_bloom_filter_round_trips_with_k_before_the_hash_strategy():
    members = _hashes(500, seed=1)
    data = build_bloom(members, 1e-6)
    version, first, second = struct.unpack_from(">hbb", data)
    shape = parse_bloom(data)
    assert (version, first, second) == (1, shape.rounds, 0), "int8 k comes before the strategy"
    assert shape.capacity == shape.count == 500
    assert shape.probability == pytest.approx(1e-6, rel=1e-6)  # stored as float32
    assert len(data) == 20 + shape.bits // 8
    assert all(bloom_contains(data, member) for member in members)


def test_bloom_bits_follow_the_signed_reading_of_each_round_digest():
    members = _hashes(50, seed=2)
    data = build_bloom(members, 1e-4)
    shape = parse_bloom(data)
    for member in members:
        assert all(_reference_bit_is_set(data, member, i) for i in range(shape.rounds))
    # A digest with its top bit set is negative when read signed: the reduction differs.
    negative = next(
        hashlib.sha256(m + b"\x00").digest()
        for m in members
        if hashlib.sha256(m + b"\x00").digest()[0] >= 0x80
    )
    unsigned = int.from_bytes(negative, "big") % shape.bits
    assert int.from_bytes(negative, "big", signed=True) % shape.bits != unsigned


def test_bloom_sizing_follows_the_reference_formula():
    shape = parse_bloom(build_bloom(_hashes(1000, seed=3), 1e-12))
    assert shape.bits == 32 * -(-57_511 // 32)  # ceil(1000 ln 1e-12 / ln(1 / 2^ln 2)), whole words
    assert shape.rounds == round(shape.bits / 1000 * 0.6931471805599453) == 40


def test_bloom_false_positives_stay_within_the_designed_rate():
    probability = 1e-3
    members = _hashes(10_000, seed=4)
    data = build_bloom(members, probability)
    assert all(bloom_contains(data, member) for member in members), "no false negatives"
    outsiders = _hashes(100_000, seed=5)
    hits = sum(bloom_contains(data, outsider) for outsider in outsiders)
    # Expected about 100 of 100 000 (sd ~10); 130 is three standard deviations above p.
    assert hits <= 1.3 * probability * len(outsiders), hits


# --- Partial variable hash list ------------------------------------------------------------


def test_a_hash_list_orders_prefixes_as_signed_integers():
    members = [bytes([first]) + bytes(range(1, 16)) for first in (0x00, 0x7F, 0x80, 0xFF, 0x12)]
    data = build_varhash(members, 1e-3, fixed_bits=4)
    shape = parse_varhash(data)
    prefixes = [data[11 + i * shape.size : 11 + (i + 1) * shape.size] for i in range(shape.count)]
    firsts = [prefix[0] for prefix in prefixes]
    assert firsts == [0x80, 0xFF, 0x00, 0x12, 0x7F]  # -128, -1, 0, 18, 127
    assert sorted(prefixes) != prefixes, "an unsigned order would differ"
    assert all(varhash_contains(data, member) for member in members)
    assert not varhash_contains(data, b"\x81" + bytes(range(1, 16)))


def test_a_hand_written_hash_list_is_searched_in_signed_order():
    body = b"\x80\x01" + b"\xff\x00" + b"\x01\x02"  # -32767 < -256 < 258
    data = struct.pack(">hfib", 1, 0.5, 3, 2) + body
    assert parse_varhash(data).count == 3
    for prefix in (b"\x80\x01", b"\xff\x00", b"\x01\x02"):
        assert varhash_contains(data, prefix + bytes(14))
    assert not varhash_contains(data, b"\x7f\xff" + bytes(14))
    check_slice(FilterType.VARHASHLIST, data)


def test_hash_lists_of_random_hashes_find_every_member_and_no_outsider():
    members = _hashes(5_000, seed=6)
    data = build_varhash(members, 1e-12, fixed_bits=12)
    shape = parse_varhash(data)
    assert shape.capacity == 5_000 and shape.size == prefix_bytes(5_000, 1e-12, 12)
    assert sum(m[0] >= 0x80 for m in members) > 2_000
    assert all(slice_contains(FilterType.VARHASHLIST, data, m) for m in members)
    assert not any(varhash_contains(data, outsider) for outsider in _hashes(5_000, seed=7))


def test_the_prefix_length_covers_count_rate_and_fixed_bits_within_bounds():
    assert prefix_bytes(1, 0.5, 0) == 4  # the reference minimum
    assert prefix_bytes(10_000, 1e-12, 12) == 9  # 12 + 13.3 + 39.9 = 65.2 bits
    assert prefix_bytes(10**6, 1e-30, 12) == 16  # never more than the hash
    assert prefix_bytes(10_000, 1e-12, 12) >= prefix_bytes(10_000, 1e-12, 4)


# --- Refusals ------------------------------------------------------------------------------


def _bloom() -> bytes:
    return build_bloom(_hashes(20, seed=8), 1e-6)


def _varhash() -> bytes:
    return build_varhash(_hashes(20, seed=9), 1e-6, 4)


@pytest.mark.parametrize(
    ("filter_type", "data", "message"),
    [
        (FilterType.BLOOMFILTER, _bloom()[:10], "truncated"),
        (FilterType.BLOOMFILTER, _bloom()[:-4], "announces"),
        (FilterType.BLOOMFILTER, _bloom() + b"\0\0\0\0", "announces"),
        (FilterType.BLOOMFILTER, b"\x00\x02" + _bloom()[2:], "version 2"),
        (FilterType.BLOOMFILTER, _bloom()[:3] + b"\x01" + _bloom()[4:], "strategy 1"),
        (FilterType.BLOOMFILTER, _bloom()[:2] + b"\x00" + _bloom()[3:], "out of range"),
        (FilterType.BLOOMFILTER, _bloom()[:20] + bytes(MAX_SLICE_BYTES), "larger"),
        (FilterType.VARHASHLIST, _varhash()[:7], "truncated"),
        (FilterType.VARHASHLIST, _varhash()[:-1], "whole"),
        (FilterType.VARHASHLIST, b"\x00\x03" + _varhash()[2:], "version 3"),
        (FilterType.VARHASHLIST, _varhash()[:10] + b"\x00" + _varhash()[11:], "out of range"),
        (FilterType.VARHASHLIST, _varhash()[:10] + b"\x11" + _varhash()[11:], "out of range"),
        (FilterType.VARHASHLIST, _varhash()[:11] + bytes(MAX_SLICE_BYTES), "larger"),
    ],
)
def test_malformed_slices_are_refused(filter_type: FilterType, data: bytes, message: str):
    with pytest.raises(ValueError, match=message):
        check_slice(filter_type, data)


def test_a_hash_list_out_of_signed_order_is_refused():
    data = struct.pack(">hfib", 1, 0.5, 2, 2) + b"\x01\x02" + b"\x80\x01"
    parse_varhash(data)  # the header is fine ...
    with pytest.raises(ValueError, match="not sorted"):
        check_slice(FilterType.VARHASHLIST, data)  # ... the order is not


def test_builders_refuse_empty_sets_and_impossible_rates():
    with pytest.raises(ValueError, match="at least one"):
        build_bloom([], 1e-3)
    with pytest.raises(ValueError, match="between"):
        build_varhash([bytes(16)], 1.0, 4)
    with pytest.raises(ValueError, match="int8"):
        build_bloom([bytes(16)], 1e-60)
    with pytest.raises(ValueError, match="16 bytes"):
        slice_contains(FilterType.BLOOMFILTER, _bloom(), bytes(8))


# --- Partitioning --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "mode"),
    [
        (1, PartitionMode.POINT),
        (100_000, PartitionMode.POINT),
        (100_001, PartitionMode.VECTOR),
        (1_600_000, PartitionMode.VECTOR),
        (1_600_001, PartitionMode.COORDINATE),
    ],
)
def test_the_mode_follows_the_eu_thresholds(count: int, mode: PartitionMode):
    assert mode_for(count) is mode


def test_the_thresholds_can_be_injected():
    small = {"point_max": 2, "vector_max": 5}
    assert [mode_for(n, **small) for n in (2, 3, 5, 6)] == [
        PartitionMode.POINT,
        PartitionMode.VECTOR,
        PartitionMode.VECTOR,
        PartitionMode.COORDINATE,
    ]


def test_a_hash_is_filed_by_its_hex_prefix_in_each_mode():
    digest = bytes.fromhex("abcdef") + bytes(13)
    assert address(digest, PartitionMode.POINT) == ChunkAddress("", "", "a")
    assert address(digest, PartitionMode.VECTOR) == ChunkAddress("a", "", "b")
    assert address(digest, PartitionMode.COORDINATE) == ChunkAddress("a", "b", "c")
    assert signed_key(b"\x80\x00") < signed_key(b"\x7f\xff")
