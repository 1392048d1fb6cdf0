"""Revocation bundles: snapshots, deltas with removals, pinned paging and version errors."""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime, timedelta

import pytest

from station.issuer.dcc import issue_dcc, vaccination_payload
from station.verify.revocation import HashType, revocation_hashes_for_text
from sync.hub import RevocationEntry, paging, revocations

pytest_plugins = ["hub_fixtures"]

KID = b"\x01\x02\x03\x04\x05\x06\x07\x08"
EXPIRY = datetime(2027, 1, 1, tzinfo=UTC)


def _entry(n: int, kind: HashType = HashType.UCI, kid: bytes | None = KID) -> RevocationEntry:
    return RevocationEntry(kid, kind, n.to_bytes(16, "big"), EXPIRY if n % 2 else None)


def _flatten(groups: list[dict]) -> set[tuple[str, str, int]]:
    """Every hash in the wire groups as (kid, type, number)."""
    found = set()
    for group in groups:
        raw = base64.b64decode(group["hashes"])
        assert len(raw) % 16 == 0
        for i in range(0, len(raw), 16):
            found.add((group["kid"], group["hash_type"], int.from_bytes(raw[i : i + 16], "big")))
    return found


def _all_pages(client, **params) -> tuple[list, set, set]:
    first = client.bundle("revocations", **params)
    pages = [first]
    for page in range(1, first.payload["pages"]):
        pages.append(client.bundle("revocations", **params, page=page, version=first.version))
    added = set().union(*(_flatten(p.payload["added"]) for p in pages))
    removed = set().union(*(_flatten(p.payload["removed"]) for p in pages))
    return pages, added, removed


def test_a_snapshot_lists_every_current_entry_in_groups(hub, client):
    hub.publish_revocations([_entry(1), _entry(2), _entry(3, HashType.SIGNATURE, None)])
    bundle = client.bundle("revocations")
    payload = bundle.payload
    assert (bundle.version, payload["since"], payload["snapshot"]) == (1, 0, True)
    assert (payload["page"], payload["pages"], payload["removed"]) == (0, 1, [])
    kid = base64.b64encode(KID).decode()
    assert _flatten(payload["added"]) == {
        (kid, "UCI", 1),
        (kid, "UCI", 2),
        ("UNKNOWN_KID", "SIGNATURE", 3),
    }
    expiries = {g["hash_type"] + str(g["expires"]) for g in payload["added"]}
    assert expiries == {"UCI2027-01-01T00:00:00Z", "UCINone", "SIGNATURE2027-01-01T00:00:00Z"}


def test_a_delta_carries_additions_and_removals_since_a_version(hub, client):
    kid = base64.b64encode(KID).decode()
    hub.publish_revocations([_entry(1), _entry(2), _entry(3)])  # v1
    hub.publish_revocations([_entry(4)])  # v2
    hub.unpublish_revocations([_entry(2)])  # v3
    assert hub.version("revocations") == 3
    _pages, added, removed = _all_pages(client, since=1)
    assert (added, removed) == ({(kid, "UCI", 4)}, {(kid, "UCI", 2)})
    _pages, added, removed = _all_pages(client, since=3)
    assert (added, removed) == (set(), set())
    hub.unpublish_revocations([_entry(1)])  # v4
    hub.publish_revocations([_entry(1)])  # v5: back again, so not a removal since v3
    hub.publish_revocations([_entry(9)])  # v6
    hub.unpublish_revocations([_entry(9)])  # v7: came and went, so invisible since v5
    pages, added, removed = _all_pages(client, since=3)
    assert pages[0].payload["snapshot"] is False and pages[0].version == 7
    assert (added, removed) == ({(kid, "UCI", 1)}, set())
    _pages, added, _removed = _all_pages(client)
    assert added == {(kid, "UCI", n) for n in (1, 3, 4)}


def test_republishing_a_current_entry_changes_nothing(hub):
    assert hub.publish_revocations([_entry(1)]) == 1
    assert hub.publish_revocations([_entry(1), _entry(1)]) == 0
    assert hub.unpublish_revocations([_entry(7)]) == 0
    assert hub.version("revocations") == 1


def test_later_pages_describe_the_version_of_page_zero(hub, client):
    hub.publish_revocations(_entry(n) for n in range(10))  # page size 4: 3 pages
    first = client.bundle("revocations")
    assert (first.version, first.payload["pages"]) == (1, 3)
    hub.publish_revocations(_entry(n) for n in range(10, 20))
    rest = [client.bundle("revocations", page=p, version=1) for p in (1, 2)]
    assert all(page.version == 1 and page.payload["pages"] == 3 for page in rest)
    hashes = set().union(*(_flatten(b.payload["added"]) for b in [first, *rest]))
    assert {n for _k, _t, n in hashes} == set(range(10))
    assert sum(len(_flatten(b.payload["added"])) for b in [first, *rest]) == 10
    assert client.bundle("revocations", page=1).version == 2


