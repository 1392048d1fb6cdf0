"""Record each decision in the entry log: the one place the front ends (CLI, GUI) share.

It puts together what a recorded entry needs besides the verdict: the checkpoint from the
settings, the authority's sealing key from the last sync, whether the clock is trusted, and the
admission policy when the log cannot be written: the verdict is still shown, with the plain
instruction that the entry was not recorded, because a guard must never believe a person was
logged when they were not.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from station.entrylog.sealing import SealingKey
from station.entrylog.sealing_key_file import load_sealing_key, sealing_key_path
from station.entrylog.storage import StorageFailure
from station.entrylog.writer import EntryLog, LoggedEntry
from station.errors import ConfigError, StationError
from station.model import VerificationResult
from station.paths import log_db_path
from station.ports import Clock
from station.settings import load_settings
from station.time_floor import TimeGuard

DIRECTIONS = ("in", "out")
NOT_RECORDED = "Cannot record entry: call supervisor"


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What recording one decision did: the entry, or why there is none."""

    entry: LoggedEntry | None
    storage_state: str
    problem: str | None = None

    @property
    def recorded(self) -> bool:
        return self.entry is not None


class EntryRecorder:
    """Writes one entry per decision; never raises for a storage failure (it reports it)."""

    def __init__(self, base: Path, clock: Clock, *, direction: str = "in") -> None:
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}")
        self.base = base
        self.clock = clock
        self.direction = direction
        self.checkpoint_id = load_settings(base).checkpoint_id
        self._time = TimeGuard(base, clock=clock)
        self._key_stamp = self._sealing_key_stamp()
        self._log = EntryLog(log_db_path(base), sealing_key=self._read_sealing_key(None))

    def record(self, result: VerificationResult) -> RecordOutcome:
        now = self.clock.now()
        self._follow_sealing_key()
        try:
            entry = self._log.record(
                result,
                direction=self.direction,
                checkpoint_id=self.checkpoint_id,
                clock_trusted=self._clock_trusted(result),
                now=now,
            )
        except StorageFailure as failure:
            return RecordOutcome(None, failure.code, NOT_RECORDED)
        return RecordOutcome(entry, self._log.storage_state)

    @property
    def sealing(self) -> bool:
        """Whether identities are being sealed (False until the hub delivered the key)."""
        return self._log.sealing_key is not None

    def close(self) -> None:
        self._log.close()

    def _clock_trusted(self, result: VerificationResult) -> bool:
        """The clock judgement the verdict already carries (`apply_clock_policy` put it in
        `details["clock"]`), so the clock is judged once per decision; else judge it now."""
        judged = result.details.get("clock")
        if isinstance(judged, Mapping) and isinstance(judged.get("purge_allowed"), bool):
            return bool(judged["purge_allowed"])
        try:
            return self._time.assess().purge_allowed
        except (OSError, sqlite3.Error, StationError):
            return False  # the clock's evidence is unreadable (a failing disk): not trusted

    def _follow_sealing_key(self) -> None:
        """Pick up a key the sync daemon saved since the last entry (a rotation, or the first)."""
        stamp = self._sealing_key_stamp()
        if stamp != self._key_stamp:
            self._key_stamp = stamp
            self._log.sealing_key = self._read_sealing_key(self._log.sealing_key)

    def _read_sealing_key(self, current: SealingKey | None) -> SealingKey | None:
        """The saved key; a damaged or unreadable file keeps the key in use (or none), so the
        entry is still logged, and the next sync writes the file again."""
        try:
            return load_sealing_key(self.base)
        except ConfigError:
            return current

    def _sealing_key_stamp(self) -> tuple[int, int] | None:
        try:
            status = sealing_key_path(self.base).stat()
        except OSError:
            return None
        return status.st_mtime_ns, status.st_ino
