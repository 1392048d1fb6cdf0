"""DrlCache: the migration, storing a kid's update, lookups by announced hash type, UNKNOWN_KID,
expiry, and that a refused update leaves the cache as it was."""

from __future__ import annotations

import hashlib
import random
import sqlite3
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from station.cache.database import CacheDatabase, backup_path, open_cache
from station.cache.drl import DrlCache, DrlKidUpdate, DrlList, DrlPartition, DrlSlice, SliceKey
from station.cache.drl_filters import FilterType, PartitionMode, address, build_bloom, build_varhash
from station.cache.migrations import LATEST_VERSION, MIGRATIONS, statements
from station.verify.revocation import HashType

KID = bytes(range(1, 9))
OTHER_KID = bytes(range(11, 19))
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=30)
ALL_TYPES = frozenset(HashType)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[CacheDatabase]:
    opened = open_cache(tmp_path / "cache.sqlite")
    yield opened
    opened.close()


def _listing(kid: bytes = KID, mode: PartitionMode = PartitionMode.POINT, types=ALL_TYPES):
    return DrlList(kid, mode, frozenset(types), LATER, NOW - timedelta(hours=1))


def _update(
    hashes: list[bytes],
    *,
    kid: bytes = KID,
    mode: PartitionMode = PartitionMode.POINT,
    types=ALL_TYPES,
    expires: datetime = LATER,
    filter_type: FilterType = FilterType.BLOOMFILTER,
) -> DrlKidUpdate:
    """One slice per chunk the hashes fall in, as a backend would cut them."""
    chunks: dict[tuple[str, str, str], list[bytes]] = {}
    for digest in hashes:
        where = address(digest, mode)
        chunks.setdefault((where.x, where.y, where.chunk), []).append(digest)
    slices = []
    for (x, y, chunk), members in chunks.items():
        if filter_type is FilterType.BLOOMFILTER:
            data = build_bloom(members, 1e-9)
        else:
            data = build_varhash(members, 1e-9, 12)
        key = SliceKey(x, y, chunk, int(expires.timestamp()))
        slices.append(DrlSlice(kid, key, hashlib.sha256(data).hexdigest(), filter_type, data))
    partitions = {(s.key.x, s.key.y) for s in slices}
    return DrlKidUpdate(
        _listing(kid, mode, types),
        partitions=tuple(DrlPartition(kid, x + y, x, y, NOW, LATER) for x, y in partitions),
        kept=frozenset(s.key for s in slices),
        slices=tuple(slices),
    )


def _pass_hashes(seed: int) -> dict[HashType, bytes]:
    rng = random.Random(seed)
    return {kind: rng.randbytes(16) for kind in HashType}


