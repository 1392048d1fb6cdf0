"""A whole source is applied atomically: its data and its sync-state record commit together, and
any failure (a broken page, a bad entry, a crash between stores) leaves the cache byte-identical."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from station.cache.database import CacheDatabase, open_cache
from station.cache.revocations import UNKNOWN_KID, RevocationCache, RevocationEntry
from station.cache.signers import SignerCache
from station.cache.status_key import KdfParams, derive_status_key
from station.cache.status_list import StatusEntry, StatusFlags, StatusListCache
from station.cache.sync_state import SyncStateStore
from station.issuer.pki import make_signer
from station.verify.revocation import HashType, truncated_sha256

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PARAMS = KdfParams(salt=b"s" * 16, memory_kib=8192, iterations=1)
KID = bytes.fromhex("0102030405060708")


def entries(prefix: str, count: int, fail_at: int | None = None) -> Iterator[RevocationEntry]:
    for i in range(count):
        if i == fail_at:
            raise ValueError("a malformed entry in the middle of the page")
        yield RevocationEntry(KID, HashType.UCI, truncated_sha256(f"{prefix}{i}".encode()))


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[CacheDatabase]:
    opened = open_cache(tmp_path / "cache.sqlite")
    signer = make_signer()
    SignerCache(opened).apply_sync([signer.der], {signer.kid}, version=1, now=NOW)
    RevocationCache(opened).apply(entries("v1-", 1000), [], snapshot=True)
    key = derive_status_key("123456789", PARAMS)
    StatusListCache(opened).apply(PARAMS, [StatusEntry(key, StatusFlags.POSITIVE)], [], True)
    SyncStateStore(opened).record_success("revocations", version=1, now=NOW, item_count=1000)
    yield opened
    opened.close()


def test_a_failing_page_after_good_pages_rolls_back_the_whole_source(cache: CacheDatabase):
    before = cache.content_digest()
    revocations = RevocationCache(cache)
    with pytest.raises(ValueError), cache.transaction():
        revocations.apply(entries("page0-", 50_000), [], snapshot=True)
        revocations.apply(entries("page1-", 50_000), entries("v1-", 10), snapshot=False)
        revocations.apply(entries("page2-", 50_000, fail_at=25_000), [], snapshot=False)
        SyncStateStore(cache).record_success("revocations", version=2, now=NOW)
    assert cache.content_digest() == before
    assert revocations.count() == 1000
    assert SyncStateStore(cache).get("revocations").version == 1


def test_a_crash_between_the_data_and_the_state_record_rolls_back_both(cache: CacheDatabase):
    before = cache.content_digest()
    key = derive_status_key("001203004567", PARAMS)
    with pytest.raises(RuntimeError), cache.transaction():
        StatusListCache(cache).apply(PARAMS, [StatusEntry(key, StatusFlags.ISOLATING)], [], False)
        RevocationCache(cache).purge_expired(NOW)
        SignerCache(cache).apply_sync([], set(), version=2, now=NOW)
        raise RuntimeError("power cut before the sync state was written")
    assert cache.content_digest() == before
    assert StatusListCache(cache).lookup("001203004567") is None


def test_a_committed_source_is_seen_whole_and_in_step_with_its_state(cache: CacheDatabase):
    with cache.transaction():
        written, deleted = RevocationCache(cache).apply(entries("v2-", 500), [], snapshot=True)
        SyncStateStore(cache).record_success("revocations", version=2, now=NOW, item_count=500)
    assert (written, deleted) == (500, 1000)
    assert RevocationCache(cache).count() == 500
    assert SyncStateStore(cache).get("revocations").version == 2


def test_a_reader_sees_the_old_data_until_the_writer_commits(cache: CacheDatabase, tmp_path: Path):
    hit = {HashType.UCI: truncated_sha256(b"late0")}
    reader = open_cache(tmp_path / "cache.sqlite")
    try:
        with cache.transaction():
            RevocationCache(cache).apply(entries("late", 10), [], snapshot=False)
            assert RevocationCache(reader).find(KID, hit) is None
        assert RevocationCache(reader).find(KID, hit) is not None
        assert RevocationCache(reader).find(UNKNOWN_KID, hit) is None
    finally:
        reader.close()