def test_page_and_version_errors(hub, client):
    hub.publish_revocations(_entry(n) for n in range(6))
    beyond = client.get("/station/v1/bundles/revocations", params={"page": 2})
    assert (beyond.status_code, beyond.json()["code"]) == (404, "PAGE_NOT_FOUND")
    future = client.get("/station/v1/bundles/revocations", params={"page": 1, "version": 5})
    assert (future.status_code, future.json()["code"]) == (409, "VERSION_GONE")
    junk = client.get("/station/v1/bundles/revocations", params={"since": "abc"})
    assert (junk.status_code, junk.json()["code"]) == (400, "BAD_QUERY")
    negative = client.get("/station/v1/bundles/revocations", params={"page": "-1"})
    assert negative.json()["code"] == "BAD_QUERY"


def test_a_station_ahead_of_the_hub_gets_the_current_version(hub, client):
    hub.publish_revocations([_entry(1)])
    bundle = client.bundle("revocations", since=40)
    assert (bundle.version, bundle.payload["since"], bundle.payload["snapshot"]) == (1, 40, True)


def test_pruned_tombstones_turn_old_deltas_into_snapshots(hub, client):
    hub.publish_revocations([_entry(1), _entry(2)])  # v1
    hub.unpublish_revocations([_entry(1)])  # v2
    hub.publish_revocations([_entry(3)])  # v3
    assert hub.prune_revocation_tombstones(2) == 1
    old = client.bundle("revocations", since=1)
    assert old.payload["snapshot"] is True
    recent = client.bundle("revocations", since=2)
    assert recent.payload["snapshot"] is False
    gone = client.get("/station/v1/bundles/revocations", params={"version": 1})
    assert gone.json()["code"] == "VERSION_GONE"
    assert hub.prune_revocation_tombstones(1) == 0


def test_a_pass_is_revoked_by_all_three_of_its_hashes(hub, client, es256_signer):
    now = datetime.now(UTC)
    text = issue_dcc(
        es256_signer, vaccination_payload(), issued_at=now, expires=now + timedelta(days=30)
    )
    kid, hashes = revocation_hashes_for_text(text)
    assert hub.revoke_pass(text, expires=now + timedelta(days=30)) == 3
    wire = {
        (base64.b64encode(kid).decode(), kind.name, int.from_bytes(digest, "big"))
        for kind, digest in hashes.items()
    }
    assert _flatten(client.bundle("revocations").payload["added"]) == wire
    assert hub.unrevoke_pass(text) == 3
    assert _flatten(client.bundle("revocations", since=1).payload["removed"]) == wire


def test_bad_entries_are_refused_before_anything_is_written(hub):
    with pytest.raises(ValueError):
        hub.publish_revocations([_entry(1), RevocationEntry(KID, HashType.UCI, b"short")])
    with pytest.raises(ValueError):
        hub.publish_revocations([RevocationEntry("not base64!", HashType.UCI, bytes(16))])
    assert hub.version("revocations") == 0


def test_a_small_delta_over_many_entries_is_served_quickly(tmp_path):
    from sync.hub import Hub, HubConfig

    config = HubConfig(kdf_memory_kib=8192, kdf_iterations=1)
    with Hub(tmp_path / "big.sqlite", config) as hub:
        hub.publish_revocations(_entry(n) for n in range(60_000))
        hub.publish_revocations(_entry(n) for n in range(60_000, 61_000))
        started = time.perf_counter()
        bundle = hub.revocations_bundle(paging.PageRequest(since=1))
        elapsed = time.perf_counter() - started
    assert len(_flatten(bundle.payload["added"])) == 1000
    assert elapsed < 1.0


def test_delta_queries_use_the_version_indexes(hub):
    sql = paging._rows_sql(revocations.TABLE, snapshot=False)
    with hub.read() as conn:
        plan = conn.execute(
            "EXPLAIN QUERY PLAN " + sql, {"v": 1, "t": 2, "start": 0, "n": 10}
        ).fetchall()
    details = " | ".join(str(row[-1]) for row in plan)
    assert "USING INDEX revocations_added" in details
    assert "USING INDEX revocations_removed" in details
    assert "SCAN revocations" not in details.replace("SCAN revocations USING", "")
