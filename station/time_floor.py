"""Trusted time: a persisted floor under the clock, clock-jump detection, and what they mean.

`station.clock_trust` answers "may this clock be used for purges?" from NTP or the hub's signed
time. This module adds what a Pi without a clock battery needs on top (reliability plan T16-T18):

- **A time floor** that only rises, kept in `<data dir>/time_floor.json`: the newest signed
  trust-data time, the last authenticated hub time and the newest entry logged on a trusted
  clock. A clock reading below the floor (less `SLACK`) is wrong: BELOW_FLOOR.
- **Jump detection within a boot**: when the clock was confirmed (NTP, a fresh hub comparison or
  a technician), the wall time and the time since boot are kept as an anchor. From then on the
  clock must advance with the boot clock; a step of more than `SLACK` plus 500 ppm of the
  elapsed time is a jump: JUMPED, until the clock is set right again or the hub confirms a
  new time. A fresh hub confirmation also lowers floor parts written by a wrong clock.
- **Leaps across a reboot**: a clock confirmed only by NTP that lies more than `LEAP_LIMIT`
  from the last confirmed time keeps the verdicts going but holds purges back until the hub
  (or a technician, `station doctor --confirm-clock`) confirms it.

Verdict policy (`apply_clock_policy`; firmware_notes/time-and-rtc.md has the table):
TRUSTED and UNCONFIRMED ("time not confirmed", e.g. a Pi booted offline above its floor) keep
the verdict; BELOW_FLOOR and JUMPED (CLOCK UNTRUSTED) never give VALID, and an INVALID that
rests only on time-dependent checks becomes CHECK_MANUALLY with reason CLOCK_UNTRUSTED.
Purges run only on TRUSTED time without a leap (`purge_allowed`), so a clock jump never
deletes unsent entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from station.adapters.clock import SystemClock
from station.adapters.time_evidence import BootTime, current_boot
from station.adapters.time_floor_file import (
    Anchor,
    FloorRecord,
    Observations,
    load_record,
    locked,
    observe,
    save_record,
)
from station.clock_trust import AGREEMENT, TIME_FLOOR, system_ntp_synchronized
from station.model import Check, VerificationResult

if TYPE_CHECKING:
    from station.ports import Clock
from station.reasons import Reason, Status

ClockState = Literal["TRUSTED", "UNCONFIRMED", "BELOW_FLOOR", "JUMPED"]

#: Minute-rounded log times and hub/station clock differences stay within this.
SLACK = AGREEMENT
#: How fast a correct clock may drift from the boot clock (timesyncd slews at most 500 ppm).
MAX_DRIFT = 500e-6
#: A hub comparison at most this old anchors the clock in the current boot.
FRESH_HUB = timedelta(minutes=10)
#: A reboot further than this from the last confirmed time holds purges until the hub confirms.
LEAP_LIMIT = timedelta(days=3)
#: The last confirmed time is rewritten at most this often (SD cards wear with every write).
CONFIRM_REFRESH = timedelta(hours=1)

CLOCK_UNTRUSTED = Reason.CLOCK_UNTRUSTED
#: Reasons that depend on the validation time: on an untrusted clock they prove nothing.
CLOCK_DEPENDENT = frozenset(
    {
        Reason.NOT_YET_VALID,
        Reason.EXPIRED,
        Reason.RULE_FAILED,
        Reason.DATA_STALE,
        Reason.STATUS_ENTRY_EXPIRED,
        Reason.VN_DATE_INVALID,
        Reason.VDS_SIGNER_EXPIRED,
        Reason.VDS_SIGNER_NOT_YET_VALID,
        Reason.VDS_AUTHORITY_NOT_VALID,
    }
)


@dataclass(frozen=True, slots=True)
class ClockAssessment:
    """The clock's state at `now`, with the evidence a technician needs to act on it."""

    state: ClockState
    now: datetime
    floor: datetime
    floor_source: str
    confirmed_by: str | None = None
    #: How far the clock moved against the boot clock since it was confirmed (JUMPED).
    jump: timedelta | None = None
    #: How far a reboot's NTP time lay from the last confirmed time, when beyond LEAP_LIMIT.
    leap: timedelta | None = None

    @property
    def valid_verdicts_allowed(self) -> bool:
        return self.state in ("TRUSTED", "UNCONFIRMED")

    @property
    def purge_allowed(self) -> bool:
        return self.state == "TRUSTED" and self.leap is None

    @property
    def message(self) -> str:
        if self.state == "BELOW_FLOOR":
            return (
                f"CLOCK UNTRUSTED: the clock reads {_minute(self.now)}, before "
                f"{_minute(self.floor)} ({self.floor_source}). Check passes by hand."
            )
        if self.state == "JUMPED":
            return (
                f"CLOCK UNTRUSTED: the clock jumped {_span(self.jump)} "
                f"{_direction(self.jump)} since it was confirmed. Check passes by hand."
            )
        if self.state == "UNCONFIRMED":
            return "Time not confirmed: no time server or hub has confirmed the clock since boot."
        if self.leap is not None:
            return (
                f"Clock {_span(self.leap)} {_direction(self.leap)} of its last confirmed time "
                "after a restart; purges wait for the hub to confirm it."
            )
        return f"Clock confirmed ({self.confirmed_by})."

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "now": self.now.isoformat(),
            "floor": self.floor.isoformat(),
            "floor_source": self.floor_source,
            "confirmed_by": self.confirmed_by,
            "jump_seconds": None if self.jump is None else self.jump.total_seconds(),
            "leap_seconds": None if self.leap is None else self.leap.total_seconds(),
            "valid_verdicts_allowed": self.valid_verdicts_allowed,
            "purge_allowed": self.purge_allowed,
            "message": self.message,
        }


