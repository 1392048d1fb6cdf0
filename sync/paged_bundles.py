"""Large lists (revocations, status list) as signed, versioned, paged deltas.

The station asks for the changes since the version it holds. Page 0 fixes the target version T;
every later page is requested for T and must say so, so pages of two different versions are
never mixed. All pages are applied inside one transaction together with the new version, which
is committed only after the last page verified: an interrupted or tampered sync leaves the
cache exactly as it was, and only one page is ever held in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from station.cache.sync_state import SyncStateStore
from sync.bundle import Bundle
from sync.context import SourceResult, SyncContext, require_not_older
from sync.errors import DataInvalid, HttpStatusError

MAX_PAGES = 10_000
#: Hub status when the version pinned by page 0 can no longer be served: start over once.
VERSION_GONE = 409


@dataclass(frozen=True, slots=True)
class PageCounts:
    added: int
    removed: int


#: Applies one verified page to the cache; `first` is True for page 0.
PageApplier = Callable[[Mapping[str, Any], bool], PageCounts]


def sync_paged(ctx: SyncContext, source: str, path: str, apply_page: PageApplier) -> SourceResult:
    """Bring `source` to the hub's current version (one restart if the version moved on)."""
    try:
        return _sync_once(ctx, source, path, apply_page)
    except HttpStatusError as exc:
        if exc.status != VERSION_GONE:
            raise
        return _sync_once(ctx, source, path, apply_page)


def _sync_once(ctx: SyncContext, source: str, path: str, apply_page: PageApplier) -> SourceResult:
    state = ctx.state(source)
    held = state.version if state and state.version is not None else None
    since = held or 0
    first = _page(ctx, source, path, {"since": since, "page": 0})
    target = first.version
    require_not_older(source, target, held)
    snapshot = _check_page(first, since, target, 0, None)
    if target == held and not snapshot:
        _record(ctx, source, first, state.item_count if state else None)
        return SourceResult(source, target, unchanged=True)
    pages = _page_count(first)
    added = removed = 0
    with ctx.cache.transaction():
        counts = apply_page(first.payload, True)
        added, removed = added + counts.added, removed + counts.removed
        for number in range(1, pages):
            page = _page(ctx, source, path, {"since": since, "page": number, "version": target})
            _check_page(page, since, target, number, snapshot)
            counts = apply_page(page.payload, False)
            added, removed = added + counts.added, removed + counts.removed
        _record(ctx, source, first, None)
    return SourceResult(source, target, added, removed)


def _page(ctx: SyncContext, source: str, path: str, params: Mapping[str, int]) -> Bundle:
    return ctx.verified_bundle(ctx.client.get(path, params=params).body, source)


def _check_page(page: Bundle, since: int, target: int, number: int, snapshot: bool | None) -> bool:
    payload = page.payload
    is_snapshot = payload.get("snapshot")
    if not isinstance(is_snapshot, bool):
        raise DataInvalid("a page does not say whether it is a snapshot")
    if page.version != target or payload.get("page") != number:
        raise DataInvalid(f"page {number} of version {target} came back as something else")
    if snapshot is not None and is_snapshot != snapshot:
        raise DataInvalid("pages of one update disagree on being a snapshot")
    if not is_snapshot and payload.get("since") != since:
        raise DataInvalid(f"asked for changes since {since}, got {payload.get('since')!r}")
    return is_snapshot


def _page_count(page: Bundle) -> int:
    pages = page.payload.get("pages")
    if not isinstance(pages, int) or isinstance(pages, bool) or not 1 <= pages <= MAX_PAGES:
        raise DataInvalid("the page count is missing or out of range")
    return pages


def _record(ctx: SyncContext, source: str, bundle: Bundle, items: int | None) -> None:
    SyncStateStore(ctx.cache).record_success(
        source,
        version=bundle.version,
        now=ctx.now(),
        data_expires_at=bundle.expires_at,
        item_count=items,
    )
