"""The hub's configuration and the plumbing every part of `Hub` shares.

All state lives in the SQLite file, so several `Hub` objects (the server, an admin command run
meanwhile) can work on one file; what is kept in memory (armed faults, recent tokens, page
boundaries) is derived or test-only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Self

from station.cache.status_key import KdfParams
from sync.hub import status_list
from sync.hub.bundles import TokenRing
from sync.hub.faults import Faults
from sync.hub.paging import BoundaryCache
from sync.hub.store import HubStore, current_version, next_version, publish_version

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class HubConfig:
    """Tunables; the defaults are what a hospital deployment should run with."""

    #: How long a signed bundle stays acceptable to a station.
    bundle_ttl: timedelta = timedelta(days=7)
    #: Hashes (revocations) or entries (status list) per bundle page.
    page_size: int = 100_000
    #: Argon2id cost of the status list, used when its parameters are created or rotated.
    kdf_memory_kib: int = 19 * 1024
    kdf_iterations: int = 2
    #: `origin` of the DGCA context document.
    origin: str = "VN"
    #: Page-0 tokens remembered per source for the rollback fault.
    kept_tokens: int = 5

    def __post_init__(self) -> None:
        if self.page_size < 1:
            raise ValueError("page_size must be at least 1")
        if self.bundle_ttl <= timedelta(0):
            raise ValueError("bundle_ttl must be positive")


def system_clock() -> datetime:
    return datetime.now(UTC)


class HubBase:
    """Store, clock, config and the one way every admin change is written."""

    def __init__(
        self, path: str | Path, config: HubConfig | None = None, *, clock: Clock | None = None
    ) -> None:
        self.config = config or HubConfig()
        self._clock = clock or system_clock
        self._store = HubStore(path)
        self.faults = Faults()
        self.tokens = TokenRing(self.config.kept_tokens)
        self._boundaries = BoundaryCache()

    @property
    def path(self) -> Path:
        return self._store.path

    def now(self) -> datetime:
        return self._clock().astimezone(UTC)

    def version(self, source: str) -> int:
        """The current published version of a source (0 before its first change)."""
        with self._store.read() as conn:
            return current_version(conn, source)

    def read(self) -> AbstractContextManager[sqlite3.Connection]:
        """A read transaction on this thread's connection (one consistent snapshot)."""
        return self._store.read()

    def release_thread(self) -> None:
        """Close the calling thread's database connection (request threads do at their end)."""
        self._store.release_thread()

    def close(self) -> None:
        self._store.release_thread()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _change(self, source: str, apply: Callable[[sqlite3.Connection, int], int]) -> int:
        """Run `apply(conn, new_version)` in one transaction; publish the version if it changed.

        `apply` returns how many things it changed; zero leaves the version where it was.
        """
        with self._store.write() as conn:
            version = next_version(conn, source)
            changed = apply(conn, version)
            if changed:
                publish_version(conn, source, version, self.now())
            return changed

    def status_kdf(self) -> KdfParams:
        """The status list's parameters, created with the configured cost on first use."""
        with self._store.read() as conn:
            params = status_list.load_kdf(conn)
        if params is not None:
            return params
        with self._store.write() as conn:
            return self._ensure_kdf(conn)

    def _ensure_kdf(self, conn: sqlite3.Connection) -> KdfParams:
        params = status_list.load_kdf(conn)
        if params is None:
            params = status_list.new_kdf(self.config.kdf_memory_kib, self.config.kdf_iterations)
            status_list.store_kdf(conn, params, self.now())
        return params