def test_version_2_adds_the_drl_tables_to_a_version_1_file(tmp_path: Path):
    path = tmp_path / "cache.sqlite"
    conn = sqlite3.connect(path)
    for statement in statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("INSERT INTO rules VALUES ('h', 'GR-VN-0001', '1.0.0', 'VN', x'00')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with open_cache(path) as cache:
        assert cache.schema_version() == LATEST_VERSION >= 2
        assert DrlCache(cache).lists() == {}
        assert cache.conn.execute("SELECT count(*) FROM rules").fetchone()[0] == 1
    assert backup_path(path, 1).exists()


@pytest.mark.parametrize("filter_type", list(FilterType))
@pytest.mark.parametrize("mode", list(PartitionMode))
def test_a_listed_pass_is_found_under_its_first_hash_type(cache, mode, filter_type):
    passes = [_pass_hashes(seed) for seed in range(40)]
    listed = [digest for hashes in passes[:20] for digest in hashes.values()]
    drl = DrlCache(cache)
    assert drl.apply(_update(listed, mode=mode, filter_type=filter_type))[1] == 0
    assert [drl.find(KID, hashes, NOW) for hashes in passes[:20]] == [HashType.UCI] * 20
    assert [drl.find(KID, hashes, NOW) for hashes in passes[20:]] == [None] * 20
    assert drl.find(OTHER_KID, passes[0], NOW) is None
    signature_only = {HashType.SIGNATURE: passes[3][HashType.SIGNATURE]}
    assert drl.find(KID, signature_only, NOW) is HashType.SIGNATURE


def test_only_the_hash_types_a_list_announces_are_checked(cache):
    hashes = _pass_hashes(1)
    drl = DrlCache(cache)
    drl.apply(_update(list(hashes.values()), types={HashType.SIGNATURE}))
    assert drl.lists()[KID].hash_types == {HashType.SIGNATURE}
    assert drl.find(KID, hashes, NOW) is HashType.SIGNATURE
    assert drl.find(KID, {HashType.UCI: hashes[HashType.UCI]}, NOW) is None


def test_the_unknown_kid_list_applies_to_a_pass_of_any_kid(cache):
    hashes = _pass_hashes(2)
    DrlCache(cache).apply(_update([hashes[HashType.COUNTRYCODEUCI]], kid=b""))
    assert DrlCache(cache).find(OTHER_KID, hashes, NOW) is HashType.COUNTRYCODEUCI


def test_expired_slices_are_ignored_then_purged(cache):
    hashes = _pass_hashes(3)
    drl = DrlCache(cache)
    drl.apply(_update(list(hashes.values()), expires=NOW + timedelta(minutes=5)))
    assert drl.find(KID, hashes, NOW) is HashType.UCI
    later = NOW + timedelta(minutes=5)
    assert drl.find(KID, hashes, later) is None
    held = drl.count()
    assert held >= 1 and drl.purge_expired(NOW) == 0
    assert drl.purge_expired(later) == held and drl.count() == 0


def test_an_update_drops_slices_no_longer_listed_and_replace_wipes_the_kid(cache):
    drl = DrlCache(cache)
    first = _update([bytes([n * 16]) + bytes(15) for n in range(4)])
    drl.apply(first)
    assert drl.count() == 4
    kept = frozenset(list(first.kept or ())[:1])
    assert drl.apply(DrlKidUpdate(first.listing, partitions=first.partitions, kept=kept)) == (0, 3)
    assert set(drl.slice_hashes(KID)) == kept
    coordinate = _update([b"\xab" + bytes(15)], mode=PartitionMode.COORDINATE)
    assert drl.apply(
        DrlKidUpdate(
            coordinate.listing, True, coordinate.partitions, coordinate.kept, coordinate.slices
        )
    ) == (1, 1)
    assert drl.lists()[KID].mode is PartitionMode.COORDINATE
    assert drl.remove_kids([KID]) == 1
    assert drl.lists() == {} and drl.count() == 0


def test_a_damaged_slice_is_refused_before_anything_is_written(cache):
    drl = DrlCache(cache)
    drl.apply(_update([bytes(16)]))
    before = cache.content_digest()
    update = _update([b"\x10" + bytes(15)])
    broken = DrlSlice(KID, update.slices[0].key, "0" * 64, FilterType.BLOOMFILTER, b"\x00\x01")
    with pytest.raises(ValueError), cache.transaction():
        drl.apply(DrlKidUpdate(update.listing, slices=(*update.slices, broken)))
    assert cache.content_digest() == before


def test_the_content_digest_covers_the_drl_tables(cache):
    before = cache.content_digest()
    DrlCache(cache).apply(_update([bytes(16)]))
    assert cache.content_digest() != before


def test_a_lookup_takes_well_under_a_millisecond(cache):
    passes = [_pass_hashes(seed) for seed in range(2_000)]
    listed = [digest for hashes in passes[:1_000] for digest in hashes.values()]
    drl = DrlCache(cache)
    drl.apply(_update(listed, mode=PartitionMode.COORDINATE))
    samples = []
    for hashes in passes[500:1_500]:
        start = time.perf_counter()
        drl.find(KID, hashes, NOW)
        samples.append(time.perf_counter() - start)
    assert statistics.median(samples) < 0.001
