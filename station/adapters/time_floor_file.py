"""The time floor's memory: `<data dir>/time_floor.json`, written atomically under a lock.

Holds the floor's parts (each only rises, except when a fresh hub confirmation shows a part was
written by a wrong clock), how far the entry log was read, the newest signed trust-data time
already taken in, the clock's anchor in the current boot, and when the clock was last confirmed.
An unreadable file is treated as absent: the floor then starts again from the evidence still on
disk (trust data, hub comparison, entry log), which is the same evidence that built it.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from station.adapters.time_evidence import (
    BootTime,
    LogProgress,
    hub_evidence,
    hub_reference_time,
    log_progress,
    newest_trust_data_time,
)
from station.clock_trust import ClockEvidence

FLOOR_FILE = "time_floor.json"
LOCK_FILE = ".time_floor.lock"
PARTS = ("trust-data", "hub-time", "log")


@dataclass(frozen=True, slots=True)
class Anchor:
    """A moment the clock was confirmed, as wall time and as seconds since this boot."""

    boot_id: str
    since_boot_s: float
    wall: datetime
    source: str
    #: Set when NTP confirmed a clock far from the last confirmed time after a reboot.
    leap: timedelta | None = None

    @classmethod
    def at(
        cls, boot: BootTime, wall: datetime, source: str, *, leap: timedelta | None = None
    ) -> Anchor:
        return cls(boot.boot_id, boot.since_boot_s, wall, source, leap)

    def elapsed(self, boot: BootTime) -> float:
        return boot.since_boot_s - self.since_boot_s

    def deviation(self, boot: BootTime, now: datetime) -> timedelta:
        """How far `now` is from where the clock should be if it had not been changed."""
        return now - (self.wall + timedelta(seconds=self.elapsed(boot)))

    def to_json(self) -> dict[str, Any]:
        return {
            "boot_id": self.boot_id,
            "since_boot_s": self.since_boot_s,
            "wall": self.wall.isoformat(),
            "source": self.source,
            "leap_s": None if self.leap is None else self.leap.total_seconds(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Anchor:
        leap = data.get("leap_s")
        return cls(
            str(data["boot_id"]),
            float(data["since_boot_s"]),
            _instant(data["wall"]),
            str(data["source"]),
            None if leap is None else timedelta(seconds=float(leap)),
        )


@dataclass(frozen=True, slots=True)
class Observations:
    """Evidence read from disk for one assessment."""

    trust_data: datetime | None = None
    hub: ClockEvidence | None = None
    log: LogProgress = field(default_factory=lambda: LogProgress(None, 0))

    @property
    def hub_reference(self) -> datetime:
        if self.hub is None:
            raise ValueError("no hub comparison")
        return hub_reference_time(self.hub)


@dataclass(frozen=True, slots=True)
class FloorRecord:
    parts: Mapping[str, datetime] = field(default_factory=dict)
    log_seq: int = 0
    trust_data_seen: datetime | None = None
    anchor: Anchor | None = None
    last_confirmed: datetime | None = None

    def floor(self, release: datetime) -> tuple[datetime, str]:
        """The highest part and its name; never below the release's own floor."""
        best, name = release, "release date"
        for part, value in self.parts.items():
            if value > best:
                best, name = value, part
        return best, name

    def absorb(self, seen: Observations) -> FloorRecord:
        """Raise the parts with new signed evidence (hub time, trust data), each taken once."""
        parts = dict(self.parts)
        if seen.hub is not None:
            _raise(parts, "hub-time", seen.hub_reference)
        trust = seen.trust_data
        if trust is None or trust == self.trust_data_seen:
            return replace(self, parts=parts)
        _raise(parts, "trust-data", trust)
        return replace(self, parts=parts, trust_data_seen=trust)

    def with_log(self, progress: LogProgress, ceiling: datetime | None) -> FloorRecord:
        """Take in the entries read; their time counts only when `ceiling` (a trusted now) is
        given, and never above it. Entries logged while the clock was in doubt are passed over
        for good, so a wrong clock cannot lift the floor through the log."""
        parts = dict(self.parts)
        if ceiling is not None and progress.newest_trusted is not None:
            _raise(parts, "log", min(progress.newest_trusted, ceiling))
        return replace(self, parts=parts, log_seq=progress.max_seq)

    def clamped(self, ceiling: datetime) -> FloorRecord:
        """Parts above `ceiling` (a time the hub signed) came from a wrong clock: lower them."""
        if all(value <= ceiling for value in self.parts.values()):
            return self
        return replace(self, parts={k: min(v, ceiling) for k, v in self.parts.items()})

    def to_json(self) -> dict[str, Any]:
        return {
            "parts": {name: value.isoformat() for name, value in self.parts.items()},
            "log_seq": self.log_seq,
            "trust_data_seen": _iso(self.trust_data_seen),
            "anchor": None if self.anchor is None else self.anchor.to_json(),
            "last_confirmed": _iso(self.last_confirmed),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FloorRecord:
        parts = {str(k): _instant(v) for k, v in dict(data.get("parts") or {}).items()}
        anchor = data.get("anchor")
        return cls(
            parts={k: v for k, v in parts.items() if k in PARTS},
            log_seq=int(data.get("log_seq") or 0),
            trust_data_seen=_optional(data.get("trust_data_seen")),
            anchor=None if anchor is None else Anchor.from_json(anchor),
            last_confirmed=_optional(data.get("last_confirmed")),
        )


def observe(base: Path, after_seq: int) -> Observations:
    return Observations(
        newest_trust_data_time(base), hub_evidence(base), log_progress(base, after_seq)
    )


def load_record(base: Path) -> FloorRecord:
    try:
        return FloorRecord.from_json(json.loads((base / FLOOR_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return FloorRecord()


def save_record(base: Path, record: FloorRecord) -> bool:
    """Write atomically; False when the disk refuses (the assessment still stands)."""
    try:
        handle, temporary = tempfile.mkstemp(dir=base, prefix=".time_floor-")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(record.to_json(), stream, indent=1)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, base / FLOOR_FILE)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return False
    return True


@contextmanager
def locked(base: Path) -> Iterator[None]:
    """One process at a time reads, judges and writes the record (kiosk, uploader, doctor)."""
    try:
        base.mkdir(parents=True, exist_ok=True)
        handle = os.open(base / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield  # a read-only data folder: judge without the lock, the record is not written
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _raise(parts: dict[str, datetime], name: str, value: datetime) -> None:
    if name not in parts or value > parts[name]:
        parts[name] = value


def _instant(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("a time without zone")
    return parsed


def _optional(value: Any) -> datetime | None:
    return None if value is None else _instant(value)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
