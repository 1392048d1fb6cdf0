"""The hub's current revocation entries as an EU revocation distribution service (DRL) dataset.

A dataset is built from one snapshot of the revocation table and named by its version, which is
also the dataset's ETag: a request pinned to another ETag gets 412. Per kid (UNKNOWN_KID
included) the distinct hashes of every hash type pick the partitioning mode by count, are filed
by hex prefix into partitions and chunks, and within a chunk grouped by expiry truncated to the
minute; each group becomes one slice. Entries without an expiry get `NO_EXPIRY`; entries already
expired when the dataset is built are left out, as the EU service drops them at recomputation.

`lastUpdated` of a partition moves only when its content changes: a partition equal to the
previous dataset's keeps its time, a new or changed one gets the time this dataset was built.
Stations therefore re-read only kids that changed, and within them only changed slices.

The layout (what is filed where) is built once per version; slices are built per filter type and
kid on first request and kept until the version moves on, so repeated requests cost a lookup.
All of it is held in memory, which suits the hub's scale (a few million entries at most).
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import groupby
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from station.cache.drl_filters import (
    DEFAULT_PROBABILITY,
    FIXED_BITS,
    POINT_MAX,
    VECTOR_MAX,
    FilterType,
    PartitionMode,
    address,
    build_bloom,
    build_varhash,
    mode_for,
)
from station.verify.revocation import HashType
from sync.hub.revocations import UNKNOWN_KID
from sync.hub.store import current_version, parse_instant, utc_iso

if TYPE_CHECKING:
    from sync.hub.hub import Hub

SOURCE = "revocations"
#: The expiry served for entries that have none (the EU format needs a date per slice).
NO_EXPIRY = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
_ROWS = (
    "SELECT kid, hash_type, hash, expires FROM revocations "
    "WHERE removed_version IS NULL AND (expires IS NULL OR expires > ?) ORDER BY kid"
)

#: (chunk id, expiry) → the hashes filed there.
Groups = Mapping[tuple[str, datetime], tuple[bytes, ...]]


@dataclass(frozen=True, slots=True)
class DrlSettings:
    """How the hub cuts and encodes its lists (thresholds injectable for tests)."""

    probability: float = DEFAULT_PROBABILITY
    default_filter: FilterType = FilterType.BLOOMFILTER
    point_max: int = POINT_MAX
    vector_max: int = VECTOR_MAX


@dataclass(frozen=True, slots=True)
class Partition:
    """One partition: `path_id` is its id in URLs ("null" in POINT mode)."""

    path_id: str
    x: str | None
    y: str | None
    groups: Groups
    fingerprint: bytes
    last_updated: datetime
    expired: datetime


@dataclass(frozen=True, slots=True)
class KidList:
    """One kid's list: `kid` as `/lists` names it, `path` as URLs do (base64url)."""

    kid: str
    path: str
    mode: PartitionMode
    hash_types: tuple[HashType, ...]
    expires: datetime
    last_updated: datetime
    partitions: Mapping[str, Partition]


@dataclass(frozen=True, slots=True)
class Layout:
    """The dataset of one revocation version, by kid path; `stamp` is the `lastUpdated` it gave
    whatever changed in it."""

    version: int
    lists: Mapping[str, KidList]
    stamp: datetime

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


@dataclass(frozen=True, slots=True)
class Slice:
    sid: str
    data: bytes


class DrlPublisher:
    """The current dataset of one hub and the slices built for it (thread-safe)."""

    def __init__(self, hub: Hub, settings: DrlSettings | None = None) -> None:
        self.hub = hub
        self.settings = settings or DrlSettings()
        self._lock = threading.Lock()
        self._layout: Layout | None = None
        self._slices: dict[tuple[FilterType, str, str], Mapping[tuple[str, datetime], Slice]] = {}

    def layout(self) -> Layout:
        """The dataset of the hub's current revocation version (built on first use)."""
        version = self.hub.version(SOURCE)
        with self._lock:
            if self._layout is None or self._layout.version != version:
                with self.hub.read() as conn:
                    self._layout = build_layout(conn, self.settings, self._layout, self.hub.now())
                self._slices = {}
            return self._layout

    def slices(
        self, layout: Layout, filter_type: FilterType, kid: KidList, partition: Partition
    ) -> Mapping[tuple[str, datetime], Slice]:
        """The partition's slices in `filter_type`, built once per dataset."""
        key = (filter_type, kid.path, partition.path_id)
        with self._lock:
            if layout is not self._layout:
                return build_slices(partition, kid.mode, filter_type, self.settings)
            built = self._slices.get(key)
            if built is None:
                built = build_slices(partition, kid.mode, filter_type, self.settings)
                self._slices[key] = built
            return built


_PUBLISHERS: WeakKeyDictionary[Hub, DrlPublisher] = WeakKeyDictionary()
_REGISTRY = threading.Lock()


def publisher(hub: Hub) -> DrlPublisher:
    """The hub's DRL publisher (default settings unless `configure` was called)."""
    with _REGISTRY:
        found = _PUBLISHERS.get(hub)
        if found is None:
            found = _PUBLISHERS[hub] = DrlPublisher(hub)
        return found