class TimeGuard:
    """Judges the station's clock from its data folder; one per process, cheap to call."""

    def __init__(
        self,
        base: Path,
        *,
        clock: Clock | None = None,
        ntp_synchronized: Callable[[], bool] = system_ntp_synchronized,
        boot: Callable[[], BootTime] = current_boot,
    ) -> None:
        self.base = base
        self._clock = clock or SystemClock()
        self._ntp = ntp_synchronized
        self._boot = boot

    def assess(self) -> ClockAssessment:
        with locked(self.base):
            record = load_record(self.base)
            observations = observe(self.base, record.log_seq)
            now = self._clock.now()
            assessment, updated = judge(record, observations, now, self._boot(), self._ntp())
            if updated != record:
                save_record(self.base, updated)
        return assessment

    def confirm(self, reason: str = "technician") -> ClockAssessment:
        """Accept the current clock as right (a technician compared it with a reliable clock):
        it is anchored, and floor parts above it are lowered. The hub's signed time still
        counts: a clock earlier than the last hub comparison stays below the floor."""
        with locked(self.base):
            record = load_record(self.base).clamped(now := self._clock.now())
            save_record(self.base, _anchored(record, Anchor.at(self._boot(), now, reason), now))
        return self.assess()


def judge(
    record: FloorRecord, seen: Observations, now: datetime, boot: BootTime, ntp: bool
) -> tuple[ClockAssessment, FloorRecord]:
    """The clock's state and the record to keep; pure, so every rule is tested directly."""
    assessment, record = _judge(
        _hub_confirmed(record.absorb(seen), seen, now, boot), now, boot, ntp
    )
    ceiling = now if assessment.purge_allowed else None
    return assessment, record.with_log(seen.log, ceiling)


def _judge(
    record: FloorRecord, now: datetime, boot: BootTime, ntp: bool
) -> tuple[ClockAssessment, FloorRecord]:
    floor, source = record.floor(TIME_FLOOR)
    anchor = record.anchor if record.anchor and record.anchor.boot_id == boot.boot_id else None
    base = ClockAssessment("TRUSTED", now, floor, source)
    if now < floor - SLACK:
        return replace(base, state="BELOW_FLOOR"), record
    if anchor is not None:
        jump = anchor.deviation(boot, now)
        if abs(jump) > SLACK + timedelta(seconds=anchor.elapsed(boot) * MAX_DRIFT):
            return replace(base, state="JUMPED", jump=jump), record
        return _trusted(base, record, anchor, now)
    if not ntp:
        return replace(base, state="UNCONFIRMED"), record
    last = record.last_confirmed
    leap = now - last if last is not None and abs(now - last) > LEAP_LIMIT else None
    anchor = Anchor.at(boot, now, "ntp", leap=leap)
    return _trusted(base, replace(record, anchor=anchor), anchor, now)


def _hub_confirmed(
    record: FloorRecord, seen: Observations, now: datetime, boot: BootTime
) -> FloorRecord:
    """A fresh comparison with the hub's signed time, in which the clock agreed, anchors the
    clock and lowers floor parts above the hub's time (they were written by a wrong clock)."""
    evidence = seen.hub
    if evidence is None or not evidence.agreed:
        return record
    age = now - evidence.checked_at
    if not timedelta(0) <= age <= FRESH_HUB:
        return record
    held = record.anchor
    if held and held.boot_id == boot.boot_id and held.wall >= evidence.checked_at:
        return record  # this comparison is already the anchor (or an older one than it)
    anchor = Anchor(
        boot.boot_id, boot.since_boot_s - age.total_seconds(), evidence.checked_at, "hub"
    )
    clamped = record.clamped(max(evidence.checked_at, seen.hub_reference))
    return replace(clamped, anchor=anchor, last_confirmed=evidence.checked_at)


def _trusted(
    base: ClockAssessment, record: FloorRecord, anchor: Anchor, now: datetime
) -> tuple[ClockAssessment, FloorRecord]:
    assessment = replace(base, confirmed_by=anchor.source, leap=anchor.leap)
    last = record.last_confirmed
    if anchor.leap is None and (last is None or now - last >= CONFIRM_REFRESH):
        record = replace(record, last_confirmed=now)
    return assessment, record


def _anchored(record: FloorRecord, anchor: Anchor, now: datetime) -> FloorRecord:
    return replace(record, anchor=anchor, last_confirmed=now)


def apply_clock_policy(result: VerificationResult, clock: ClockAssessment) -> VerificationResult:
    """The verdict as the clock allows it; `details["clock"]` records the clock's state."""
    details = {**result.details, "clock": clock.to_json()}
    if clock.valid_verdicts_allowed:
        return replace(result, details=details)
    timeless = [c.code for c in result.checks if c.ok is False and c.code not in CLOCK_DEPENDENT]
    if timeless and result.status is not Status.VALID:
        # wrong on any clock: keep the verdict, led by a reason the clock cannot have caused
        status = result.status
        reason = result.reason if result.reason not in CLOCK_DEPENDENT else timeless[0]
    else:
        status, reason = Status.CHECK_MANUALLY, CLOCK_UNTRUSTED
    note = Check("clock", False, CLOCK_UNTRUSTED, clock.message)
    return replace(
        result, status=status, reason=reason, checks=(*result.checks, note), details=details
    )


def _minute(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _span(delta: timedelta | None) -> str:
    seconds = abs(int((delta or timedelta(0)).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} s"


def _direction(delta: timedelta | None) -> str:
    return "back" if delta is not None and delta < timedelta(0) else "ahead"
