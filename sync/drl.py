"""Revocation lists from an EU revocation distribution service (DRL), sync-protocols §3.3.

The steps are those of the DGCA verifier app:
1. `GET lists` with `If-None-Match: <ETag held>`; 304 means nothing changed.
2. Kids no longer listed are dropped.
3. Per kid: a changed partitioning mode wipes what is held for it; a changed `lastUpdated`
   fetches its partitions with `If-Match: <ETag of the lists>`, then only the slices whose hash
   differs from the one held (whole chunks or partitions when nothing of them is held).
4. Every slice's SHA-256 must equal its name (the slice hash the partition listed) and the
   slice must parse, before it is written.
All writes of one sync and the sync-state record with the new ETag are one transaction, so the
verifier sees the old dataset or the new one, never a mix. When the backend publishes a new
dataset mid-sync, its follow-up answers are 412; the sync then starts over from the lists, once.

Partitions are asked for without `If-Modified-Since`: only the complete partition list tells the
station which chunks and slices the backend has dropped. The EU API itself signs nothing; the
station requires the lists and partition answers to carry an `X-SIGNATURE` by the hub's pinned
key (the DGCA list convention), and each slice must match the hash its signed partition names,
so even a connection that got past TLS pinning cannot inject revocation data.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence

from station.cache.drl import DrlCache, DrlKidUpdate, DrlList, DrlSlice, SliceKey
from station.cache.drl_filters import FilterType
from station.cache.sync_state import SourceState, SyncStateStore
from station.cache.timestamps import to_unix
from sync.bundle import verify_hash_string
from sync.context import SourceResult, SyncContext
from sync.drl_wire import (
    RemoteList,
    RemotePartition,
    RemoteSlice,
    TarLimits,
    parse_lists,
    parse_partitions,
    read_slice_tar,
)
from sync.errors import DataInvalid, HttpStatusError
from sync.http import HttpResponse

SOURCE = "drl"
#: Where the hub serves the API; a national backend's base URL would use "".
PREFIX = "drl/"
PRECONDITION_FAILED = 412
FILTER_TYPE_HEADER = "X-SLICE-FILTER-TYPE"


def sync_drl(
    ctx: SyncContext,
    *,
    filter_type: FilterType | None = None,
    limits: TarLimits | None = None,
    prefix: str = PREFIX,
) -> SourceResult:
    """Bring the DRL tables to the backend's current dataset (one restart on 412).

    `filter_type` asks for that slice format (the backend's default otherwise).
    """
    run = _DrlRun(ctx, filter_type, limits or TarLimits(), prefix)
    try:
        return run.sync()
    except HttpStatusError as exc:
        if exc.status != PRECONDITION_FAILED:
            raise
    return run.sync()


class _Held:
    """The slice hashes held for one kid, and which partitions (x, y) they fill."""

    def __init__(self, sids: Mapping[SliceKey, str]) -> None:
        self.sids = sids
        self.partitions = {(key.x, key.y) for key in sids}


class _DrlRun:
    """One sync attempt's requests and writes."""

    def __init__(
        self, ctx: SyncContext, filter_type: FilterType | None, limits: TarLimits, prefix: str
    ) -> None:
        self.ctx = ctx
        self.filter_type = filter_type
        self.limits = limits
        self.prefix = prefix
        self.cache = DrlCache(ctx.cache)

    def sync(self) -> SourceResult:
        state = self.ctx.state(SOURCE)
        answer = self._lists(state.etag if state else None)
        if answer is None:
            assert state is not None  # None only answers the ETag held in the state
            return self._unchanged(state)
        etag, remote = answer
        with self.ctx.cache.transaction():
            local = self.cache.lists()
            removed = self.cache.remove_kids([kid for kid in local if kid not in remote])
            added = 0
            for kid, listing in remote.items():
                written, deleted = self._sync_kid(etag, listing, local.get(kid))
                added, removed = added + written, removed + deleted
            removed += self.cache.purge_expired(self.ctx.now())
            version = etag_version(etag)
            self._record(version, etag)
        return SourceResult(SOURCE, version, added, removed)

    def _lists(self, etag: str | None) -> tuple[str, dict[bytes, RemoteList]] | None:
        """The ETag and lists, or None for 304 Not Modified."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self.ctx.client.get(self.prefix + "lists", headers=headers)
        if response.status == 304:
            return None
        new_etag = (response.header("ETag") or "").strip()
        if not new_etag:
            raise DataInvalid("the DRL list answer carries no ETag")
        verify_hash_string(self.ctx.pinned_keys, response.body, response.header("X-SIGNATURE"))
        return new_etag, parse_lists(response.json())

    def _unchanged(self, state: SourceState) -> SourceResult:
        with self.ctx.cache.transaction():
            self.cache.purge_expired(self.ctx.now())
            self._record(state.version, state.etag)
        return SourceResult(SOURCE, state.version, unchanged=True)

    def _record(self, version: int | None, etag: str | None) -> None:
        SyncStateStore(self.ctx.cache).record_success(
            SOURCE, version=version, now=self.ctx.now(), etag=etag, item_count=self.cache.count()
        )

    def _sync_kid(self, etag: str, remote: RemoteList, local: DrlList | None) -> tuple[int, int]:
        listing = remote.listing
        replace = local is not None and local.mode != listing.mode
        if local is not None and not replace and local.last_updated == listing.last_updated:
            return self.cache.apply(DrlKidUpdate(listing))
        answer = self._get(f"lists/{remote.kid_path}/partitions", etag)
        verify_hash_string(self.ctx.pinned_keys, answer.body, answer.header("X-SIGNATURE"))
        partitions = parse_partitions(answer.json(), listing)
        known = _Held({} if replace else self.cache.slice_hashes(listing.kid))
        fetched: list[DrlSlice] = []
        for partition in partitions:
            fetched += self._fetch_partition(etag, remote, partition, known)
        kept = frozenset(key for partition in partitions for key in partition.slices)
        update = DrlKidUpdate(
            listing, replace, tuple(p.partition for p in partitions), kept, tuple(fetched)
        )
        try:
            return self.cache.apply(update)
        except ValueError as exc:
            raise DataInvalid(f"a DRL slice is unusable: {exc}") from exc

    def _fetch_partition(
        self, etag: str, remote: RemoteList, part: RemotePartition, held: _Held
    ) -> list[DrlSlice]:
        """The partition's unexpired slices whose hash differs from the one held.

        Nothing held of the partition: one request for the chunks wanted. Otherwise per chunk:
        all of it when nothing of the chunk is current, else only the changed slices by hash.
        """
        now = to_unix(self.ctx.now()) or 0
        live = {key: meta for key, meta in part.slices.items() if key.expires > now}
        wanted = {key: meta for key, meta in live.items() if held.sids.get(key) != meta.sid}
        if not wanted:
            return []
        base = f"lists/{remote.kid_path}/partitions/{part.path_id}"
        if (part.partition.x, part.partition.y) not in held.partitions:
            chunks = sorted({key.chunk for key in wanted})
            return self._unpack(self._post(f"{base}/slices", chunks, etag), remote, wanted)
        found: list[DrlSlice] = []
        for chunk in sorted({key.chunk for key in wanted}):
            mine = {key: meta for key, meta in wanted.items() if key.chunk == chunk}
            path = f"{base}/chunks/{chunk}/slices"
            if len(mine) == sum(1 for key in live if key.chunk == chunk):
                answer = self._get(path, etag)
            else:
                answer = self._post(path, sorted({meta.sid for meta in mine.values()}), etag)
            found += self._unpack(answer, remote, mine)
        return found

    def _unpack(
        self, answer: HttpResponse, remote: RemoteList, wanted: Mapping[SliceKey, RemoteSlice]
    ) -> list[DrlSlice]:
        """The wanted slices out of an archive whose every member matches its hash."""
        keys: dict[tuple[str, str], list[SliceKey]] = defaultdict(list)
        for key, meta in wanted.items():
            keys[(key.chunk, meta.sid)].append(key)
        kid = remote.listing.kid
        found: dict[SliceKey, DrlSlice] = {}
        for member in read_slice_tar(answer.body, self.limits):
            if hashlib.sha256(member.data).hexdigest() != member.sid:
                raise DataInvalid("a DRL slice does not match its hash")
            if member.kid != kid:
                raise DataInvalid("the slice archive holds slices of another kid")
            for key in keys.get((member.chunk, member.sid), ()):
                meta = wanted[key]
                found[key] = DrlSlice(kid, key, meta.sid, meta.filter_type, member.data)
        if len(found) != len(wanted):
            raise DataInvalid("the backend left out slices its partition list names")
        return list(found.values())

    def _headers(self, etag: str) -> dict[str, str]:
        headers = {"If-Match": etag}
        if self.filter_type is not None:
            headers[FILTER_TYPE_HEADER] = str(self.filter_type)
        return headers

    def _get(self, path: str, etag: str) -> HttpResponse:
        return self.ctx.client.get(self.prefix + path, headers=self._headers(etag))

    def _post(self, path: str, ids: Sequence[str], etag: str) -> HttpResponse:
        return self.ctx.client.request(
            "POST", self.prefix + path, headers=self._headers(etag), json_body=list(ids)
        )


def etag_version(etag: str | None) -> int | None:
    """The dataset version an ETag names when it is a plain number (the hub's are), else None."""
    if etag is None:
        return None
    text = etag.strip().removeprefix("W/").strip('"')
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None
