"""Signer certificates in the cache: manual import, sync add/withdraw, and telling withdrawn
signers apart from unknown ones."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from station.cache.database import CacheDatabase, open_cache
from station.cache.signers import SignerCache, kid_text
from station.issuer.demo_set import make_authority
from station.issuer.pki import Signer, make_signer
from station.paths import trust_db_path
from station.store.trust import SqliteTrustStore

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def signers() -> list[Signer]:
    authority = make_authority(NOW)
    return [authority.es256, authority.ps256, make_signer(country="DE", usages="t")]


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[CacheDatabase]:
    opened = open_cache(tmp_path / "cache.sqlite")
    yield opened
    opened.close()


def test_manual_import_derives_everything_from_the_der(cache: CacheDatabase, signers):
    store = SignerCache(cache)
    report = store.import_der([signers[2].der, signers[2].der, b"junk"], "operator.pem")
    assert (report.added, report.already_present, len(report.rejected)) == (1, 1, 1)
    (row,) = store.rows()
    assert row["kid"] == kid_text(signers[2].kid)
    assert (row["country"], row["allowed_types"], row["origin"]) == ("DE", "t", "manual")
    assert row["source"] == "operator.pem" and "der" not in row
    assert [c.kid for c in store.index().signers_for(signers[2].kid)] == [signers[2].kid]


def test_sync_adds_then_withdraws_and_remembers_the_withdrawal(cache: CacheDatabase, signers):
    store = SignerCache(cache)
    a, b = signers[0], signers[1]
    diff = store.apply_sync([a.der, b.der], {a.kid, b.kid}, version=3, now=NOW)
    assert (diff.added, diff.removed, diff.unchanged, diff.rejected) == (2, 0, 0, ())
    assert store.synced_kids() == {a.kid, b.kid}
    assert {r["origin"] for r in store.rows()} == {"sync"}

    later = NOW + timedelta(hours=1)
    diff = store.apply_sync([], {a.kid}, version=4, now=later)
    assert (diff.added, diff.removed) == (0, 1)
    assert store.synced_kids() == {a.kid}
    assert not store.index().signers_for(b.kid)
    assert store.was_removed(b.kid)
    assert not store.was_removed(a.kid)
    assert not store.was_removed(signers[2].kid), "never known is not the same as withdrawn"
    (removed,) = store.removed_rows()
    assert removed["kid"] == kid_text(b.kid) and removed["version"] == 4
    assert removed["removed_at"] == later.isoformat()


def test_a_kid_that_comes_back_is_no_longer_removed(cache: CacheDatabase, signers):
    store = SignerCache(cache)
    a = signers[0]
    store.apply_sync([a.der], {a.kid}, version=1, now=NOW)
    store.apply_sync([], set(), version=2, now=NOW)
    assert store.was_removed(a.kid)
    diff = store.apply_sync([a.der], {a.kid}, version=3, now=NOW)
    assert diff.added == 1
    assert not store.was_removed(a.kid)
    assert store.removed_rows() == []


def test_sync_never_withdraws_a_manually_imported_certificate(cache: CacheDatabase, signers):
    store = SignerCache(cache)
    store.import_der([signers[2].der], "operator.pem")
    store.apply_sync([signers[0].der], {signers[0].kid}, version=1, now=NOW)
    diff = store.apply_sync([], set(), version=2, now=NOW)
    assert diff.removed == 1
    assert [r["origin"] for r in store.rows()] == ["manual"]
    assert store.index().signers_for(signers[2].kid)


def test_sync_counts_held_certificates_and_rejects_unlisted_or_broken_ones(
    cache: CacheDatabase, signers
):
    store = SignerCache(cache)
    a, b = signers[0], signers[1]
    store.apply_sync([a.der], {a.kid}, version=1, now=NOW)
    diff = store.apply_sync([a.der, b.der, b"\x30\x00"], {a.kid}, version=2, now=NOW)
    assert (diff.added, diff.removed, diff.unchanged) == (0, 0, 1)
    assert len(diff.rejected) == 2
    assert any("not in the list of valid signers" in reason for reason in diff.rejected)
    assert not store.index().signers_for(b.kid)


def test_withdrawal_is_undone_with_the_transaction(cache: CacheDatabase, signers):
    store = SignerCache(cache)
    store.apply_sync([signers[0].der], {signers[0].kid}, version=1, now=NOW)
    before = cache.content_digest()
    with pytest.raises(RuntimeError), cache.transaction():
        store.apply_sync([signers[1].der], {signers[1].kid}, version=2, now=NOW)
        assert store.was_removed(signers[0].kid)
        raise RuntimeError("the sync-state write failed")
    assert cache.content_digest() == before
    assert not store.was_removed(signers[0].kid)


def test_the_trust_store_api_reads_and_writes_the_cache_signer_table(tmp_path: Path, signers):
    path = trust_db_path(tmp_path)
    with SqliteTrustStore(path) as store:
        assert store.import_der([signers[0].der], "demo").added == 1
    with open_cache(path) as cache:
        synced = SignerCache(cache)
        synced.apply_sync([signers[1].der], {signers[1].kid}, version=1, now=NOW)
    with SqliteTrustStore(path) as store:
        assert {r["origin"] for r in store.rows()} == {"manual", "sync"}
        assert len(store.index()) == 2
        assert len(store.certificates()) == 2