def configure(hub: Hub, settings: DrlSettings) -> DrlPublisher:
    """Serve the hub's DRL with these settings from now on (tests, benches, deployments)."""
    with _REGISTRY:
        _PUBLISHERS[hub] = DrlPublisher(hub, settings)
        return _PUBLISHERS[hub]


def build_layout(
    conn: Any, settings: DrlSettings, previous: Layout | None, now: datetime
) -> Layout:
    """Every current, unexpired entry filed by kid, partition, chunk and expiry minute."""
    stamp = _stamp(previous, now)
    lists: dict[str, KidList] = {}
    for kid, rows in groupby(conn.execute(_ROWS, (utc_iso(now),)), key=lambda r: str(r[0])):
        path = kid_path(kid)
        before = previous.lists.get(path) if previous else None
        lists[path] = _kid_list(kid, path, rows, settings, before, stamp)
    return Layout(current_version(conn, SOURCE), lists, stamp)


def _stamp(previous: Layout | None, now: datetime) -> datetime:
    """The `lastUpdated` of whatever changed in this dataset: now, in milliseconds, and later
    than every time the previous dataset handed out.

    Clients decide by equality whether to re-read a kid, so two datasets built within the same
    millisecond (or second, had seconds been used) must still differ. A restarted hub has no
    previous dataset; its clock has moved past the old times, so every kid looks changed once
    and stations re-read partitions, though not unchanged slices.
    """
    stamp = now.astimezone(UTC).replace(microsecond=now.microsecond // 1000 * 1000)
    if previous is not None:
        stamp = max(stamp, previous.stamp + timedelta(milliseconds=1))
    return stamp


def _kid_list(
    kid: str,
    path: str,
    rows: Iterable[tuple[Any, ...]],
    settings: DrlSettings,
    before: KidList | None,
    stamp: datetime,
) -> KidList:
    latest, kinds = _latest_expiries(rows)
    mode = mode_for(len(latest), point_max=settings.point_max, vector_max=settings.vector_max)
    filed: dict[str, dict[tuple[str, datetime], list[bytes]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for digest, when in latest.items():
        where = address(digest, mode)
        filed[where.x + where.y or "null"][(where.chunk, when)].append(digest)
    earlier = before.partitions if before is not None and before.mode is mode else {}
    partitions = {
        path_id: _partition(path_id, mode, groups, earlier.get(path_id), stamp)
        for path_id, groups in sorted(filed.items())
    }
    kept = bool(earlier) and set(earlier) == set(partitions)
    return KidList(
        kid=kid,
        path=path,
        mode=mode,
        hash_types=tuple(sorted(kinds)),
        expires=max(p.expired for p in partitions.values()),
        last_updated=max(p.last_updated for p in partitions.values()) if kept else stamp,
        partitions=partitions,
    )


def _latest_expiries(
    rows: Iterable[tuple[Any, ...]],
) -> tuple[dict[bytes, datetime], set[HashType]]:
    """Each distinct hash with its latest expiry (minute), and the hash types seen.

    The EU lists file hashes of every type together; a hash listed under two types is one
    entry, kept as long as either listing lasts.
    """
    latest: dict[bytes, datetime] = {}
    kinds: set[HashType] = set()
    for _kid, hash_type, digest, expires in rows:
        kinds.add(HashType(hash_type))
        when = _minute(parse_instant(expires)) if expires else NO_EXPIRY
        key = bytes(digest)
        latest[key] = max(latest.get(key, when), when)
    return latest, kinds


def _partition(
    path_id: str,
    mode: PartitionMode,
    filed: Mapping[tuple[str, datetime], list[bytes]],
    before: Partition | None,
    stamp: datetime,
) -> Partition:
    groups = {key: tuple(sorted(filed[key])) for key in sorted(filed)}
    digest = hashlib.sha256()
    for (chunk, when), hashes in groups.items():
        digest.update(f"{chunk}{utc_iso(when)}{len(hashes)};".encode() + b"".join(hashes))
    fingerprint = digest.digest()
    unchanged = before is not None and before.fingerprint == fingerprint
    return Partition(
        path_id=path_id,
        x=None if mode is PartitionMode.POINT else path_id[0],
        y=path_id[1] if mode is PartitionMode.COORDINATE else None,
        groups=groups,
        fingerprint=fingerprint,
        last_updated=before.last_updated if unchanged and before else stamp,
        expired=max(when for _chunk, when in groups),
    )


def build_slices(
    partition: Partition, mode: PartitionMode, filter_type: FilterType, settings: DrlSettings
) -> dict[tuple[str, datetime], Slice]:
    """One slice per (chunk, expiry) group, named by the SHA-256 of its bytes."""
    built: dict[tuple[str, datetime], Slice] = {}
    for key, hashes in partition.groups.items():
        if filter_type is FilterType.BLOOMFILTER:
            data = build_bloom(hashes, settings.probability)
        else:
            data = build_varhash(hashes, settings.probability, FIXED_BITS[mode])
        built[key] = Slice(hashlib.sha256(data).hexdigest(), data)
    return built


def kid_path(kid: str) -> str:
    """The URL form of a list's kid: unpadded base64url, or UNKNOWN_KID as is."""
    if kid == UNKNOWN_KID:
        return kid
    return kid.replace("+", "-").replace("/", "_").rstrip("=")


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)
