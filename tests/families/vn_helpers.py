"""Helpers of the Vietnam national QR tests: invented people and a real status-list cache.

The cache is a real SQLite file filled the way a sync fills it: `StatusListCache.apply` with
Argon2id keys derived from the ID numbers (at the smallest parameters the station accepts, to
keep the tests quick) and a recorded "status-list" sync success, then read through
`CachedTrust(...).sources()` as the verifier does.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from station.adapters.clock import FixedClock
from station.cache.database import CacheDatabase
from station.cache.status_key import KdfParams, derive_status_key
from station.cache.status_list import StatusEntry, StatusFlags, StatusListCache
from station.cache.sync_state import SyncStateStore
from station.cache.trust_view import CachedTrust
from station.issuer.vn_qr import VnPerson, make_person
from station.verify.verifier import Verifier

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PARAMS = KdfParams(salt=b"vn-status-list-salt", memory_kib=8192, iterations=1)
ISSUED = date(2022, 3, 4)
LIST_VERSION = 7

#: (ID number, flags, valid_until) as the hub would publish them.
Listing = tuple[str, StatusFlags, datetime | None]


def person(seed: int = 1, *, sex: str | None = None, birth_date: date | None = None) -> VnPerson:
    """A reproducible invented person (`sex` and `birth_date` pin them)."""
    return make_person(random.Random(seed), sex=sex, birth_date=birth_date)  # type: ignore[arg-type]


def fill_status_list(cache: CacheDatabase, listings: Sequence[Listing]) -> None:
    """Load `listings` as a full snapshot and record the sync, as `station sync` does."""
    entries = [
        StatusEntry(derive_status_key(id_number, PARAMS), flags, valid_until)
        for id_number, flags, valid_until in listings
    ]
    StatusListCache(cache).apply(PARAMS, entries, [], snapshot=True)
    SyncStateStore(cache).record_success(
        "status-list", version=LIST_VERSION, now=NOW - timedelta(hours=1), item_count=len(entries)
    )


def verifier_over(cache: CacheDatabase, now: datetime = NOW) -> Verifier:
    clock = FixedClock(now)
    return Verifier(CachedTrust(cache, clock).sources(), clock)
