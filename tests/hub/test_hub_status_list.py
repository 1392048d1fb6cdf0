"""Status-list bundles: KDF parameters, upserts, removals, paging and salt rotation."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from station.cache.status_key import KdfParams, derive_status_key
from sync.hub import StatusEntry

pytest_plugins = ["hub_fixtures"]

ALICE, BOB = "001234567890", "098765432100"


def _key(bundle, id_number: str) -> str:
    params = KdfParams.from_json(bundle.payload["kdf"])
    return base64.b64encode(derive_status_key(id_number, params)).decode()


def test_the_bundle_names_its_kdf_and_keys_derive_from_it(hub, client):
    hub.publish_status(ALICE, flags=1)
    bundle = client.bundle("status-list")
    kdf = bundle.payload["kdf"]
    assert kdf["algorithm"] == "argon2id"
    assert (kdf["memory_kib"], kdf["iterations"]) == (8192, 1)
    assert len(base64.b64decode(kdf["salt"])) >= 16
    assert KdfParams.from_json(kdf) == hub.status_kdf()
    assert bundle.payload["added"] == [
        {"key": _key(bundle, ALICE), "flags": 1, "valid_until": None}
    ]
    assert (bundle.version, bundle.payload["snapshot"]) == (1, True)


def test_changes_are_upserts_and_removals_are_keys(hub, client):
    until = datetime(2027, 3, 1, tzinfo=UTC)
    assert hub.publish_status(ALICE, flags=1)  # v1
    assert not hub.publish_status("0012 3456 7890", flags=1)  # same person, same flags
    assert hub.version("status-list") == 1
    hub.publish_status(ALICE, flags=2, valid_until=until)  # v2
    hub.publish_status(BOB, flags=4)  # v3
    delta = client.bundle("status-list", since=1)
    alice, bob = _key(delta, ALICE), _key(delta, BOB)
    assert delta.payload["added"] == [
        {"key": alice, "flags": 2, "valid_until": "2027-03-01T00:00:00Z"},
        {"key": bob, "flags": 4, "valid_until": None},
    ]
    assert delta.payload["removed"] == [] and delta.payload["snapshot"] is False
    assert hub.remove_status(ALICE)  # v4
    assert not hub.remove_status(ALICE)
    after = client.bundle("status-list", since=3)
    assert (after.payload["added"], after.payload["removed"]) == ([], [alice])
    snapshot = client.bundle("status-list")
    assert [entry["key"] for entry in snapshot.payload["added"]] == [bob]


def test_the_hub_never_stores_an_id_number(hub):
    hub.publish_status(ALICE, flags=1)
    stored = hub.path.read_bytes() + hub.path.with_name("hub.sqlite-wal").read_bytes()
    assert ALICE.encode() not in stored
    with pytest.raises(ValueError):
        hub.publish_status("12AB", flags=1)


def test_salt_rotation_empties_the_list_and_forces_a_snapshot(hub, client):
    hub.publish_status(ALICE, flags=1)  # v1
    old = client.bundle("status-list")
    hub.rotate_status_salt()  # v2
    rotated = client.bundle("status-list", since=1)
    assert (rotated.version, rotated.payload["snapshot"], rotated.payload["added"]) == (2, True, [])
    assert rotated.payload["kdf"]["salt"] != old.payload["kdf"]["salt"]
    hub.publish_status(ALICE, flags=1)  # v3
    fresh = client.bundle("status-list", since=2)
    assert fresh.payload["snapshot"] is False
    assert fresh.payload["added"][0]["key"] != old.payload["added"][0]["key"]
    assert client.bundle("status-list", since=1).payload["snapshot"] is True
    gone = client.get("/station/v1/bundles/status-list", params={"version": 1})
    assert (gone.status_code, gone.json()["code"]) == (409, "VERSION_GONE")


def test_status_pages_are_pinned_to_one_version(hub, client):
    keys = [bytes([n]) * 16 for n in range(9)]
    hub.publish_status_entries(StatusEntry(key, 1) for key in keys)  # page size 4: 3 pages
    first = client.bundle("status-list")
    hub.publish_status_entries([StatusEntry(bytes([99]) * 16, 1)])
    rest = [client.bundle("status-list", page=p, version=first.version) for p in (1, 2)]
    seen = [e["key"] for page in [first, *rest] for e in page.payload["added"]]
    assert seen == [base64.b64encode(key).decode() for key in keys]
    beyond = client.get("/station/v1/bundles/status-list", params={"page": 3, "version": 1})
    assert beyond.json()["code"] == "PAGE_NOT_FOUND"


def test_bad_entries_are_refused(hub):
    with pytest.raises(ValueError):
        hub.publish_status_entries([StatusEntry(b"short", 1)])
    with pytest.raises(ValueError):
        hub.publish_status_entries([StatusEntry(bytes(16), -1)])
    assert hub.version("status-list") == 0
