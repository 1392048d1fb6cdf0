"""The cache seen as the verifier's trust sources, kept current while another process syncs.

`station sync --daemon` (or the app's sync worker) commits to the cache file while a long-lived
verifier (`station scan`, the kiosk app) reads it. SQLite's `PRAGMA data_version` changes when
another connection commits (and `total_changes` when this one writes), so each lookup costs one
cheap pragma, and the signer index and the
health summary are rebuilt only after a sync actually changed something.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from station.cache.database import CacheDatabase
from station.cache.drl import DrlCache
from station.cache.freshness import FreshnessPolicy, StationHealth, assess
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.revocations import RevocationCache
from station.cache.signers import SignerCache
from station.cache.status_list import StatusEntry, StatusListCache
from station.cache.sync_state import SyncStateStore
from station.ports import Clock, RevocationMatch, TrustSources
from station.trust.certificate import TrustedCertificate
from station.trust.index import TrustIndex
from station.verify.revocation import HashType

#: Either list being synced once makes "not revoked" a statement the station can make.
REVOCATION_SOURCES = ("revocations", "drl")
STATUS_SOURCE = "status-list"


class _CachedStatusList:
    """The status list as the `StatusLookup` port (one Argon2id derivation per lookup)."""

    def __init__(self, cache: CacheDatabase) -> None:
        self._list = StatusListCache(cache)
        self._states = SyncStateStore(cache)

    @property
    def available(self) -> bool:
        state = self._states.get(STATUS_SOURCE)
        return bool(state and state.last_success_at) or self._list.params() is not None

    def status_of(self, id_number: str) -> StatusEntry | None:
        return self._list.lookup(id_number)


@dataclass(frozen=True, slots=True)
class DrlMatch:
    """A pass found in an EU revocation filter (which says only which hash type matched)."""

    hash_type: HashType


#: Ages grow with time even when nothing is committed: recompute health at least this often.
HEALTH_TTL_S = 30.0


class CachedTrust:
    """Signer lookup, revocation lookup, withdrawn signers and data health over one cache.

    One instance per thread (SQLite connections are not shared between threads).
    """

    def __init__(
        self,
        cache: CacheDatabase,
        clock: Clock,
        *,
        expected_sources: Iterable[str] = (),
        policy: FreshnessPolicy | None = None,
    ) -> None:
        self.cache = cache
        self.clock = clock
        self.expected_sources = tuple(expected_sources)
        self.policy = policy or FreshnessPolicy()
        self._signers = SignerCache(cache)
        self._revocations = RevocationCache(cache)
        self._drl = DrlCache(cache)
        self._seen_version: tuple[int, int] | None = None
        self._index = TrustIndex()
        self._revocations_available = False
        self._health: StationHealth | None = None
        self._health_at = 0.0

    def sources(self) -> TrustSources:
        return TrustSources(
            signers=self,
            revocations=self,
            withdrawn=self,
            health=self.health,
            issuer_keys=IssuerKeyCache(self.cache),
            status_list=_CachedStatusList(self.cache),
        )

    # SignerLookup
    def signers_for(self, kid: bytes) -> Sequence[TrustedCertificate]:
        self._refresh()
        return self._index.signers_for(kid)

    # WithdrawnSigners
    def was_removed(self, kid: bytes) -> bool:
        return self._signers.was_removed(kid)

    # RevocationLookup
    @property
    def available(self) -> bool:
        self._refresh()
        return self._revocations_available

    def find(self, kid: bytes, hashes: Mapping[HashType, bytes]) -> RevocationMatch | None:
        """An exact entry of the hub's list, else a hit in the EU distribution's filters."""
        exact = self._revocations.find(kid, hashes)
        if exact is not None:
            return exact
        matched = self._drl.find(kid, hashes, self.clock.now())
        return DrlMatch(matched) if matched is not None else None

    def health(self) -> StationHealth:
        self._refresh()
        if self._health is None or time.monotonic() - self._health_at > HEALTH_TTL_S:
            states = SyncStateStore(self.cache).all()
            self._health = assess(states, self.expected_sources, self.policy, self.clock.now())
            self._health_at = time.monotonic()
        return self._health

    def _refresh(self) -> None:
        conn = self.cache.conn
        # data_version moves on commits by other connections, total_changes on this one's own.
        version = (int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes)
        if version == self._seen_version:
            return
        self._seen_version = version
        self._index = self._signers.index()
        states = SyncStateStore(self.cache)
        self._revocations_available = any(
            (state := states.get(source)) is not None and state.last_success_at is not None
            for source in REVOCATION_SOURCES
        )
        self._health = None
