"""Snapshot and delta pages over a versioned table (revocations, status list).

Every row carries the version that added it and, once removed, the version that removed it, so
the state at any version T since the source's floor can be reproduced: current at T means added
at or before T and not removed at or before T. A delta from V to T lists rows added in (V, T] and
still current at T, and rows removed in (V, T] that existed at V and have no current successor.

Pages follow row ids (keyset). The first id of every page is found once per (since, T) with one
window query and cached; history below the current version never changes, so the cache needs no
invalidation. Page P is then `id >= start[P] ORDER BY id LIMIT size`, cheap even at 10 M rows.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sync.hub.problems import PAGE_NOT_FOUND, VERSION_GONE, HubProblem
from sync.hub.store import current_version, version_floor


@dataclass(frozen=True, slots=True)
class VersionedTable:
    """Where a source keeps its rows and which columns name 'the same entry'."""

    source: str
    table: str
    columns: tuple[str, ...]
    identity: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PageRequest:
    """What a station asked for: changes since V, page P of the answer pinned at version T."""

    since: int = 0
    page: int = 0
    version: int | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """One page of an answer; `added`/`removed` hold the table's columns in row-id order."""

    version: int
    since: int
    snapshot: bool
    page: int
    pages: int
    added: list[tuple[Any, ...]]
    removed: list[tuple[Any, ...]]


class BoundaryCache:
    """First row id of every page, per (table, since, version, snapshot, page size)."""

    def __init__(self, capacity: int = 64) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[tuple[Any, ...], list[int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], compute: Callable[[], list[int]]) -> list[int]:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = compute()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)
        return value


def read_page(
    conn: sqlite3.Connection,
    spec: VersionedTable,
    request: PageRequest,
    page_size: int,
    cache: BoundaryCache,
) -> Page:
    """The requested page, or 409 VERSION_GONE / 404 PAGE_NOT_FOUND."""
    current, floor = current_version(conn, spec.source), version_floor(conn, spec.source)
    target = current if request.version is None else request.version
    if target > current or target < floor:
        raise HubProblem(
            409,
            VERSION_GONE,
            "that version can no longer be served; start again at page 0",
            str(target),
        )
    since = request.since
    snapshot = since == 0 or since < floor or since > target
    params = {"v": since, "t": target, "n": page_size, "start": 0}
    key = (spec.table, snapshot, 0 if snapshot else since, target, page_size)
    starts = cache.get(key, lambda: _page_starts(conn, spec, snapshot, params))
    pages = max(1, len(starts))
    if request.page >= pages:
        raise HubProblem(404, PAGE_NOT_FOUND, f"the answer has {pages} page(s)", str(request.page))
    params["start"] = starts[request.page] if starts else 0
    rows = conn.execute(_rows_sql(spec, snapshot) + " ORDER BY id LIMIT :n", params).fetchall()
    added = [tuple(r[1:-1]) for r in rows if r[-1] is None or r[-1] > target]
    removed = [tuple(r[1:-1]) for r in rows if r[-1] is not None and r[-1] <= target]
    return Page(target, since, snapshot, request.page, pages, added, removed)


def _page_starts(
    conn: sqlite3.Connection, spec: VersionedTable, snapshot: bool, params: dict[str, int]
) -> list[int]:
    sql = (
        "SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn "
        f"FROM ({_rows_sql(spec, snapshot)})) WHERE (rn - 1) % :n = 0 ORDER BY id"
    )
    return [int(row[0]) for row in conn.execute(sql, params)]


def _rows_sql(spec: VersionedTable, snapshot: bool) -> str:
    """Rows of the answer from id :start on: id, the table's columns, removed_version."""
    if snapshot:
        return (
            f"SELECT {_select(spec, '')} FROM {spec.table} WHERE id >= :start AND {_current_at('')}"
        )
    added = (
        f"SELECT {_select(spec, '')} FROM {spec.table} INDEXED BY {spec.table}_added "
        f"WHERE added_version > :v AND {_current_at('')} AND id >= :start"
    )
    same = " AND ".join(f"c.{column} = e.{column}" for column in spec.identity)
    removed = (
        f"SELECT {_select(spec, 'e.')} FROM {spec.table} AS e INDEXED BY {spec.table}_removed "
        "WHERE e.removed_version > :v AND e.removed_version <= :t AND e.added_version <= :v "
        f"AND e.id >= :start AND NOT EXISTS (SELECT 1 FROM {spec.table} AS c "
        f"WHERE {same} AND {_current_at('c.')})"
    )
    return f"SELECT * FROM ({added} UNION ALL {removed})"


def _select(spec: VersionedTable, alias: str) -> str:
    names = ("id", *spec.columns, "removed_version")
    return ", ".join(f"{alias}{name} AS {name}" for name in names)


def _current_at(alias: str) -> str:
    return (
        f"{alias}added_version <= :t "
        f"AND ({alias}removed_version IS NULL OR {alias}removed_version > :t)"
    )
