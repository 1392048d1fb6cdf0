"""Immutable values the app's threads hand each other through signals (no Qt here).

Workers never share mutable state with the GUI thread: a camera worker sends a `ScanInput`,
the verify worker answers with a `Decision`, the status worker with a `StationStatus`, and
each is a frozen dataclass whose fields are themselves values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from station.model import VerificationResult

#: Where a scanned text came from. Camera and wedge reads are repeat-filtered; the others are
#: deliberate operator actions and always verified.
INPUT_KINDS = ("camera", "wedge", "paste", "manual", "image", "drop")


@dataclass(frozen=True, slots=True)
class ScanInput:
    """One code to verify: its text, where it came from, and when it was first seen
    (monotonic seconds; a camera read's frame time, so latency covers decoding too)."""

    text: str
    kind: str
    seen_at: float
    serial: int = 0


@dataclass(frozen=True, slots=True)
class ImageInput:
    """An image file to read a code from (opened or dropped in laptop mode)."""

    path: str
    seen_at: float
    serial: int = 0


@dataclass(frozen=True, slots=True)
class Decision:
    """What the verify worker decided for one input, and whether it was logged.

    `result` is None when the station could not verify at all (`failure` then names why, as a
    code). `recorded` is None when no entry log is available, else whether the entry was
    committed; `problem` is the recorder's message for the guard when it was not.
    """

    serial: int
    kind: str
    seen_at: float
    decided_at: float
    result: VerificationResult | None
    failure: str = ""
    recorded: bool | None = None
    storage_state: str = "OK"
    problem: str | None = None
    direction: str = "in"


@dataclass(frozen=True, slots=True)
class CameraStatus:
    """The frame source's state (`station.scan.frames.SourceState` value) and why."""

    state: str
    problem: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class SourceAge:
    """One synced source as the admin panel lists it."""

    source: str
    title: str
    state: str
    age_s: float | None
    version: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class QueueState:
    pending: int
    uploaded: int
    quarantined: int
    oldest_pending: str | None


@dataclass(frozen=True, slots=True)
class StationStatus:
    """Everything the status strip shows besides the camera, read off the GUI thread.

    `data_state` is the freshness verdict (OK, WARN, DEGRADED) or "UNKNOWN" when the cache
    cannot be read; `clock_state` is the clock policy's state (`station.time_floor`: TRUSTED,
    UNCONFIRMED, BELOW_FLOOR, JUMPED) or "UNKNOWN" when it cannot be judged; `queue` is None
    when the log or the outbox cannot be read.
    """

    enrolled: bool
    data_state: str
    oldest_age_s: float | None
    sources: tuple[SourceAge, ...]
    clock_state: str
    free_bytes: int | None
    log_available: bool
    queue: QueueState | None
    station_id: str = ""
    hub_url: str = ""


@dataclass(frozen=True, slots=True)
class DayCounts:
    """Today's decisions as counts only: local hour (0-23) -> verdict -> count."""

    day: date
    by_hour: tuple[tuple[int, tuple[tuple[str, int], ...]], ...] = field(default=())

    def totals(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for _, counts in self.by_hour:
            for verdict, count in counts:
                found[verdict] = found.get(verdict, 0) + count
        return found

    def hour(self, hour: int) -> dict[str, int]:
        for number, counts in self.by_hour:
            if number == hour:
                return dict(counts)
        return {}


@dataclass(frozen=True, slots=True)
class SyncReport:
    """The outcome of one "sync now" or scheduled pass: a line per source, and the upload."""

    ok: bool
    lines: tuple[str, ...]
