"""The status list in the cache: real Argon2id keys, lookups by ID number, KDF changes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from station.cache.database import CacheDatabase, open_cache
from station.cache.status_key import KdfParams, derive_status_key
from station.cache.status_list import StatusEntry, StatusFlags, StatusListCache, is_current

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
#: The smallest parameters the station accepts, to keep the tests quick.
PARAMS = KdfParams(salt=b"s" * 16, memory_kib=8192, iterations=1)
NEW_SALT = KdfParams(salt=b"t" * 16, memory_kib=8192, iterations=1)
ID = "001203004567"


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[CacheDatabase]:
    opened = open_cache(tmp_path / "cache.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def status(cache: CacheDatabase) -> StatusListCache:
    return StatusListCache(cache)


def entry(id_number: str, flags: StatusFlags, params: KdfParams = PARAMS, **kw) -> StatusEntry:
    return StatusEntry(derive_status_key(id_number, params), flags, **kw)


def test_lookup_by_id_number_with_separators(status: StatusListCache):
    isolating = entry(ID, StatusFlags.ISOLATING | StatusFlags.CLOSE_CONTACT)
    status.apply(PARAMS, [isolating, entry("123456789", StatusFlags.VACCINATED)], [], True)
    for written in (ID, "001 203 004 567", "001-203-004.567", f"  {ID}\n"):
        found = status.lookup(written)
        assert found == isolating
        assert found is not None and StatusFlags.ISOLATING in found.flags
    assert status.lookup("001203004568") is None
    assert status.lookup_key(isolating.key) == isolating
    assert status.count() == 2


def test_the_cache_holds_keys_never_id_numbers(status: StatusListCache, cache: CacheDatabase):
    status.apply(PARAMS, [entry(ID, StatusFlags.POSITIVE)], [], True)
    (key,) = cache.conn.execute("SELECT key FROM status_entries").fetchone()
    assert key == derive_status_key(ID, PARAMS) and len(key) == 16
    assert ID.encode() not in b"".join(
        bytes(v) if isinstance(v, bytes) else str(v).encode()
        for table in ("status_entries", "status_params")
        for row in cache.conn.execute(f"SELECT * FROM {table}")
        for v in row
    )


@pytest.mark.parametrize("bad", ["", "12345", "1234567890", "00120300456X", "١٢٣٤٥٦٧٨٩"])
def test_a_malformed_id_number_raises_even_without_a_list(status: StatusListCache, bad: str):
    with pytest.raises(ValueError):
        status.lookup(bad)


def test_no_list_loaded_means_no_params_and_no_entry(status: StatusListCache):
    assert status.params() is None
    assert status.lookup(ID) is None


def test_the_params_are_stored_and_read_back(status: StatusListCache):
    status.apply(PARAMS, [], [], snapshot=True)
    assert status.params() == PARAMS


def test_a_kdf_change_needs_a_snapshot(status: StatusListCache, cache: CacheDatabase):
    status.apply(PARAMS, [entry(ID, StatusFlags.POSITIVE)], [], True)
    before = cache.content_digest()
    with pytest.raises(ValueError, match="only a full snapshot"):
        status.apply(NEW_SALT, [entry(ID, StatusFlags.RECOVERED, NEW_SALT)], [], snapshot=False)
    assert cache.content_digest() == before
    status.apply(NEW_SALT, [entry(ID, StatusFlags.RECOVERED, NEW_SALT)], [], snapshot=True)
    assert status.params() == NEW_SALT
    found = status.lookup(ID)
    assert found is not None and found.flags == StatusFlags.RECOVERED
    assert status.count() == 1


def test_deltas_update_and_remove(status: StatusListCache):
    status.apply(PARAMS, [entry(ID, StatusFlags.POSITIVE)], [], True)
    other = entry("123456789", StatusFlags.CLOSE_CONTACT)
    written, deleted = status.apply(PARAMS, [entry(ID, StatusFlags.RECOVERED), other], [], False)
    assert (written, deleted) == (2, 0)
    assert status.lookup(ID).flags == StatusFlags.RECOVERED
    assert status.apply(PARAMS, [], [other.key, b"\x00" * 16], False) == (0, 1)
    assert status.lookup("123 456 789") is None


def test_a_lapsed_entry_is_returned_and_is_current_says_so(status: StatusListCache):
    until = NOW + timedelta(days=7)
    status.apply(PARAMS, [entry(ID, StatusFlags.ISOLATING, valid_until=until)], [], True)
    found = status.lookup(ID)
    assert found is not None and found.valid_until == until
    assert is_current(found, until - timedelta(seconds=1))
    assert not StatusListCache.is_current(found, until)
    assert is_current(StatusEntry(b"k" * 16, StatusFlags.VACCINATED), NOW + timedelta(3650))


def test_malformed_entries_are_refused():
    with pytest.raises(ValueError):
        StatusEntry(b"short", StatusFlags.POSITIVE)
    with pytest.raises(ValueError):
        StatusEntry(b"k" * 16, StatusFlags.POSITIVE, datetime(2026, 1, 1))
