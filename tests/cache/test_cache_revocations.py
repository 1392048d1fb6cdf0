"""The revocation list in the cache: matching by kid or UNKNOWN_KID and hash type, deltas,
snapshots, idempotent inserts and purging."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from station.cache.database import CacheDatabase, open_cache
from station.cache.revocations import (
    UNKNOWN_KID,
    RevocationCache,
    RevocationEntry,
    RevocationHit,
)
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.issuer.pki import make_signer
from station.verify.revocation import HashType, revocation_hashes_for_text, truncated_sha256

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
KID = bytes.fromhex("0102030405060708")
OTHER_KID = bytes.fromhex("1112131415161718")


def h(label: str) -> bytes:
    return truncated_sha256(label.encode())


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[CacheDatabase]:
    opened = open_cache(tmp_path / "cache.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def revocations(cache: CacheDatabase) -> RevocationCache:
    return RevocationCache(cache)


def test_entry_for_the_pass_kid_matches(revocations: RevocationCache):
    revocations.apply([RevocationEntry(KID, HashType.UCI, h("uci"))], [], snapshot=False)
    hit = revocations.find(KID, {HashType.UCI: h("uci")})
    assert hit == RevocationHit(KID, HashType.UCI, h("uci"))
    assert revocations.find(OTHER_KID, {HashType.UCI: h("uci")}) is None


def test_unknown_kid_entry_matches_any_kid(revocations: RevocationCache):
    revocations.apply([RevocationEntry(UNKNOWN_KID, HashType.SIGNATURE, h("s"))], [], False)
    for kid in (KID, OTHER_KID, b""):
        hit = revocations.find(kid, {HashType.SIGNATURE: h("s")})
        assert hit == RevocationHit(b"", HashType.SIGNATURE, h("s"))


def test_the_hash_type_must_match_too(revocations: RevocationCache):
    revocations.apply([RevocationEntry(KID, HashType.COUNTRYCODEUCI, h("x"))], [], False)
    assert revocations.find(KID, {HashType.UCI: h("x"), HashType.SIGNATURE: h("x")}) is None
    assert revocations.find(KID, {HashType.COUNTRYCODEUCI: h("x")}) is not None


def test_uci_is_reported_before_countrycodeuci_before_signature(revocations: RevocationCache):
    hashes = {HashType.UCI: h("u"), HashType.COUNTRYCODEUCI: h("c"), HashType.SIGNATURE: h("s")}
    entries = [RevocationEntry(UNKNOWN_KID, kind, hashes[kind]) for kind in reversed(HashType)]
    revocations.apply(entries[:1], [], False)
    assert revocations.find(KID, hashes).hash_type is HashType.SIGNATURE
    revocations.apply(entries[1:2], [], False)
    assert revocations.find(KID, hashes).hash_type is HashType.COUNTRYCODEUCI
    revocations.apply(entries[2:], [], False)
    assert revocations.find(KID, hashes).hash_type is HashType.UCI


def test_a_real_pass_is_found_by_its_own_hashes(revocations: RevocationCache):
    signer = make_signer(not_before=NOW - timedelta(days=10))
    text = issue_dcc(signer, vaccination_payload(), issued_at=NOW, expires=NOW + timedelta(1))
    kid, hashes = revocation_hashes_for_text(text)
    assert kid == signer.kid and set(hashes) == set(HashType)
    assert revocations.find(signer.kid, hashes) is None
    entry = RevocationEntry(signer.kid, HashType.SIGNATURE, hashes[HashType.SIGNATURE])
    revocations.apply([entry], [], False)
    assert revocations.find(signer.kid, hashes) == RevocationHit(
        signer.kid, HashType.SIGNATURE, hashes[HashType.SIGNATURE]
    )


def test_inserts_are_idempotent_and_removals_delete(revocations: RevocationCache):
    entries = [RevocationEntry(KID, HashType.UCI, h(str(i))) for i in range(5)]
    assert revocations.apply(iter(entries), iter(()), False) == (5, 0)
    assert revocations.apply(iter(entries + entries), iter(()), False) == (0, 0)
    assert revocations.count() == 5
    gone = [entries[0], RevocationEntry(OTHER_KID, HashType.UCI, h("0"))]
    assert revocations.apply([], gone, False) == (0, 1)
    assert revocations.find(KID, {HashType.UCI: h("0")}) is None
    assert revocations.count() == 4


def test_a_changed_expiry_is_updated(revocations: RevocationCache, cache: CacheDatabase):
    entry = RevocationEntry(KID, HashType.UCI, h("e"), NOW)
    revocations.apply([entry], [], False)
    later = RevocationEntry(KID, HashType.UCI, h("e"), NOW + timedelta(days=1))
    assert revocations.apply([later], [], False) == (1, 0)
    expires = cache.conn.execute("SELECT expires FROM revocations").fetchone()[0]
    assert expires == int((NOW + timedelta(days=1)).timestamp())


def test_a_snapshot_replaces_everything(revocations: RevocationCache):
    revocations.apply([RevocationEntry(KID, HashType.UCI, h(str(i))) for i in range(3)], [], False)
    fresh = [RevocationEntry(UNKNOWN_KID, HashType.SIGNATURE, h("new"))]
    ignored = [RevocationEntry(UNKNOWN_KID, HashType.SIGNATURE, h("new"))]
    assert revocations.apply(fresh, ignored, snapshot=True) == (1, 3)
    assert revocations.count() == 1
    assert revocations.find(KID, {HashType.UCI: h("0")}) is None
    assert revocations.find(KID, {HashType.SIGNATURE: h("new")}) is not None


def test_purge_deletes_only_what_has_expired(revocations: RevocationCache):
    entries = [
        RevocationEntry(KID, HashType.UCI, h("past"), NOW - timedelta(seconds=1)),
        RevocationEntry(KID, HashType.UCI, h("now"), NOW),
        RevocationEntry(KID, HashType.UCI, h("future"), NOW + timedelta(seconds=1)),
        RevocationEntry(KID, HashType.UCI, h("never"), None),
    ]
    revocations.apply(entries, [], False)
    assert revocations.purge_expired(NOW) == 2
    left = {e.hash for e in entries if revocations.find(KID, {HashType.UCI: e.hash})}
    assert left == {h("future"), h("never")}


def test_rows_are_small(revocations: RevocationCache, cache: CacheDatabase):
    revocations.apply([RevocationEntry(KID, HashType.UCI, h("a"), NOW)], [], False)
    row = cache.conn.execute(
        "SELECT typeof(hash), length(hash), typeof(kid), length(kid), typeof(hash_type),"
        " typeof(expires) FROM revocations"
    ).fetchone()
    assert row == ("blob", 16, "blob", 8, "integer", "integer")


@pytest.mark.parametrize(
    "kid, digest, kind, expires",
    [
        (KID, b"\x00" * 15, HashType.UCI, None),
        (KID, hashlib.sha256(b"x").digest(), HashType.UCI, None),
        (b"\x01" * 7, b"\x00" * 16, HashType.UCI, None),
        (KID, b"\x00" * 16, 4, None),
        (KID, b"\x00" * 16, HashType.UCI, datetime(2026, 1, 1)),
    ],
    ids=["hash-15", "hash-32", "kid-7", "hash-type-4", "naive-expiry"],
)
def test_malformed_entries_are_refused(kid, digest, kind, expires):
    with pytest.raises(ValueError):
        RevocationEntry(kid, kind, digest, expires)


def test_a_failure_halfway_through_a_large_apply_changes_nothing(
    revocations: RevocationCache, cache: CacheDatabase
):
    revocations.apply([RevocationEntry(KID, HashType.UCI, h("held"))], [], False)
    before = cache.content_digest()

    def entries() -> Iterator[RevocationEntry]:
        for i in range(200_000):
            if i == 100_000:
                raise ConnectionError("the page stream broke off")
            yield RevocationEntry(UNKNOWN_KID, HashType.SIGNATURE, h(f"bulk{i}"))

    for snapshot in (False, True):
        with pytest.raises(ConnectionError):
            revocations.apply(entries(), [], snapshot=snapshot)
        assert not cache.conn.in_transaction
        assert cache.content_digest() == before
    assert revocations.count() == 1
