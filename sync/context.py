"""What every source's sync step needs: the backend, the cache, the pinned keys and the time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec

from station.cache.database import CacheDatabase
from station.cache.sync_state import SourceState, SyncStateStore
from station.clock_trust import record_reference_time
from station.ports import Clock
from sync.bundle import Bundle, KeyNotPinned, key_id, load_public_key, verify_bundle
from sync.errors import (
    ClockSuspectError,
    DataExpired,
    DataInvalid,
    HttpStatusError,
    RollbackAttempt,
    SignatureRejected,
)
from sync.http import BackendClient

#: How far a bundle's issue time may lie ahead of the station's clock before the clock, not the
#: data, is taken to be wrong (hub and station clocks drift apart by minutes, not hours).
CLOCK_TOLERANCE = timedelta(hours=1)
KEYS_PATH = "station/v1/keys"


@dataclass(frozen=True, slots=True)
class SyncContext:
    """The collaborators of one sync run (one backend, one cache)."""

    client: BackendClient
    cache: CacheDatabase
    #: Key id → public key; updated in place when the hub announces a rotated key.
    pinned_keys: dict[str, ec.EllipticCurvePublicKey]
    clock: Clock
    #: Called with the new key list (PEM) after a rotation was adopted, to persist the pins.
    on_new_keys: Callable[[list[str]], None] | None = None
    #: The station's data folder, where the clock evidence and the authority's sealing key are
    #: kept; None (tests that only sync the cache) records neither.
    data_dir: Path | None = None

    def now(self) -> datetime:
        return self.clock.now()

    def state(self, source: str) -> SourceState | None:
        return SyncStateStore(self.cache).get(source)

    def verified_bundle(self, token: bytes, source: str) -> Bundle:
        """A bundle signed by a pinned key, of `source`, not past its expiry date, and not dated
        after the station's clock (which then is what is wrong, and is reported so)."""
        try:
            bundle = verify_bundle(token, self.pinned_keys, source)
        except KeyNotPinned as exc:
            if not adopt_announced_key(self, exc.key_id):
                raise
            bundle = verify_bundle(token, self.pinned_keys, source)
        if bundle.issued_at > self.now() + CLOCK_TOLERANCE:
            raise ClockSuspectError(
                f"the {source} data is dated {bundle.issued_at:%Y-%m-%d %H:%M}, after this "
                "station's clock"
            )
        if self.data_dir is not None:
            record_reference_time(
                self.data_dir,
                local_now=self.now(),
                reference=bundle.issued_at,
                source="hub-signed",
            )
        if bundle.expires_at <= self.now():
            raise DataExpired(
                f"{source} version {bundle.version} expired {bundle.expires_at:%Y-%m-%d}"
            )
        return bundle


def adopt_announced_key(ctx: SyncContext, wanted: str) -> bool:
    """Learn the hub's rotated key from an announcement signed by a key already pinned.

    Returns True when `wanted` is now pinned. The announcement replaces the pins with the
    published set (new and previous key), so a retired key stops being trusted once the hub
    stops publishing it.
    """
    for pinned_id, pinned_key in list(ctx.pinned_keys.items()):
        try:
            token = ctx.client.get(KEYS_PATH, params={"signed_by": pinned_id}).body
            announced = verify_bundle(token, {pinned_id: pinned_key}, "hub-keys")
        except (HttpStatusError, SignatureRejected, DataInvalid):
            continue
        pems = announced.payload.get("keys")
        if not isinstance(pems, list) or not pems:
            continue
        keys = {key_id(k): k for k in (load_public_key(str(p).encode("ascii")) for p in pems)}
        if wanted not in keys:
            return False
        ctx.pinned_keys.clear()
        ctx.pinned_keys.update(keys)
        if ctx.on_new_keys is not None:
            ctx.on_new_keys([str(p) for p in pems])
        return True
    return False


def require_not_older(source: str, offered: int, held: int | None) -> None:
    """Refuse data older than what the cache already holds (a replayed, correctly signed list)."""
    if held is not None and offered < held:
        raise RollbackAttempt(f"{source}: offered version {offered}, the station has {held}")


@dataclass(frozen=True, slots=True)
class SourceResult:
    """What one source's successful sync changed."""

    source: str
    version: int | None
    added: int = 0
    removed: int = 0
    unchanged: bool = False

    def summary(self) -> str:
        if self.unchanged:
            return f"{self.source}: up to date (version {self.version})"
        return f"{self.source}: version {self.version}, +{self.added} −{self.removed}"
